/**
 * One list of a page: cards on a phone, a table on wider screens, the error, the empty and loading
 * states and the pager, for any paged read (`{ items, total }`). docs/CODE_STYLE.md "A list page"
 * shows a page built on it; the filters above it are components/ListFilters.tsx and the address's
 * state app/list-params.ts.
 *
 *   <ResponsiveList<MeetingSummary>
 *     testId="meeting-list" list={list} rowKey="id" empty="还没有组织生活记录"
 *     columns={columns}                                  // the desktop table
 *     card={(m) => <Link className="list-card" …>…</Link>}   // one phone card
 *     pager={{ page, pageSize, onChange: setPage, unit: '条' }} />
 *
 * On a phone's first screen it costs what the member list always cost: antd's Table and Pagination
 * load only on wider screens (components/LazyTable.tsx, ListPager.tsx).
 */
import type { TableProps } from 'antd';
import { Empty, Skeleton } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Fragment } from 'react';
import { ErrorAlert } from '../app/errors.tsx';
import { thousands } from '../app/format.ts';
import { useIsMobile } from '../app/hooks.ts';
import { Table } from './LazyTable.tsx';
import { ListPager, type PagerProps } from './ListPager.tsx';
import { LiteCard } from './LiteCard.tsx';

/** What the list needs of a TanStack query of one page (a `useQuery` result fits as it is). */
export interface ListQuery<T> {
  data?: { items: T[]; total: number };
  error: unknown;
  isLoading: boolean;
  isFetching: boolean;
  isPlaceholderData?: boolean;
}

/** The desktop table's own settings, passed to antd's Table as they are (sorting, scrolling, rows…). */
export type TableExtras<T> = Omit<
  TableProps<T>,
  'columns' | 'dataSource' | 'rowKey' | 'loading' | 'pagination' | 'locale' | 'rowSelection'
>;

export interface ResponsiveListProps<T> {
  /** `data-testid` of the list (cards or table, with the pager). */
  testId: string;
  list: ListQuery<T>;
  rowKey: keyof T & string;
  /** The desktop table's columns. */
  columns: ColumnsType<T>;
  /** One phone card: the element itself (a Link, a button or a div with class `list-card`). */
  card: (row: T) => React.ReactNode;
  /** What an empty list says (Chinese: 没有符合条件的…). */
  empty: string;
  /** Page, size, what is counted; the total comes from the list. */
  pager: Omit<PagerProps, 'total'>;
  /** Rows a desktop user may select (selection is kept across pages). */
  selection?: { selected: string[]; onChange: (keys: string[]) => void };
  /** Shown above the desktop table, inside its card (the bar of a selection). */
  tableTop?: React.ReactNode;
  table?: TableExtras<T>;
}

export function ResponsiveList<T extends object>(props: ResponsiveListProps<T>) {
  const isMobile = useIsMobile();
  return (
    <>
      {props.list.error ? <ErrorAlert err={props.list.error} style={{ marginBottom: 12 }} /> : null}
      {isMobile ? <PhoneCards {...props} /> : <DesktopTable {...props} />}
    </>
  );
}

/** The phone's list: the count, then one card a row, then the two-button pager. */
export function PhoneCards<T extends object>({ testId, list, rowKey, card, empty, pager }: ResponsiveListProps<T>) {
  const total = list.data?.total ?? 0;
  const items = list.data?.items ?? [];
  return (
    <div
      data-testid={testId}
      className={list.isPlaceholderData ? 'list-cards list-stale' : 'list-cards'}
      aria-busy={list.isFetching}
    >
      <div className="muted list-count">
        {list.isFetching && !list.data ? '正在查询…' : `共 ${thousands(total)} ${pager.unit ?? '条'}`}
      </div>
      {list.isLoading ? (
        <LiteCard size="small">
          <Skeleton active />
        </LiteCard>
      ) : items.length === 0 ? (
        <LiteCard size="small">
          <Empty description={empty} />
        </LiteCard>
      ) : (
        items.map((row) => <Fragment key={String(row[rowKey])}>{card(row)}</Fragment>)
      )}
      {total > 0 ? (
        <div className="list-pager-phone">
          <ListPager {...pager} total={total} />
        </div>
      ) : null}
    </div>
  );
}

/** The desktop's list: antd's Table (loaded when first drawn) in a card, the pager under it. */
export function DesktopTable<T extends object>({
  testId,
  list,
  rowKey,
  columns,
  empty,
  pager,
  selection,
  tableTop,
  table,
}: ResponsiveListProps<T>) {
  return (
    <LiteCard size="small" bodyStyle={{ padding: 0 }}>
      <div data-testid={testId} aria-busy={list.isFetching}>
        {tableTop}
        <Table<T>
          rowKey={rowKey}
          size="middle"
          {...table}
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          pagination={false}
          rowSelection={
            selection
              ? {
                  selectedRowKeys: selection.selected,
                  onChange: (keys) => selection.onChange(keys as string[]),
                  preserveSelectedRowKeys: true,
                }
              : undefined
          }
          locale={{ emptyText: list.isLoading ? <Skeleton active /> : <Empty description={empty} /> }}
        />
        <div className="list-pager">
          <ListPager {...pager} total={list.data?.total ?? 0} />
        </div>
      </div>
    </LiteCard>
  );
}
