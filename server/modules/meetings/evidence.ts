/**
 * Evidence of organizational life (影像留痕, SEC-17, SEC-21): photos, videos and scans attached to a
 * meeting. An upload is sniffed and size-checked by the file service; a picture's header is then
 * checked against the decode budget (a decompression bomb is refused before it is decoded), and it
 * is decoded once, its EXIF capture time read, re-encoded without metadata (orientation applied),
 * hashed (dHash) and thumbnailed from the re-encoded output at small size — one job at a time
 * through the image queue (platform/image-queue.ts), all before the transaction that records it
 * opens. Video and PDF are kept as sent. Anti-fake signals are computed when read (cheap indexed
 * queries), never stored.
 *
 * Similar pictures: an exact dHash match is found county-wide through the index; near matches
 * (Hamming distance ≤ 6) are looked for among the newest 500 pictures of the same township (the
 * organization's second-level ancestor), compared in memory. Re-use across townships with a changed
 * picture is not found; the exact-hash and same-file checks still cover the whole county. Flat
 * pictures (a hash of almost all zeros or ones) are not compared: they would all look alike.
 */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import exifr from 'exifr';
import sharp from 'sharp';
import type { EvidenceView } from '../../../contract/meetings.ts';
import type { Db, Tx } from '../../db/index.ts';
import { ancestorPath, childOf, inCounty, inSubtree, joinOrg, orgInScopeSql } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { emit } from '../../platform/events.ts';
import { imageQueue } from '../../platform/image-queue.ts';
import type { FileKind } from '../../platform/files/kinds.ts';
import type { StoredFile } from '../../platform/files/file-service.ts';
import { getSetting } from '../../platform/settings.ts';
import {
  captureWarning,
  dHash,
  exifInstant,
  hamming,
  informativeHash,
  SIMILAR_PICTURE_MAX_DISTANCE,
} from './image-hash.ts';
import { shanghaiDate, type Warning } from './rules.ts';
import { meetingRow, type U } from './service.ts';

/**
 * Kinds a record may carry. HEIC/HEIF photos are not among them: they cannot be re-encoded here
 * (no HEVC encoder), so their EXIF position could not be stripped (SEC-21). iPhones send JPEG through
 * the browser's photo picker, or with 相机格式「兼容性最佳」.
 */
export const EVIDENCE_KINDS = [
  'jpeg',
  'png',
  'webp',
  'gif',
  'mp4',
  'mov',
  'pdf',
] as const satisfies readonly FileKind[];
export const EVIDENCE_UNSUPPORTED_MESSAGE =
  '文件类型不支持（按文件内容识别，与扩展名无关），可上传：JPEG、PNG、WebP、GIF 图片，MP4、MOV 视频，PDF 文档。苹果手机的 HEIC 照片请通过浏览器“照片图库”选取（会自动转为 JPEG），或在“设置—相机—格式”中选择“兼容性最佳”';
/** Kinds decoded and re-encoded (sharp); the others are kept as sent. */
const PICTURE_KINDS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif']);
const THUMB_PX = 320;
/**
 * What handling one picture may cost, checked from its header before anything is decoded (SEC-21,
 * SEC-31, issue 15: a 1.7 MB progressive JPEG of 9990×9990 took about 1 GB to decode, three at once
 * 2.6–3.4 GB that the process kept). Measured on this stack (sharp 0.35, one libvips thread), peak
 * resident memory of the whole process for one job: a 50 MP baseline JPEG that must be rotated 250 MB,
 * a 12 MP progressive JPEG 120 MB, a 4096×4096 progressive JPEG (4:4:4) 200 MB, a 50 MP WebP 510 MB.
 *
 * - `maxDecodedBytes`: width × height × channels × bytes per sample × frames (an animated GIF is
 *   decoded whole). The largest phone photos (50 MP: 8160×6120 RGB, 143 MiB) pass.
 * - `maxPixels`: pixels of one frame whatever the format, also given to sharp as `limitInputPixels`.
 * - `maxWholeImagePixels`: pictures that are not decoded row by row. A progressive JPEG keeps the
 *   whole image's DCT coefficients (up to 6 bytes a pixel) until its last scan, an interlaced PNG its
 *   whole pixels, WebP and GIF are decoded and encoded whole. 4096×4096 keeps them near the 50 MP
 *   baseline photo's cost and covers the 12 MP (4032×3024) progressive photos phones and chat apps send.
 */
