import {
  DownloadOutlined,
  DownOutlined,
  FilterOutlined,
  PlusOutlined,
  PrinterOutlined,
  SearchOutlined,
  SettingOutlined,
  SwapOutlined,
  UploadOutlined,
  UpOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Input, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { SortOrder } from 'antd/es/table/interface';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type Query, takeEarly, urlOf } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { joinDateText } from '../../app/join-date.ts';
import { useListParams, useSearchText } from '../../app/list-params.ts';
import { SEX_LABELS, STANDING_LABELS } from '../../app/labels.ts';
import type { MemberView, Page } from '../../app/types.ts';
import { LazyOrgSelect as OrgSelect } from '../../components/LazyOrgSelect.tsx';
import { ListFilters } from '../../components/ListFilters.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';

// What a phone does not need before the first row is in chunks of their own (issue 7 §7): the more
// filters, the desktop's column chooser and the dialogs load when they are first shown.
const MoreFilters = lazy(() => import('./MoreFilters.tsx'));
const ColumnChooser = lazy(() => import('./ColumnChooser.tsx'));
const ExportModal = lazy(() => import('./ExportModal.tsx').then((m) => ({ default: m.ExportModal })));
const BatchTransferModal = lazy(() =>
  import('./BatchTransferModal.tsx').then((m) => ({ default: m.BatchTransferModal })),
);

