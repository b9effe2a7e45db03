/**
 * 督查通报: the notices made in my organization's subtree and those published to it, newest first, with
 * how many of the organizations named have signed; 待本单位签收 where my organization must sign. Those who
 * inspect make a new one from the data (NoticeCreateModal, loaded when opened).
 */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { NOTICE_STATUS_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { dateText, thousands } from '../../app/format.ts';
import { useDocumentTitle } from '../../app/hooks.ts';
import { useListParams } from '../../app/list-params.ts';
import type { NoticeBrief, Page } from '../../app/types.ts';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { Mark, periodText } from './shared.tsx';

const NoticeCreateModal = lazy(() => import('./NoticeCreateModal.tsx'));

const PAGE_SIZES = [20, 50, 100];

/** 草稿 or 已发布, and 待本单位签收 in red when my organization is named and has not signed. */
function NoticeMarks({ n }: { n: NoticeBrief }) {
  return (
    <span className="notice-marks">
      <Mark color={n.status === 'published' ? 'green' : 'gold'}>{NOTICE_STATUS_LABELS[n.status]}</Mark>
      {n.mustSign ? (
        <Mark color="red">
          <span data-testid="notice-must-sign">待本单位签收</span>
        </Mark>
      ) : null}
    </span>
  );
}

/** 签收 3/5 once published (the unsigned in red); a draft names its organizations, who sign after it is published. */
function Signed({ n }: { n: NoticeBrief }) {
  if (!n.named) return <span className="muted">无被通报单位</span>;
  if (n.status !== 'published') return <span className="muted">通报 {thousands(n.named)} 个单位，发布后签收</span>;
  return (
    <span className={n.signed < n.named ? 'task-overdue' : undefined}>
      签收 {thousands(n.signed)}/{thousands(n.named)}
    </span>
  );
}

export default function NoticesPage() {
  useDocumentTitle('督查通报');
  const navigate = useNavigate();
  const can = useCan();
  const list = useListParams([], { pageSizes: PAGE_SIZES });
  const [creating, setCreating] = useState(false);
  const [opened, setOpened] = useState(false);
  const notices = useQuery({
    queryKey: ['notices', 'list', list.page, list.pageSize],
    queryFn: ({ signal }) =>
      api.get<Page<NoticeBrief>>('/api/notices', { page: list.page, pageSize: list.pageSize }, signal),
    placeholderData: keepPreviousData,
  });

  const columns: ColumnsType<NoticeBrief> = [
    {
      title: '通报',
      key: 'title',
      ellipsis: true,
      render: (_, n) => <Link to={`/notices/${n.id}`}>{n.title}</Link>,
    },
    { title: '通报范围', dataIndex: 'underOrgName', width: 200, ellipsis: true },
    { title: '期间', key: 'period', width: 140, render: (_, n) => periodText(n.period) },
    { title: '状态', key: 'status', width: 260, render: (_, n) => <NoticeMarks n={n} /> },
    { title: '签收情况', key: 'signed', width: 200, render: (_, n) => <Signed n={n} /> },
    {
      title: '日期',
      key: 'at',
      width: 150,
      render: (_, n) => (n.publishedAt ? `${dateText(n.publishedAt)} 发布` : `${dateText(n.createdAt)} 生成`),
    },
  ];

  const card = (n: NoticeBrief) => (
    <Link to={`/notices/${n.id}`} className="list-card" data-testid="notice-card">
      <div className="mc-name">{n.title}</div>
      <div className="mc-line">
        {n.underOrgName} · {periodText(n.period)}
      </div>
      <div className="mc-line notice-card-line">
        <NoticeMarks n={n} />
        <Signed n={n} />
      </div>
      <div className="mc-line">
        {n.publishedAt ? `${dateText(n.publishedAt)} 发布` : `${dateText(n.createdAt)} 生成`}
      </div>
    </Link>
  );

  return (
    <div>
      <div className="page-head">
        <h1>督查通报</h1>
        <div className="page-actions">
          {can('lists.inspect') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setOpened(true);
                setCreating(true);
              }}
              data-testid="notice-new"
            >
              生成督查通报
            </Button>
          ) : null}
        </div>
      </div>
      <ResponsiveList<NoticeBrief>
        testId="notice-list"
        list={notices}
        rowKey="id"
        columns={columns}
        card={card}
        empty={
          can('lists.inspect')
            ? '还没有督查通报。点“生成督查通报”，由任务和问题数据生成通报草稿'
            : '还没有发布到本组织的督查通报'
        }
        pager={{
          page: list.page,
          pageSize: list.pageSize,
          onChange: list.setPage,
          unit: '份通报',
          pageSizes: PAGE_SIZES,
        }}
        table={{ onRow: (n) => ({ onDoubleClick: () => navigate(`/notices/${n.id}`) }) }}
      />
      <Suspense fallback={null}>
        {opened ? <NoticeCreateModal open={creating} onClose={() => setCreating(false)} /> : null}
      </Suspense>
    </div>
  );
}
