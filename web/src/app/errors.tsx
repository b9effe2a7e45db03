/** Showing server errors: the message on top, field issues on the matching form fields. */
import { Alert, type FormInstance } from 'antd';
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
 * Puts each `details.fields[i]` on the form field of that name (names are the JSON keys, e.g. idNumber).
 * `rename` maps a server field name to a form field name where they differ. Returns the issues that
 * found no field, so the caller can show them elsewhere.
 */
export function applyFieldErrors(form: FormInstance, err: unknown, labels: Record<string, string> = {}, rename: Record<string, string> = {}): { field: string; message: string }[] {
  if (!(err instanceof ApiError) || !err.fields.length) return [];
  const byField = new Map<string, string[]>();
  const unmatched: { field: string; message: string }[] = [];
  const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}).concat(Object.keys(labels)));
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
  form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
  const first = byField.keys().next();
  if (!first.done) form.scrollToField(first.value, { block: 'center' });
  return unmatched;
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

export function ErrorAlert({ err, title, style }: { err: unknown; title?: string; style?: React.CSSProperties }) {
  if (!err) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={style}
      title={title ?? errorMessage(err)}
      description={
        title || (err instanceof ApiError && err.requestId && err.status >= 500) ? (
          <>
            {title ? errorMessage(err) : null}
            <RequestId err={err} />
          </>
        ) : undefined
      }
    />
  );
}
