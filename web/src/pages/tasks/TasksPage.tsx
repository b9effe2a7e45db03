/** 任务清单: the tasks my organization issued or holds a share of (or every one in my scope), with how far they have got. */
import { FundOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Input, Segmented } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { dateText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { useListParams, useSearchText } from '../../app/list-params.ts';
import type { Page, TaskListItem } from '../../app/types.ts';
import { ListFilters } from '../../components/ListFilters.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { OverdueText, RollupLine, StatusMark } from './shared.tsx';

const PAGE_SIZES = [20, 50, 100];
const VIEWS = [
  { value: 'all', label: '全部' },
  { value: 'issued', label: '我下发的' },
  { value: 'received', label: '我承办的' },
];

/** The task's deadline, in red while a share in my scope is overdue. */
function Deadline({ t }: { t: TaskListItem }) {
  return <span className={t.rollup.overdue ? 'task-overdue' : undefined}>{dateText(t.deadline)}</span>;
}

/** My organization's own share: its state and the way to it. */
function Mine({ t }: { t: TaskListItem }) {
  if (!t.mine) return <span className="muted">—</span>;
  return (
    <Link to={`/tasks/assignments/${t.mine.id}`} data-testid="task-mine">
      <StatusMark status={t.mine.status} /> <OverdueText a={t.mine} /> 去办理
    </Link>
  );
}

export default function TasksPage() {
  useDocumentTitle('任务清单');
  const navigate = useNavigate();
  const can = useCan();
  const isMobile = useIsMobile();
  const list = useListParams(['view', 'q', 'overdue'], { pageSizes: PAGE_SIZES });
  const [text, setText] = useSearchText(list, 'q');
  const view = list.get('view') || 'all';
  const tasks = useQuery({
    queryKey: ['tasks', 'list', list.filters, list.page, list.pageSize],
    queryFn: ({ signal }) =>
      api.get<Page<TaskListItem>>('/api/tasks', { ...list.filters, page: list.page, pageSize: list.pageSize }, signal),
    placeholderData: keepPreviousData,
  });

  const columns: ColumnsType<TaskListItem> = [
    {
      title: '任务',
      key: 'title',
      ellipsis: true,
      render: (_, t) => <Link to={`/tasks/${t.id}`}>{t.title}</Link>,
    },
    { title: '下发组织', dataIndex: 'issuerOrgName', width: 200, ellipsis: true },
    { title: '下发日期', key: 'created', width: 110, render: (_, t) => dateText(t.createdAt) },
    { title: '完成时限', key: 'deadline', width: 110, render: (_, t) => <Deadline t={t} /> },
    { title: '完成情况', key: 'rollup', width: 230, render: (_, t) => <RollupLine rollup={t.rollup} /> },
    { title: '本组织承办', key: 'mine', width: 190, render: (_, t) => <Mine t={t} /> },
  ];
  // 本组织承办 only when some task on the page has a share of my organization's.
  const shownColumns = tasks.data?.items.some((t) => t.mine) ? columns : columns.filter((c) => c.key !== 'mine');

  const card = (t: TaskListItem) => (
    <div className={t.mine ? 'list-card-wrap with-phone' : 'list-card-wrap'}>
      <Link to={`/tasks/${t.id}`} className="list-card" data-testid="task-card">
        <div className="mc-name">{t.title}</div>
        <div className="mc-line">
          {t.issuerOrgName} 下发 · 完成时限 <Deadline t={t} />
        </div>
        <div className="mc-line">
          <RollupLine rollup={t.rollup} />
        </div>
      </Link>
      {t.mine ? (
        <Link to={`/tasks/assignments/${t.mine.id}`} className="mc-call task-mine-line" data-testid="task-mine">
          <span>
            本组织：
            <StatusMark status={t.mine.status} /> <OverdueText a={t.mine} />
          </span>
          <span>去办理 ›</span>
        </Link>
      ) : null}
    </div>
  );

  return (
    <div>
      <div className="page-head">
        <h1>任务清单</h1>
        <div className="page-actions">
          {can('lists.issue') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/tasks/new')}
              data-testid="task-new"
            >
              下发任务
            </Button>
          ) : null}
          <Button icon={<FundOutlined />} onClick={() => navigate('/tasks/dashboard')}>
            任务督办
          </Button>
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <Segmented
          value={view}
          // 我下发的 only for those who issue tasks (a branch secretary never does).
          options={can('lists.issue') ? VIEWS : VIEWS.filter((v) => v.value !== 'issued')}
          onChange={(v) => list.set({ view: v === 'all' ? null : String(v) })}
          block={isMobile}
          style={isMobile ? { width: '100%' } : undefined}
          aria-label="范围"
          data-testid="task-view"
        />
        <Input.Search
          allowClear
          className="filter-q"
          placeholder="搜索任务名称"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="搜索任务名称"
          data-testid="task-search"
        />
        <Checkbox
          checked={list.get('overdue') === 'true'}
          onChange={(e) => list.set({ overdue: e.target.checked ? 'true' : null })}
          data-testid="task-overdue"
        >
          只看逾期
        </Checkbox>
      </ListFilters>
      <ResponsiveList<TaskListItem>
        testId="task-list"
        list={tasks}
        rowKey="id"
        columns={shownColumns}
        card={card}
        empty={
          list.active
            ? '没有符合条件的任务'
            : can('lists.issue')
              ? '还没有任务。点“下发任务”向下级组织布置工作'
              : '还没有下发给本组织的任务'
        }
        pager={{
          page: list.page,
          pageSize: list.pageSize,
          onChange: list.setPage,
          unit: '项任务',
          pageSizes: PAGE_SIZES,
        }}
        table={{ onRow: (t) => ({ onDoubleClick: () => navigate(`/tasks/${t.id}`) }) }}
      />
    </div>
  );
}