export const IMAGE_DECODE_LIMITS = {
  maxDecodedBytes: 160 * 2 ** 20,
  maxPixels: 60_000_000,
  maxWholeImagePixels: 4096 * 4096,
} as const;
const NEAR_SCAN_LIMIT = 500;

export const UNDECODABLE_MESSAGE =
  '图片无法解码：文件已损坏或内容不是图片（按文件内容识别），未保存，请重新拍摄或选择原图上传';

/** What goes into the evidence row besides the meeting: the stored blob and what was read from the picture. */
export interface PreparedEvidence {
  key: string;
  sm3: string;
  sourceSm3: string;
  size: number;
  kind: FileKind;
  mime: string;
  filename: string;
  width: number | null;
  height: number | null;
  capturedAt: Date | null;
  /** Where the capture time came from: the file's EXIF, or the field the phone sent (prepareEvidence). */
  capturedFrom: 'exif' | 'phone' | null;
  phash: string | null;
  thumbKey: string | null;
  thumbSm3: string | null;
}

/** The blobs a prepared upload holds (removed when its recording fails). */
export function blobsOf(p: PreparedEvidence): string[] {
  return [p.key, ...(p.thumbKey ? [p.thumbKey] : [])];
}

async function captureTime(input: Buffer | string): Promise<Date | null> {
  try {
    const tags = (await exifr.parse(input, {
      pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'OffsetTime'],
      reviveValues: false,
    })) as Record<string, unknown> | undefined;
    if (!tags) return null;
    return exifInstant(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ?? exifInstant(tags.CreateDate, tags.OffsetTime);
  } catch {
    return null;
  }
}

/** How far a phone's clock may run ahead of the server's when it sends a capture time (a photo taken and sent at once). */
const CAPTURE_CLOCK_SKEW_MS = 10 * 60_000;
const CAPTURE_FIELD_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The capture time the phone sent in the `capturedAt` field (issue 18 §2): the web app shrinks a photo
 * before sending it, and the shrunk JPEG carries no EXIF, so it reads the original's capture time first
 * and sends it beside the file. Null when absent; an ISO 8601 instant with its offset, from 1990 on and
 * not later than now (with CAPTURE_CLOCK_SKEW_MS for the phone's clock) otherwise, or the upload is
 * refused with EVIDENCE_CAPTURE_TIME_INVALID.
 */
export function claimedCaptureTime(value: string | undefined, now: Date): Date | null {
  const v = value?.trim();
  if (!v) return null;
  const ms = CAPTURE_FIELD_FORM.test(v) ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(ms) || new Date(ms).getUTCFullYear() < 1990 || ms > now.getTime() + CAPTURE_CLOCK_SKEW_MS)
    throw new AppError('EVIDENCE_CAPTURE_TIME_INVALID');
  return new Date(ms);
}

async function storeBuffer(deps: Deps, buf: Buffer, kind: FileKind): Promise<StoredFile> {
  return deps.files.store(Readable.from([buf]), { allowedKinds: [kind], maxBytes: buf.length + 1 });
}

/** Bytes of one sample by libvips band format (8-bit unless a 16-bit PNG or the like). */
const SAMPLE_BYTES: Readonly<Record<string, number>> = {
  uchar: 1,
  char: 1,
  ushort: 2,
  short: 2,
  uint: 4,
  int: 4,
  float: 4,
  complex: 8,
  double: 8,
  dpcomplex: 16,
};

const tenThousands = (n: number) => `${Math.round(n / 10_000)} 万像素`;

/**
 * Why a picture may not be decoded, from its header (sharp's `metadata()`, which decodes nothing), or
 * null when it fits `IMAGE_DECODE_LIMITS`. `animated`: every frame will be decoded (GIF), not the first.
 */
