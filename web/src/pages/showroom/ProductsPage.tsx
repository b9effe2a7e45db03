/**
 * 推荐展厅 inside the platform (issue 20): the village's own entries (添加、修改、上传图片、提交审核、下架),
 * the county's review queue (待审核 first), the inquiries the village received (待答复 first) and, for the
 * county and townships, each village's counts of inquiries received and answered — numbers only.
 */
import { PlusOutlined, ShopOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Segmented, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  INQUIRY_STATUS_LABELS,
  PRODUCT_KIND_LABELS,
  PRODUCT_STATUS_LABELS,
  PRODUCT_STATUSES,
  type ProductStatus,
} from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateText, dateTimeText, thousands } from '../../app/format.ts';
import { useDocumentTitle } from '../../app/hooks.ts';
import type { EntryListItem, InquiryListItem, InquiryStats, Page } from '../../app/types.ts';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';

const STATUS_COLORS: Record<ProductStatus, string> = {
  draft: 'default',
  submitted: 'gold',
  published: 'green',
  returned: 'red',
  withdrawn: 'default',
};

export function StatusTag({ status }: { status: ProductStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{PRODUCT_STATUS_LABELS[status]}</Tag>;
}

function Entries({ reviewer }: { reviewer: boolean }) {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? (reviewer ? 'submitted' : '')) as ProductStatus | '';
  const page = Number(params.get('page') ?? 1) || 1;
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    if (k !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };
  const list = useQuery({
    queryKey: ['showroom', 'entries', status, page],
    queryFn: ({ signal }) =>
      api.get<Page<EntryListItem>>(
        '/api/showroom/entries',
        { status: status || undefined, page, pageSize: 20 },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnsType<EntryListItem> = [
    {
      title: '产品',
      key: 'name',
      ellipsis: true,
      render: (_, e) => <Link to={`/products/${e.id}`}>{e.name}</Link>,
    },
    { title: '类别', key: 'kind', width: 110, render: (_, e) => PRODUCT_KIND_LABELS[e.kind] },
    {
      title: '所属村',
      key: 'village',
      width: 260,
      ellipsis: true,
      render: (_, e) => `${e.townshipName ? `${e.townshipName} · ` : ''}${e.villageName}`,
    },
    { title: '状态', key: 'status', width: 110, render: (_, e) => <StatusTag status={e.status} /> },
    { title: '图片', key: 'pictures', width: 80, render: (_, e) => `${e.pictureCount} 张` },
    {
      title: reviewer ? '提交时间' : '最近修改',
      key: 'at',
      width: 170,
      render: (_, e) => dateTimeText(reviewer && e.submittedAt ? e.submittedAt : e.updatedAt),
    },
  ];
  const card = (e: EntryListItem) => (
    <Link to={`/products/${e.id}`} className="list-card" data-testid="entry-card">
      <div className="mc-name">{e.name}</div>
      <div className="mc-line">
        {PRODUCT_KIND_LABELS[e.kind]} · {e.villageName}
      </div>
      <div className="mc-line">
        <StatusTag status={e.status} /> {e.pictureCount} 张图片 · {dateText(e.updatedAt)} 修改
      </div>
      {e.status === 'returned' && e.returnReason ? <div className="mc-line">退回原因：{e.returnReason}</div> : null}
    </Link>
  );
  return (
    <>
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => set('status', String(v))}
        options={[
          { label: '全部', value: '' },
          ...PRODUCT_STATUSES.map((s) => ({ label: PRODUCT_STATUS_LABELS[s], value: s })),
        ]}
        data-testid="entry-status"
      />
      <ResponsiveList<EntryListItem>
        testId="entry-list"
        list={list}
        rowKey="id"
        columns={columns}
        card={card}
        empty={
          status === 'submitted'
            ? '没有待审核的产品'
            : '还没有产品。点“添加产品”，把本村的农产品、手工艺品、乡村旅游或合作项目放进推荐展厅'
        }
        pager={{ page, pageSize: 20, onChange: (p) => set('page', String(p)), unit: '个产品' }}
        table={{ onRow: (e) => ({ onDoubleClick: () => navigate(`/products/${e.id}`) }) }}
      />
    </>
  );
}

function Inquiries() {
  const navigate = useNavigate();
  const list = useQuery({
    queryKey: ['showroom', 'inquiries'],
    queryFn: ({ signal }) => api.get<Page<InquiryListItem>>('/api/showroom/inquiries', { pageSize: 100 }, signal),
  });
  const columns: ColumnsType<InquiryListItem> = [
    {
      title: '咨询的产品',
      key: 'product',
      ellipsis: true,
      render: (_, i) => <Link to={`/products/inquiries/${i.id}`}>{i.productName}</Link>,
    },
    { title: '联系方式', dataIndex: 'contactMasked', width: 160 },
    {
      title: '状态',
      key: 'status',
      width: 100,
      render: (_, i) => <Tag color={i.status === 'open' ? 'red' : 'green'}>{INQUIRY_STATUS_LABELS[i.status]}</Tag>,
    },
    { title: '收到时间', key: 'at', width: 170, render: (_, i) => dateTimeText(i.createdAt) },
  ];
  const card = (i: InquiryListItem) => (
    <Link to={`/products/inquiries/${i.id}`} className="list-card" data-testid="inquiry-card">
      <div className="mc-name">{i.productName}</div>
      <div className="mc-line">
        <Tag color={i.status === 'open' ? 'red' : 'green'}>{INQUIRY_STATUS_LABELS[i.status]}</Tag>
        {i.contactMasked} · {dateTimeText(i.createdAt)}
      </div>
    </Link>
  );
  return (
    <ResponsiveList<InquiryListItem>
      testId="inquiry-list"
      list={list}
      rowKey="id"
      columns={columns}
      card={card}
      empty="还没有收到意向咨询。产品发布后，访客可在推荐展厅提交购买或合作意向"
      pager={{ page: 1, pageSize: 100, onChange: () => undefined, unit: '条咨询' }}
      table={{ onRow: (i) => ({ onDoubleClick: () => navigate(`/products/inquiries/${i.id}`) }) }}
    />
  );
}

function Stats() {
  const stats = useQuery({
    queryKey: ['showroom', 'stats'],
    queryFn: ({ signal }) => api.get<InquiryStats>('/api/showroom/inquiry-stats', undefined, signal),
  });
  if (stats.error) return <ErrorAlert err={stats.error} />;
  const rows = stats.data?.rows ?? [];
  const sum = (k: 'published' | 'received' | 'answered') => rows.reduce((n, r) => n + r[k], 0);
  return (
    <Table
      data-testid="inquiry-stats"
      size="small"
      rowKey="orgId"
      loading={stats.isLoading}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 640 }}
      locale={{ emptyText: '还没有村在推荐展厅发布产品或收到咨询' }}
      columns={[
        { title: '乡镇', dataIndex: 'townshipName', width: 180, ellipsis: true },
        { title: '村', dataIndex: 'villageName', ellipsis: true },
        { title: '已发布产品', dataIndex: 'published', width: 110, align: 'right' },
        { title: '收到咨询', dataIndex: 'received', width: 100, align: 'right' },
        { title: '已答复', dataIndex: 'answered', width: 90, align: 'right' },
        {
          title: '答复用时（中位数）',
          key: 'median',
          width: 150,
          align: 'right',
          render: (_, r) => (r.medianHours === null ? '—' : `${r.medianHours} 小时`),
        },
      ]}
      summary={() =>
        rows.length ? (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              合计 {thousands(rows.length)} 个村
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              {thousands(sum('published'))}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {thousands(sum('received'))}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              {thousands(sum('answered'))}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} />
          </Table.Summary.Row>
        ) : null
      }
    />
  );
}

export default function ProductsPage() {
  useDocumentTitle('推荐展厅');
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const reviewer = can('showroom.review');
  const tab = params.get('tab') ?? 'entries';
  const items = [
    { key: 'entries', label: reviewer ? '产品审核' : '本村产品', children: <Entries reviewer={reviewer} /> },
    ...(can('showroom.answer') ? [{ key: 'inquiries', label: '意向咨询', children: <Inquiries /> }] : []),
    { key: 'stats', label: '各村咨询答复情况', children: <Stats /> },
  ];
  return (
    <div>
      <div className="page-head">
        <h1>推荐展厅</h1>
        <div className="page-actions">
          <Button icon={<ShopOutlined />} href="/showroom" target="_blank">
            打开公开展厅
          </Button>
          {can('showroom.write') ? (
            <Link to="/products/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="entry-new">
                添加产品
              </Button>
            </Link>
          ) : null}
        </div>
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'entries' ? {} : { tab: k }, { replace: true })}
        items={items}
        destroyOnHidden
      />
    </div>
  );
}
