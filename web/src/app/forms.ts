/** Submitting an antd form to the API: validate, show busy, put the server's field errors on the fields. */
import type { FormInstance } from 'antd';
import { useState } from 'react';
import { applyFieldErrors } from './errors.tsx';

export function useSubmit<V>(form: FormInstance<V>, labels: Record<string, string>, run: (v: V) => Promise<void>) {
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    let v: V;
    try {
      v = await form.validateFields();
    } catch {
      return; // antd shows the field messages itself
    }
    setBusy(true);
    setErr(null);
    try {
      await run(v);
    } catch (e) {
      setErr(e);
      applyFieldErrors(form, e, labels);
    } finally {
      setBusy(false);
    }
  };
  return { err, busy, submit, reset: () => setErr(null) };
}