export function decodeRefusal(
  meta: {
    format?: string;
    width?: number;
    height?: number;
    pageHeight?: number;
    pages?: number;
    channels?: number;
    depth?: string;
    isProgressive?: boolean;
  },
  animated: boolean,
): string | null {
  const width = meta.width ?? 0;
  const frames = animated ? Math.max(1, meta.pages ?? 1) : 1;
  // A multi-frame file reports one frame's height as pageHeight (sharp stacks frames when it decodes them all).
  const height = (meta.pages ?? 1) > 1 ? (meta.pageHeight ?? meta.height ?? 0) : (meta.height ?? 0);
  if (!(width > 0 && height > 0)) return null; // no size in the header: the decode refuses it as undecodable
  const pixels = width * height;
  const bytes = pixels * Math.max(1, meta.channels ?? 4) * (SAMPLE_BYTES[meta.depth ?? 'uchar'] ?? 4) * frames;
  const size = `${width}×${height}，约 ${tenThousands(pixels)}${frames > 1 ? `，共 ${frames} 帧` : ''}`;
  const advice = '未保存。请在手机上缩小后重新上传，或在相机设置中选用较低的分辨率';
  const progressive = meta.format === 'jpeg' && meta.isProgressive;
  const whole =
    progressive || meta.format === 'webp' || meta.format === 'gif' || (meta.format === 'png' && meta.isProgressive);
  if (whole && pixels > IMAGE_DECODE_LIMITS.maxWholeImagePixels) {
    const kind = progressive
      ? '“渐进式”JPEG '
      : meta.format === 'png'
        ? '隔行扫描的 PNG '
        : `${meta.format?.toUpperCase()} `;
    return `照片像素过大（${size}；${kind}图片最多 ${tenThousands(IMAGE_DECODE_LIMITS.maxWholeImagePixels)}），${advice}`;
  }
  if (pixels > IMAGE_DECODE_LIMITS.maxPixels || bytes > IMAGE_DECODE_LIMITS.maxDecodedBytes) {
    return `照片像素过大（${size}），超出可处理的上限，${advice}`;
  }
  return null;
}

/**
 * Turn a received upload into what is kept: a picture re-encoded (the original blob removed), with its
 * capture time, size, dHash and thumbnail; other kinds as they came. A picture that does not decode is
 * refused with UNSUPPORTED_FILE and nothing of it stays. Runs outside any transaction.
 *
 * The capture time: the file's own EXIF wins; the `capturedAt` field the phone sent (claimedCaptureTime)
 * counts only when the file has none — a photo the web app shrank, whose EXIF the canvas dropped, or a
 * video. Both come from the same phone, but the file's tag is what the camera wrote, the field what the
 * page read from it, so the field never overrides it. The audit entry says which one was kept.
 */
