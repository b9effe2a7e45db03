/**
 * An HTTP upload into the file service: one multipart file field, streamed (never buffered whole).
 * The client's file name and declared type are kept for display only; the kind comes from the bytes.
 */
import type { FastifyRequest } from 'fastify';
import { CONTROL_CHARS_IN_TEXT_G } from '../control-chars.ts';
import { AppError } from '../errors.ts';
import { ceilingOf, type FileService, type StoredFile, type StoreOptions, tooLargeError } from './file-service.ts';

/** Room for the multipart framing around the file (boundaries, part headers, a few small fields). */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export interface ReceiveOptions extends StoreOptions {
  /** Message when the request carries no file. */
  missing: string;
}

/** A received file: what the store kept, the name the client gave it (display only, never a path), and the text fields sent before it. */
export type ReceivedFile = StoredFile & { filename: string; fields: Record<string, string> };

/**
 * Receive the request's file into `files`. A request that declares a body larger than the limit is
 * refused before a byte is read; otherwise the file service counts, hashes and sniffs it as it
 * arrives. Rejects like `FileService.store` (UNSUPPORTED_FILE, PAYLOAD_TOO_LARGE), or with the
 * multipart plugin's error when the client goes away; nothing is then left in the store.
 */
export async function receiveFile(
  req: FastifyRequest,
  files: FileService,
  opts: ReceiveOptions,
): Promise<ReceivedFile> {
  const limit = ceilingOf(opts);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + FORM_OVERHEAD_BYTES) throw tooLargeError(opts, limit);
  // One byte over the limit reaches the service, which then refuses with its own message.
  const part = await req.file({ limits: { fileSize: limit + 1, files: 1 } });
  if (!part) throw new AppError('BAD_REQUEST', opts.missing);
  const fields: Record<string, string> = {};
  for (const [name, f] of Object.entries(part.fields)) {
    const one = Array.isArray(f) ? f[0] : f;
    if (one && one.type === 'field' && typeof one.value === 'string') fields[name] = one.value;
  }
  const stored = await files.store(part.file, opts);
  return { ...stored, filename: displayName(part.filename), fields };
}

/** The last path segment of a client's file name, without control characters, at most 200 characters. */
export function displayName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  return base.replace(CONTROL_CHARS_IN_TEXT_G, '').trim().slice(0, 200);
}

/**
 * A multipart form whose file is optional (a check-in sent without its photo): every text field,
 * wherever it stands, and the first file stored if one was sent (any further file is drained and
 * dropped). Refuses like `receiveFile`; a file already stored is removed when the form fails after it.
 */
export async function receiveForm(
  req: FastifyRequest,
  files: FileService,
  opts: StoreOptions,
): Promise<{ fields: Record<string, string>; file: ReceivedFile | null }> {
  const limit = ceilingOf(opts);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + FORM_OVERHEAD_BYTES) throw tooLargeError(opts, limit);
  const fields: Record<string, string> = {};
  let file: ReceivedFile | null = null;
  try {
    for await (const part of req.parts({ limits: { fileSize: limit + 1, files: 2, fields: 20, fieldSize: 4096 } })) {
      if (part.type === 'file') {
        if (file) {
          part.file.resume();
          continue;
        }
        const stored = await files.store(part.file, opts);
        file = { ...stored, filename: displayName(part.filename), fields };
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (e) {
    if (file) await files.delete(file.key).catch(() => {});
    throw e;
  }
  return { fields, file };
}
