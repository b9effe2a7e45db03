/**
 * Server errors without antd: the field issues by field and the request id line. Its own module so
 * that the login page (in the entry chunk, which carries no antd) can use them; errors.tsx puts them
 * on antd forms and alerts.
 */
import { ApiError } from './api.ts';

/** "身份证号码：校验码不正确" → "校验码不正确" when the field already has its label. */
function stripLabel(message: string, field: string, label?: string): string {
  const i = message.indexOf('：');
  if (i < 0) return message;
  const head = message.slice(0, i);
  if (head === field || head === label || head.length <= 8) return message.slice(i + 1);
  return message;
}

/**
 * The issues of `err.details.fields` by form field (names are the JSON keys, e.g. idNumber), among the
 * fields in `known`; `rename` maps a server field name to a form field name where they differ.
 * `unmatched` holds the issues that found no field, so the caller can show them elsewhere.
 */
export function fieldIssues(
  err: unknown,
  known: ReadonlySet<string>,
  labels: Record<string, string> = {},
  rename: Record<string, string> = {},
): { byField: Map<string, string[]>; unmatched: { field: string; message: string }[] } {
  const byField = new Map<string, string[]>();
  const unmatched: { field: string; message: string }[] = [];
  if (!(err instanceof ApiError)) return { byField, unmatched };
  for (const f of err.fields) {
    const name = rename[f.field] ?? f.field;
    if (!known.has(name)) {
      unmatched.push(f);
      continue;
    }
    const list = byField.get(name) ?? [];
    list.push(stripLabel(f.message, f.field, labels[name]));
    byField.set(name, list);
  }
  return { byField, unmatched };
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message || '操作失败';
  return '操作失败';
}

/** The small "请求编号" line for 5xx answers, so the user can quote it to the administrator. */
export function RequestId({ err }: { err: unknown }) {
  if (!(err instanceof ApiError) || !err.requestId || (err.status < 500 && err.status !== 0)) return null;
  return <div className="request-id">请求编号：{err.requestId}</div>;
}