export async function prepareEvidence(
  deps: Deps,
  upload: StoredFile & { filename: string; fields?: Record<string, string> },
): Promise<PreparedEvidence> {
  let claimed: Date | null;
  try {
    claimed = claimedCaptureTime(upload.fields?.capturedAt, deps.now());
  } catch (e) {
    await deps.files.delete(upload.key).catch(() => {});
    throw e;
  }
  const filename = upload.filename || `影像资料.${upload.kind === 'jpeg' ? 'jpg' : upload.kind}`;
  const base: PreparedEvidence = {
    key: upload.key,
    sm3: upload.sm3,
    sourceSm3: upload.sm3,
    size: upload.size,
    kind: upload.kind,
    mime: upload.mime,
    filename,
    width: null,
    height: null,
    capturedAt: claimed,
    capturedFrom: claimed ? 'phone' : null,
    phash: null,
    thumbKey: null,
    thumbSm3: null,
  };
  if (!PICTURE_KINDS.has(upload.kind)) {
    // Video and PDF: kept as sent.
    return base;
  }
  const made: string[] = [];
  try {
    // One job at a time (platform/image-queue.ts): the decode budget below is then the process's.
    return await imageQueue.run(async () => {
      const out = await deps.files.withLocalCopy(upload.key, upload.sm3, async (file) => {
        const animated = upload.kind === 'gif';
        // The header only: nothing is decoded until the picture is known to fit the budget.
        const refusal = decodeRefusal(await sharp(file, { failOn: 'error' }).metadata(), animated);
        if (refusal) throw new AppError('EVIDENCE_IMAGE_TOO_LARGE', refusal);
        const capturedAt = await captureTime(file);
        let pipeline = sharp(file, {
          limitInputPixels: IMAGE_DECODE_LIMITS.maxPixels,
          animated,
          failOn: 'error',
          sequentialRead: true,
        }).rotate();
        // Baseline JPEG with the standard Huffman tables: written row by row as it is decoded. Optimised
        // tables, trellis quantisation and progressive scans (mozjpeg) each hold the whole image's
        // coefficients: a rotated 50 MP photo took 520 MB and 10 s that way, 250 MB and 2 s this way, for
        // files a fifth to a quarter larger. The hash and thumbnail below then decode it at an eighth of its size.
        if (upload.kind === 'jpeg') pipeline = pipeline.jpeg({ quality: 85, optimiseCoding: false });
        else if (upload.kind === 'png') pipeline = pipeline.png({ compressionLevel: 9 });
        else if (upload.kind === 'webp') pipeline = pipeline.webp({ quality: 85 });
        else pipeline = pipeline.gif();
        // Metadata (EXIF with its position, XMP, ICC comments) is not copied: sharp writes none unless asked.
        const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
        return {
          capturedAt,
          data,
          width: info.width,
          height: animated ? (info.pageHeight ?? info.height) : info.height,
        };
      });
      // Hash and thumbnail from the re-encoded output, shrunk on load (JPEG, WebP): no second full decode.
      const small = { animated: false, failOn: 'error', sequentialRead: true } as const;
      const grey = await sharp(out.data, small)
        .greyscale()
        .resize(9, 8, { fit: 'fill' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const pixels =
        grey.info.channels === 1
          ? grey.data
          : Uint8Array.from({ length: 72 }, (_, i) => grey.data[i * grey.info.channels]);
      const thumb = await sharp(out.data, small)
        .resize(THUMB_PX, THUMB_PX, { fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 75 })
        .toBuffer();
      const stored = await storeBuffer(deps, out.data, upload.kind);
      made.push(stored.key);
      const storedThumb = await storeBuffer(deps, thumb, 'jpeg');
      made.push(storedThumb.key);
      await deps.files.delete(upload.key);
      return {
        ...base,
        key: stored.key,
        sm3: stored.sm3,
        size: stored.size,
        width: out.width,
        height: out.height,
        // The file's EXIF first, then what the phone read before shrinking it (see above).
        capturedAt: out.capturedAt ?? claimed,
        capturedFrom: out.capturedAt ? 'exif' : claimed ? 'phone' : null,
        phash: dHash(pixels),
        thumbKey: storedThumb.key,
        thumbSm3: storedThumb.sm3,
      };
    });
  } catch (e) {
    for (const k of [upload.key, ...made]) await deps.files.delete(k).catch(() => {});
    if (e instanceof AppError) throw e;
    throw new AppError('UNSUPPORTED_FILE', UNDECODABLE_MESSAGE);
  }
}

/** Record a prepared upload on a meeting: scope, live record, count limit; audited. */
export async function recordEvidence(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  meetingId: string,
  p: PreparedEvidence,
): Promise<string> {
  const m = await meetingRow(tx, user, meetingId, true);
  const max = Number(await getSetting(tx, user.countyCode, 'meetings.maxEvidencePerRecord'));
  const n = await evidenceCount(tx, m.county_code, meetingId);
  if (n >= max) throw new AppError('EVIDENCE_TOO_MANY', `每条记录最多上传 ${max} 个影像资料，本记录已有 ${n} 个`);
  const r = await tx.execute<{ id: string }>(sql`
    insert into evidence (county_code, owner_type, owner_id, org_id, blob_key, sm3, source_sm3, size, kind, mime, filename, width, height, captured_at, phash, thumb_key, thumb_sm3, uploaded_by)
    values (${m.county_code}, 'meeting', ${meetingId}, ${m.org_id}, ${p.key}, ${p.sm3}, ${p.sourceSm3}, ${p.size}, ${p.kind}, ${p.mime}, ${p.filename}, ${p.width}, ${p.height},
      ${p.capturedAt ? p.capturedAt.toISOString() : null}, ${p.phash}, ${p.thumbKey}, ${p.thumbSm3}, ${user.id})
    returning id`);
  const id = r.rows[0].id;
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'evidence.upload',
      objectType: 'evidence',
      objectId: id,
      detail: {
        meetingId,
        orgId: m.org_id,
        kind: p.kind,
        size: p.size,
        sm3: p.sm3,
        sourceSm3: p.sourceSm3,
        capturedFrom: p.capturedFrom,
      },
    },
  ]);
  // A picture or video can make a record count (LIFE-9's special meetings): the rules reading that kind look again.
  await emit(tx, deps, 'meetings.lifeChanged', {
    countyCode: m.county_code,
    orgId: m.org_id,
    dates: [m.held_on],
    userId: user.id,
    kinds: [m.kind],
  });
  return id;
}

