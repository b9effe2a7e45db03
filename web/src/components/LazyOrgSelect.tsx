/**
 * The organization picker in a chunk of its own (antd's TreeSelect with the tree and virtual list is
 * ~40 kB unpacked) for first screens on a phone: a read-only box of the same size stands in its place
 * until the browser is first idle, or at once when a value is set or the box is touched.
 */
import { Input } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useIdle } from '../app/hooks.ts';
import type { OrgSelectProps } from './OrgSelect.tsx';

const OrgSelect = lazy(() => import('./OrgSelect.tsx').then((m) => ({ default: m.OrgSelect })));

export function LazyOrgSelect(props: OrgSelectProps) {
  const idle = useIdle();
  const [touched, setTouched] = useState(false);
  const stand = (
    <Input
      readOnly
      style={props.style}
      placeholder={props.placeholder}
      aria-label={props['aria-label']}
      disabled={props.disabled}
      onFocus={() => setTouched(true)}
    />
  );
  if (!idle && !touched && !props.value) return stand;
  return (
    <Suspense fallback={stand}>
      <OrgSelect {...props} />
    </Suspense>
  );
}
