/**
 * antd's Table, loaded when first drawn (~35 kB compressed). The member list draws cards on a phone
 * and the table only on wider screens, so phones never download it.
 */
import { Skeleton, type TableProps } from 'antd';
import { lazy, Suspense } from 'react';

// lazy() forgets the row type parameter; the wrapper below restores it for callers.
const AntTable = lazy(() => import('antd/es/table')) as unknown as React.ComponentType<TableProps<object>>;

export function Table<T extends object>(props: TableProps<T>) {
  return (
    <Suspense fallback={<Skeleton active style={{ padding: 16 }} />}>
      <AntTable {...(props as unknown as TableProps<object>)} />
    </Suspense>
  );
}