export async function evidenceCount(tx: Tx, county: string, meetingId: string): Promise<number> {
  const r = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from evidence e where ${childOf({ countyCode: county, id: meetingId }, 'e', 'owner_id')} and e.owner_type = 'meeting' and e.deleted_at is null`,
  );
  return Number(r.rows[0].n);
}

/** Before a file is received: the meeting is the user's and has room (the transaction checks again). */
export async function precheckUpload(tx: Tx, user: U, meetingId: string): Promise<void> {
  const m = await meetingRow(tx, user, meetingId);
  const max = Number(await getSetting(tx, user.countyCode, 'meetings.maxEvidencePerRecord'));
  const n = await evidenceCount(tx, m.county_code, meetingId);
  if (n >= max) throw new AppError('EVIDENCE_TOO_MANY', `每条记录最多上传 ${max} 个影像资料，本记录已有 ${n} 个`);
}

type EvidenceRow = {
  id: string;
  county_code: string;
  owner_id: string;
  org_id: string;
  blob_key: string;
  sm3: string;
  source_sm3: string;
  size: number;
  kind: string;
  mime: string;
  filename: string;
  width: number | null;
  height: number | null;
  captured_at: Date | string | null;
  phash: string | null;
  thumb_key: string | null;
  thumb_sm3: string | null;
  created_at: Date | string;
};

const EV_COLS = sql`e.id, e.county_code, e.owner_id, e.org_id, e.blob_key, e.sm3, e.source_sm3, e.size, e.kind, e.mime, e.filename, e.width, e.height, e.captured_at, e.phash, e.thumb_key, e.thumb_sm3, e.created_at`;

/** A live evidence row of a live meeting in the user's scope (scope by the row's organization), or NOT_FOUND. */
export async function evidenceRow(
  tx: Tx,
  user: U,
  id: string,
): Promise<EvidenceRow & { held_on: string; meeting_kind: string }> {
  const r = await tx.execute<EvidenceRow & { held_on: string; meeting_kind: string }>(sql`
    select ${EV_COLS}, to_char(mt.held_on, 'YYYY-MM-DD') as held_on, mt.kind as meeting_kind from evidence e ${joinOrg('e')}
    join meetings mt on mt.county_code = e.county_code and mt.id = e.owner_id
    where ${inCounty(user, 'e')} and e.id = ${id} and e.owner_type = 'meeting' and e.deleted_at is null and mt.deleted_at is null and ${orgInScopeSql(user)}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

function toView(e: EvidenceRow, warnings: Warning[]): EvidenceView {
  return {
    id: e.id,
    filename: e.filename,
    kind: e.kind,
    mime: e.mime,
    size: Number(e.size),
    sm3: e.sm3,
    width: e.width == null ? null : Number(e.width),
    height: e.height == null ? null : Number(e.height),
    capturedAt: e.captured_at ? iso(e.captured_at) : null,
    hasThumbnail: !!e.thumb_key,
    uploadedAt: iso(e.created_at),
    warnings,
  };
}

type Elsewhere = {
  id: string;
  sm3: string;
  source_sm3: string;
  phash: string | null;
  held_on: string;
  org_name: string;
  in_scope: boolean;
};

function where(o: Elsewhere): string {
  return o.in_scope ? `${o.org_name} ${o.held_on}` : `其他组织 ${o.held_on}`;
}

/**
 * The anti-fake signals of one meeting's evidence (SEC-21, issue 8): capture time far from the
 * meeting, the same file or a similar picture on a record of another organization or another day.
 * Other organizations outside the user's scope are named only as "其他组织".
 */
export async function evidenceWarnings(
  tx: Tx,
  user: U,
  meeting: { id: string; orgId: string; heldOn: string; countyCode: string },
  rows: EvidenceRow[],
): Promise<Map<string, Warning[]>> {
  const out = new Map<string, Warning[]>(rows.map((r) => [r.id, []]));
  if (!rows.length) return out;
  const drift = Number(await getSetting(tx, user.countyCode, 'meetings.captureDriftDays'));
  const elsewhereCond = sql`e2.deleted_at is null and e2.owner_type = 'meeting' and m2.deleted_at is null and (m2.org_id <> ${meeting.orgId} or m2.held_on <> ${meeting.heldOn}::date)`;
  const digests = [...new Set(rows.flatMap((r) => [r.source_sm3, r.sm3]))];
  const hashes = [...new Set(rows.flatMap((r) => (r.phash && informativeHash(r.phash) ? [r.phash] : [])))];
  const orgPath = await tx.execute<{ path: string }>(
    sql`select path from orgs where county_code = ${meeting.countyCode} and id = ${meeting.orgId}`,
  );
  // The township (the organization's ancestor at depth 1) whose recent pictures the near-match scan reads.
  const town = ancestorPath(orgPath.rows[0]?.path ?? '/', 1);
  const cols = sql`e2.id, e2.sm3, e2.source_sm3, e2.phash, to_char(m2.held_on, 'YYYY-MM-DD') as held_on, o.name as org_name, ${orgInScopeSql(user)} as in_scope`;
  const from = sql`from evidence e2 join meetings m2 on m2.county_code = e2.county_code and m2.id = e2.owner_id ${joinOrg('e2')}`;
  const [same, exact, near] = await Promise.all([
    tx.execute<Elsewhere>(
      sql`select ${cols} ${from} where ${inCounty(meeting.countyCode, 'e2')} and e2.source_sm3 = any(${sql.param(digests)}::text[]) and ${elsewhereCond} limit 200`,
    ),
    hashes.length
      ? tx.execute<Elsewhere>(
          sql`select ${cols} ${from} where ${inCounty(meeting.countyCode, 'e2')} and e2.phash = any(${sql.param(hashes)}::text[]) and ${elsewhereCond} limit 200`,
        )
      : Promise.resolve({ rows: [] as Elsewhere[] }),
    hashes.length
      ? tx.execute<Elsewhere>(sql`select ${cols} from (
            select e3.* from evidence e3 ${joinOrg('e3', 'o3')}
            where ${inCounty(meeting.countyCode, 'e3')} and e3.phash is not null and e3.deleted_at is null and ${inSubtree({ countyCode: meeting.countyCode, path: town }, 'o3')}
            order by e3.created_at desc limit ${NEAR_SCAN_LIMIT}) e2
          join meetings m2 on m2.county_code = e2.county_code and m2.id = e2.owner_id ${joinOrg('e2')}
          where ${elsewhereCond}`)
      : Promise.resolve({ rows: [] as Elsewhere[] }),
  ]);
  for (const r of rows) {
    const w = out.get(r.id) as Warning[];
    const captured = r.captured_at ? shanghaiDate(iso(r.captured_at)) : null;
    const c = captureWarning(captured, meeting.heldOn, drift);
    if (c) w.push(c);
    const sameFile = same.rows.filter(
      (o) => o.id !== r.id && (o.source_sm3 === r.source_sm3 || o.source_sm3 === r.sm3),
    );
    if (sameFile.length) {
      w.push({
        code: 'SAME_FILE_ELSEWHERE',
        message: `同一文件已用于其他记录（${sameFile.slice(0, 3).map(where).join('；')}${sameFile.length > 3 ? ` 等 ${sameFile.length} 处` : ''}）`,
      });
    }
    if (r.phash && informativeHash(r.phash)) {
      const sameIds = new Set(sameFile.map((o) => o.id));
      const similar = new Map<string, Elsewhere>();
      for (const o of [...exact.rows, ...near.rows]) {
        if (o.id === r.id || sameIds.has(o.id) || !o.phash || similar.has(o.id)) continue;
        if (hamming(o.phash, r.phash) <= SIMILAR_PICTURE_MAX_DISTANCE) similar.set(o.id, o);
      }
      if (similar.size) {
        const list = [...similar.values()];
        w.push({
          code: 'SIMILAR_PICTURE_ELSEWHERE',
          message: `相似照片已用于其他记录（${list.slice(0, 3).map(where).join('；')}${list.length > 3 ? ` 等 ${list.length} 处` : ''}）`,
        });
      }
    }
  }
  return out;
}

/** The evidence of a meeting with its warnings, oldest first. */
export async function evidenceOfMeeting(
  tx: Tx,
  _deps: Deps,
  user: U,
  meeting: { id: string; orgId: string; heldOn: string; countyCode: string },
): Promise<EvidenceView[]> {
  const r = await tx.execute<EvidenceRow>(sql`
    select ${EV_COLS} from evidence e where ${childOf(meeting, 'e', 'owner_id')} and e.owner_type = 'meeting' and e.deleted_at is null
    order by e.created_at, e.id`);
  const warnings = await evidenceWarnings(tx, user, meeting, r.rows);
  return r.rows.map((e) => toView(e, warnings.get(e.id) ?? []));
}

export async function getEvidence(tx: Tx, user: U, id: string): Promise<EvidenceView> {
  const e = await evidenceRow(tx, user, id);
  const w = await evidenceWarnings(
    tx,
    user,
    { id: e.owner_id, orgId: e.org_id, heldOn: e.held_on, countyCode: e.county_code },
    [e],
  );
  return toView(e, w.get(e.id) ?? []);
}

export async function deleteEvidence(tx: Tx, deps: Deps, user: U, actor: Actor, id: string): Promise<void> {
  const e = await evidenceRow(tx, user, id);
  await tx.execute(sql`update evidence set deleted_at = now() where county_code = ${e.county_code} and id = ${id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'evidence.delete',
      objectType: 'evidence',
      objectId: id,
      detail: { meetingId: e.owner_id, orgId: e.org_id, sm3: e.sm3 },
    },
  ]);
  await emit(tx, deps, 'meetings.lifeChanged', {
    countyCode: e.county_code,
    orgId: e.org_id,
    dates: [e.held_on],
    userId: user.id,
    kinds: [e.meeting_kind],
  });
}

/** Files this large are checked whole before the answer starts (a clean DATA_INTEGRITY error); larger ones are checked as they stream. */
export const VERIFY_FIRST_BYTES = 64 * 1024 * 1024;

/** The bytes of an evidence file or its thumbnail, SM3-checked (SEC-17). */
export async function openEvidence(deps: Deps, e: EvidenceRow, which: 'file' | 'thumbnail'): Promise<Readable> {
  const key = which === 'file' ? e.blob_key : e.thumb_key;
  const sm3 = which === 'file' ? e.sm3 : e.thumb_sm3;
  if (!key || !sm3) throw new AppError('NOT_FOUND', '该影像资料没有缩略图');
  if (which === 'thumbnail' || Number(e.size) <= VERIFY_FIRST_BYTES) await deps.files.verify(key, sm3);
  return deps.files.open(key, sm3);
}

/**
 * An evidence file for download: the row in the reader's scope and its SM3-checked bytes. A file whose
 * digest no longer matches is recorded as a failed download before the refusal (SEC-17); the
 * successful download is recorded by the download itself (platform/download.ts).
 */
export async function openForDownload(
  db: Db,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
): Promise<{ e: EvidenceRow; stream: Readable }> {
  const e = await evidenceRow(db, user, id);
  try {
    return { e, stream: await openEvidence(deps, e, 'file') };
  } catch (err) {
    if (err instanceof AppError && err.code === 'DATA_INTEGRITY') {
      await db.transaction((tx) =>
        writeAudit(tx, deps.crypto, actor, [
          {
            action: 'evidence.download',
            objectType: 'evidence',
            objectId: e.id,
            result: 'failed',
            detail: { meetingId: e.owner_id, orgId: e.org_id, problem: 'sm3' },
          },
        ]),
      );
    }
    throw err;
  }
}
