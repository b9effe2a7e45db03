/**
 * A list's pager: on a phone two buttons (上一页 · 1 / N 页 · 共 M 条 · 下一页, components/PhonePager.tsx),
 * on wider screens antd's Pagination, loaded after the first screen (its page-size Select brings
 * rc-select and the popup machinery, which a phone's first screen does without).
 */
import { lazy, Suspense } from 'react';
import { thousands } from '../app/format.ts';
import { useIsMobile } from '../app/hooks.ts';
import { PhonePager } from './PhonePager.tsx';

const Pagination = lazy(() => import('antd/es/pagination'));

export interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  /** A new page (and, on a desktop with `pageSizes`, a new page size). */
  onChange: (page: number, pageSize: number) => void;
  /** What is counted, after the number: '人', '条' (the default), '个问题'. */
  unit?: string;
  /** Page sizes a desktop user may choose; without it the size is fixed. */
  pageSizes?: readonly number[];
}

export function ListPager({ page, pageSize, total, onChange, unit = '条', pageSizes }: PagerProps) {
  const isMobile = useIsMobile();
  if (isMobile)
    return (
      <PhonePager
        current={page}
        pageSize={pageSize}
        total={total}
        unit={unit}
        onChange={(p) => onChange(p, pageSize)}
      />
    );
  return (
    <Suspense fallback={null}>
      <Pagination
        current={page}
        pageSize={pageSize}
        total={total}
        showSizeChanger={!!pageSizes && pageSizes.length > 1}
        pageSizeOptions={pageSizes ? [...pageSizes] : undefined}
        showTotal={(t) => `共 ${thousands(t)} ${unit}`}
        onChange={onChange}
      />
    </Suspense>
  );
}
