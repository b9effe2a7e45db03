/** Showing server errors: the message on top, field issues on the matching form fields. */
import { Alert, type FormInstance } from 'antd';
import { ApiError } from './api.ts';
import { errorMessage, fieldIssues, RequestId } from './issues.tsx';

export { errorMessage, RequestId };

/**
 * Puts each `details.fields[i]` on the form field of that name (names are the JSON keys, e.g. idNumber).
 * `rename` maps a server field name to a form field name where they differ. Returns the issues that
 * found no field, so the caller can show them elsewhere.
 */
export function applyFieldErrors(
  form: FormInstance,
  err: unknown,
  labels: Record<string, string> = {},
  rename: Record<string, string> = {},
): { field: string; message: string }[] {
  if (!(err instanceof ApiError) || !err.fields.length) return [];
  const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}).concat(Object.keys(labels)));
  const { byField, unmatched } = fieldIssues(err, known, labels, rename);
  form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
  const first = byField.keys().next();
  if (!first.done) form.scrollToField(first.value, { block: 'center' });
  return unmatched;
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