/** Columns a clerk may hide; the choice is remembered in this browser. */
const OPTIONAL_COLUMNS: [key: string, label: string][] = [
  ['sex', '性别'],
  ['age', '年龄'],
  ['standing', '党员类别'],
  ['orgName', '所在党组织'],
  ['joinDate', '入党日期'],
  ['idNumberMasked', '身份证号'],
  ['phoneMasked', '联系电话'],
  ['lostContact', '失联'],
];
const COLUMNS_KEY = 'dj.members.columns';
function loadHidden(): Set<string> {
  try {
    const v = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? '[]');
    return new Set(Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}
/** Table column key → the API's sort key. */
const SORT_KEYS: Record<string, string> = { name: 'name', age: 'age', joinDate: 'joinDate', orgName: 'org' };

const FILTER_KEYS = [
  'q',
  'orgId',
  'subtree',
  'field',
  'standing',
  'sex',
  'education',
  'ethnicity',
  'lostContact',
  'ageMin',
  'ageMax',
  'joinYearMin',
  'joinYearMax',
  'sort',
  'order',
] as const;
const MORE_KEYS = [
  'field',
  'standing',
  'sex',
  'education',
  'ethnicity',
  'lostContact',
  'ageMin',
  'ageMax',
  'joinYearMin',
  'joinYearMax',
] as const;

export function StandingTag({ standing }: { standing: MemberView['standing'] }) {
  return <Tag color={standing === 'full' ? 'red' : 'gold'}>{STANDING_LABELS[standing]}</Tag>;
}

/** Whether the role sees any of the ID number: a role that sees none gets only asterisks (server's ID_HIDDEN), and is shown nothing. */
function seesId(masked: string | null | undefined): boolean {
  return !!masked && !/^\*+$/.test(masked);
}

export default function MembersPage() {
  useDocumentTitle('党员管理');
  const list = useListParams(FILTER_KEYS, { pageSizes: [20, 50, 100] });
  const { params, set: update } = list;
  const navigate = useNavigate();
  const can = useCan();
  const isMobile = useIsMobile();
  const [exportOpen, setExportOpen] = useState(false);
  const [hidden, setHidden] = useState<Set<string>>(loadHidden);
  const [selected, setSelected] = useState<string[]>([]);
  const [batch, setBatch] = useState<'transfer' | 'export' | null>(null);
  const toggleColumn = (key: string, show: boolean) => {
    const next = new Set(hidden);
    if (show) next.delete(key);
    else next.add(key);
    setHidden(next);
    localStorage.setItem(COLUMNS_KEY, JSON.stringify([...next]));
  };

  const page = list.page;
  const pageSize = list.pageSize;
  const moreActive = MORE_KEYS.filter((k) => params.get(k)).length;
  const [moreOpen, setMoreOpen] = useState(moreActive > 0);
  const [text, setText] = useSearchText(list, 'q', 300);

  const filters: Query = useMemo(() => {
    const f: Query = { ...list.filters };
    if (f.orgId && !f.subtree) f.subtree = 'true';
    if (!f.orgId) delete f.subtree;
    return f;
  }, [list.filters]);

  // The list as first opened (no filters) may have arrived with the page's scripts (app/api.ts fetchEarly).
  // Only for that query: initial data would otherwise be given to every later query of this list too.
  // Phone numbers only when this page shows them (the cards' tap-to-call, or the table's column): the
  // server records each list that came with full numbers as the numbers seen (issue 18 §6).
  const phones = isMobile || !hidden.has('phoneMasked') ? 'true' : undefined;
  const [early] = useState(() => takeEarly<Page<MemberView>>('/api/members', { ...filters, page, pageSize, phones }));
  const initial =
    early && early.url === urlOf('/api/members', { ...filters, page, pageSize, phones }) ? early : undefined;
  const members = useQuery({
    queryKey: ['members', 'list', filters, page, pageSize, phones],
    queryFn: ({ signal }) => api.get<Page<MemberView>>('/api/members', { ...filters, page, pageSize, phones }, signal),
    placeholderData: keepPreviousData,
    initialData: initial?.data,
    initialDataUpdatedAt: initial?.at,
  });

  const sortKey = params.get('sort') ?? 'name';
  const sortOrder = (key: string): SortOrder => {
    if (SORT_KEYS[key] !== sortKey) return null;
    return params.get('order') === 'desc' ? 'descend' : 'ascend';
  };
  const sortable = (key: string) => ({
    sorter: true,
    sortOrder: sortOrder(key),
    sortDirections: ['ascend', 'descend', 'ascend'] as SortOrder[],
  });
  const allColumns: ColumnsType<MemberView> = [
    {
      title: '姓名',
      dataIndex: 'name',
      key: 'name',
      fixed: 'left',
      width: 100,
      ...sortable('name'),
      render: (name: string, m) => (
        <Link to={`/members/${m.id}`} data-testid="member-link">
          {name}
        </Link>
      ),
    },
    { title: '性别', dataIndex: 'sex', key: 'sex', width: 60, render: (s: string) => SEX_LABELS[s] ?? s },
    { title: '年龄', dataIndex: 'age', key: 'age', width: 80, ...sortable('age') },
    {
      title: '党员类别',
      dataIndex: 'standing',
      key: 'standing',
      width: 100,
      render: (s: MemberView['standing']) => <StandingTag standing={s} />,
    },
    {
      title: '所在党组织',
      dataIndex: 'orgName',
      key: 'orgName',
      ellipsis: true,
      ...sortable('orgName'),
      render: (n: string, m) => <Link to={`/orgs/${m.orgId}`}>{n}</Link>,
    },
    {
      title: '入党日期',
      dataIndex: 'joinDate',
      key: 'joinDate',
      width: 120,
      ...sortable('joinDate'),
      render: (_: string, m) => joinDateText(m),
    },
    {
      title: '身份证号',
      dataIndex: 'idNumberMasked',
      key: 'idNumberMasked',
      width: 180,
      render: (v: string) => (seesId(v) ? <span className="mono">{v}</span> : null),
    },
    {
      title: '联系电话',
      dataIndex: 'phoneMasked',
      key: 'phoneMasked',
      width: 130,
      render: (v: string | null, m) =>
        m.phone ? (
          <a className="mono" href={`tel:${m.phone}`}>
            {m.phone}
          </a>
        ) : (
          <span className="mono">{v ?? '—'}</span>
        ),
    },
    {
      title: '失联',
      dataIndex: 'lostContact',
      key: 'lostContact',
      width: 70,
      render: (v: boolean) => (v ? <Tag color="volcano">失联</Tag> : null),
    },
  ];
  // A role that sees no ID numbers gets no column of blanks.
  const noIds = !!members.data?.items.length && !members.data.items.some((m) => seesId(m.idNumberMasked));
  const columns = allColumns.filter((c) => !hidden.has(String(c.key)) && !(noIds && c.key === 'idNumberMasked'));
  const columnChooser = (
    <Suspense fallback={<Button icon={<SettingOutlined />}>列设置</Button>}>
      <ColumnChooser options={OPTIONAL_COLUMNS} hidden={hidden} onToggle={toggleColumn} />
    </Suspense>
  );
  const canBatch = can('members.write') || can('members.export');

  const toolbar = (
    <div className="page-actions">
      {can('members.write') ? (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => navigate('/members/new')}
          data-testid="member-new"
        >
          新增党员
        </Button>
      ) : null}
      {can('members.import') ? (
        <Button icon={<UploadOutlined />} onClick={() => navigate('/members/import')} data-testid="member-import">
          导入
        </Button>
      ) : null}
      {can('members.export') ? (
        <Button icon={<DownloadOutlined />} onClick={() => setExportOpen(true)} data-testid="member-export">
          导出
        </Button>
      ) : null}
      {isMobile ? null : (
        <Button
          icon={<PrinterOutlined />}
          onClick={() =>
            window.open(`/members/print?${new URLSearchParams(filters as Record<string, string>).toString()}`, '_blank')
          }
          data-testid="member-print"
        >
          打印花名册
        </Button>
      )}
      {isMobile ? null : columnChooser}
    </div>
  );
  const batchBar =
    selected.length && !isMobile ? (
      <div className="batch-bar" data-testid="batch-bar">
        <span>
          已选 <b>{selected.length}</b> 人
        </span>
        {can('members.write') ? (
          <Button
            size="small"
            icon={<SwapOutlined />}
            onClick={() => setBatch('transfer')}
            data-testid="batch-transfer"
          >
            批量转接
          </Button>
        ) : null}
        {can('members.export') ? (
          <Button
            size="small"
            icon={<DownloadOutlined />}
            onClick={() => setBatch('export')}
            data-testid="batch-export"
          >
            导出所选
          </Button>
        ) : null}
        <Button size="small" type="link" onClick={() => setSelected([])}>
          取消选择
        </Button>
      </div>
    ) : null;

  /** One phone card: a link to the member; a secretary's tap-to-call number sits under it (no link inside a link). */
  const card = (m: MemberView) => (
    <div className={m.phone ? 'list-card-wrap with-phone' : 'list-card-wrap'}>
      <Link to={`/members/${m.id}`} className="list-card" data-testid="member-card">
        <div className="mc-top">
          <span className="mc-name">{m.name}</span>
          <span className="muted">
            {SEX_LABELS[m.sex]} · {m.age} 岁
          </span>
          <span style={{ flex: 1 }} />
          {/* Plain marks in antd's tag colours: twenty antd Tags cost the throttled phone ~0.1 s of rendering. */}
          <span className={`mc-tag ${m.standing === 'full' ? 'mc-tag-red' : 'mc-tag-gold'}`}>
            {STANDING_LABELS[m.standing]}
          </span>
          {m.lostContact ? <span className="mc-tag mc-tag-volcano">失联</span> : null}
        </div>
        <div className="mc-line">{m.orgName}</div>
        <div className="mc-line">
          入党 {joinDateText(m)}
          {seesId(m.idNumberMasked) ? (
            <>
              {' '}
              · <span className="mono">{m.idNumberMasked}</span>
            </>
          ) : null}
        </div>
        {!m.phone && m.phoneMasked ? <div className="mc-line mono">{m.phoneMasked}</div> : null}
      </Link>
      {m.phone ? (
        <a className="mc-call mono" href={`tel:${m.phone}`} data-testid="member-call">
          拨打 {m.phone}
        </a>
      ) : null}
    </div>
  );

  return (
    <div>
      <div className="page-head">
        <h1>党员管理</h1>
        {toolbar}
      </div>
      <ListFilters
        onClear={
          list.active
            ? () => {
                setText('');
                list.clear();
              }
            : undefined
        }
        below={
          moreOpen ? (
            <Suspense fallback={<div className="filter-more muted">正在加载筛选条件…</div>}>
              <MoreFilters params={params} update={update} />
            </Suspense>
          ) : null
        }
      >
        <Input
          className="filter-q"
          allowClear
          prefix={<SearchOutlined />}
          placeholder={can('members.reveal') ? '姓名 / 拼音 / 首字母 / 身份证号码或后 4 位' : '姓名 / 拼音 / 首字母'}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="member-search"
          aria-label="搜索党员"
          maxLength={50}
        />
        <OrgSelect
          style={{ width: isMobile ? '100%' : 300 }}
          value={params.get('orgId') ?? undefined}
          onChange={(id) => update({ orgId: id, subtree: null })}
          placeholder="全部党组织"
          data-testid="member-org"
          aria-label="所在党组织"
        />
        <Checkbox
          checked={params.get('subtree') !== 'false'}
          disabled={!params.get('orgId')}
          onChange={(e) => update({ subtree: e.target.checked ? null : 'false' })}
          data-testid="member-subtree"
        >
          含下级
        </Checkbox>
        <Button
          type="link"
          icon={<FilterOutlined />}
          onClick={() => setMoreOpen(!moreOpen)}
          aria-expanded={moreOpen}
          data-testid="member-more"
        >
          更多条件
          {moreActive ? (
            <span className="count-badge" title={`已设 ${moreActive} 个条件`}>
              {moreActive}
            </span>
          ) : null}
          {moreOpen ? <UpOutlined /> : <DownOutlined />}
        </Button>
      </ListFilters>

      <ResponsiveList<MemberView>
        testId="member-list"
        list={members}
        rowKey="id"
        columns={columns}
        card={card}
        empty={list.active ? '没有符合条件的党员' : '暂无党员'}
        pager={{ page, pageSize, onChange: list.setPage, unit: '人', pageSizes: [20, 50, 100] }}
        selection={canBatch ? { selected, onChange: setSelected } : undefined}
        tableTop={batchBar}
        table={{
          scroll: { x: 1000 },
          onRow: (m) => ({ onDoubleClick: () => navigate(`/members/${m.id}`) }),
          onChange: (_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const key = s?.order ? SORT_KEYS[String(s.columnKey)] : undefined;
            const isDefault = !key || (key === 'name' && s.order === 'ascend');
            update({ sort: isDefault ? null : key, order: !isDefault && s.order === 'descend' ? 'desc' : null });
          },
        }}
      />
      {/* The dialogs (Modal, Form) load when first opened, not with the list. */}
      <Suspense fallback={null}>
        {exportOpen ? (
          <ExportModal open onClose={() => setExportOpen(false)} filters={filters} total={members.data?.total} />
        ) : null}
        {batch === 'export' ? (
          <ExportModal
            open
            onClose={() => setBatch(null)}
            filters={{ ids: selected.join(',') }}
            total={selected.length}
            selection
          />
        ) : null}
        {batch === 'transfer' ? (
          <BatchTransferModal
            open
            memberIds={selected}
            onClose={() => setBatch(null)}
            onDone={() => {
              setBatch(null);
              setSelected([]);
            }}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
