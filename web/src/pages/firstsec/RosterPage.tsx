/**
 * 第一书记: the roster of first secretaries, village work-team members and two-new Party-building
 * instructors posted in my scope, with the chosen month's days in the village (FS-2) — days in against the
 * days asked (red when short and the month cannot make them up), leave, the longest run without a check-in
 * (空岗、脱岗 from 5 working days), marked check-ins. Filters: organization, month, status (在岗 by default),
 * role and name, kept in the address. Those who manage the roster register a new person (FsFormPage).
 */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Input, Select } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { FS_ROLE_LABELS, FS_ROLES, FS_STATUS_LABELS, FS_STATUSES } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { dateText, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { useListParams, useSearchText } from '../../app/list-params.ts';
import type { FsView, Page } from '../../app/types.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { ListFilters } from '../../components/ListFilters.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { DaysIn, GapText, monthParam, monthText, RoleMark, StatusMark, thisMonth } from './roster-shared.tsx';

const PAGE_SIZES = [20, 50, 100];

/** Days in, leave, the longest run and marks, in one block (the table's cell and the phone card's lines). */
function Attendance({ fs, label }: { fs: FsView; label?: string }) {
  const a = fs.attendance;
  if (!fs.username) return <span className="muted">{label ? `${label}：` : ''}未开通账号，无打卡记录</span>;
  return (
    <div className="fs-att">
      {label ? <span className="muted">{label}：</span> : null}
      <DaysIn a={a} role={fs.role} />
      <span>{a.leaveDays ? `请假 ${thousands(a.leaveDays)} 天` : <span className="muted">未请假</span>}</span>
      <GapText a={a} />
      {a.flagged ? (
        <span className="fs-flagged">有标记的打卡 {thousands(a.flagged)} 次</span>
      ) : (
        <span className="muted">打卡无标记</span>
      )}
    </div>
  );
}

export default function RosterPage() {
  useDocumentTitle('第一书记');
  const navigate = useNavigate();
  const can = useCan();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const list = useListParams(['orgId', 'status', 'role', 'q', 'month'], { pageSizes: PAGE_SIZES });
  const [text, setText] = useSearchText(list, 'q');
  const month = monthParam(list.get('month')) ?? thisMonth();
  // 在岗 unless another status (or 全部, `all`) is in the address.
  const statusParam = list.get('status');
  const status = statusParam === 'all' ? undefined : statusParam || 'serving';
  const roster = useQuery({
    queryKey: ['firstsec', 'list', list.filters, list.page, list.pageSize],
    queryFn: ({ signal }) =>
      api.get<Page<FsView>>(
        '/api/first-secretaries',
        {
          orgId: list.get('orgId') || undefined,
          status,
          role: list.get('role') || undefined,
          q: list.get('q') || undefined,
          month,
          page: list.page,
          pageSize: list.pageSize,
        },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const monthName = monthText(month, true);
  // Two controls a row on a phone (the filter bar's column gap is 12 px).
  const half = 'calc(50% - 6px)';

  const columns: ColumnsType<FsView> = [
    {
      title: '姓名',
      key: 'name',
      width: 110,
      render: (_, f) => (
        <Link to={`/first-secretaries/${f.id}`} data-testid="fs-name">
          {f.name}
        </Link>
      ),
    },
    { title: '类别', key: 'role', width: 110, render: (_, f) => FS_ROLE_LABELS[f.role] },
    {
      title: '驻村（驻点）组织',
      key: 'org',
      width: 220,
      render: (_, f) => (
        <span>
          {f.orgName}
          {f.townshipName ? <div className="muted insp-sub">{f.townshipName}</div> : null}
        </span>
      ),
    },
    { title: '派出单位', key: 'unit', width: 180, render: (_, f) => f.dispatchUnit },
    {
      title: '任期',
      key: 'term',
      width: 120,
      render: (_, f) => (
        <span className="fs-term">
          {dateText(f.startDate)}
          <br />至 {dateText(f.endDate)}
        </span>
      ),
    },
    { title: '状态', key: 'status', width: 96, render: (_, f) => <StatusMark status={f.status} /> },
    { title: `${monthName}考勤`, key: 'att', render: (_, f) => <Attendance fs={f} /> },
  ];

  const card = (f: FsView) => (
    <Link to={`/first-secretaries/${f.id}`} className="list-card" data-testid="fs-card">
      <div className="mc-top">
        <b style={{ flex: 1, minWidth: 0 }}>{f.name}</b>
        <RoleMark role={f.role} />
        <StatusMark status={f.status} />
      </div>
      <div className="mc-line">
        {f.orgName}
        {f.townshipName ? <span className="muted"> · {f.townshipName}</span> : null}
      </div>
      <div className="mc-line">派出单位：{f.dispatchUnit}</div>
      <div className="mc-line">
        任期 {dateText(f.startDate)} 至 {dateText(f.endDate)}
      </div>
      <div className="mc-line">
        <Attendance fs={f} label={monthName} />
      </div>
    </Link>
  );

  return (
    <div>
      <div className="page-head">
        <h1>第一书记</h1>
        <div className="page-actions">
          <Button onClick={() => navigate('/first-secretaries/reports')} data-testid="fs-report-status">
            汇报情况
          </Button>
          <Button onClick={() => navigate('/first-secretaries/scores')} data-testid="fs-scores">
            年度考核
          </Button>
          {can('firstsec.manage') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/first-secretaries/new')}
              data-testid="fs-new"
            >
              登记第一书记
            </Button>
          ) : null}
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <LazyOrgSelect
          style={{ width: isMobile ? '100%' : 280 }}
          value={list.get('orgId') || me?.orgId}
          onChange={(id) => list.set({ orgId: id && id !== me?.orgId ? id : null })}
          allowClear={false}
          placeholder="选择党组织"
          aria-label="驻村（驻点）组织"
          data-testid="fs-org"
        />
        <DatePicker
          picker="month"
          value={dayjs(`${month}-01`)}
          format="YYYY年M月"
          allowClear={false}
          inputReadOnly={isMobile}
          disabledDate={(d) => d.format('YYYY-MM') > thisMonth()}
          onChange={(d) => {
            const m = d ? d.format('YYYY-MM') : null;
            list.set({ month: m && m !== thisMonth() ? m : null });
          }}
          style={{ width: isMobile ? half : 140 }}
          aria-label="考勤月份"
          data-testid="fs-month"
        />
        <Select
          value={statusParam || 'serving'}
          onChange={(v: string) => list.set({ status: v === 'serving' ? null : v })}
          options={[
            ...FS_STATUSES.map((s) => ({ value: s, label: FS_STATUS_LABELS[s] })),
            { value: 'all', label: '全部状态' },
          ]}
          style={{ width: isMobile ? half : 120 }}
          aria-label="状态"
          data-testid="fs-status"
        />
        <Select
          value={list.get('role') || ''}
          onChange={(v: string) => list.set({ role: v || null })}
          options={[{ value: '', label: '全部类别' }, ...FS_ROLES.map((r) => ({ value: r, label: FS_ROLE_LABELS[r] }))]}
          style={{ width: isMobile ? half : 140 }}
          aria-label="类别"
          data-testid="fs-role"
        />
        <Input.Search
          allowClear
          className={isMobile ? undefined : 'filter-q'}
          style={isMobile ? { width: half } : undefined}
          placeholder="搜索姓名"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="搜索姓名"
          data-testid="fs-search"
        />
      </ListFilters>
      <ResponsiveList<FsView>
        testId="fs-list"
        list={roster}
        rowKey="id"
        columns={columns}
        card={card}
        empty={
          list.active
            ? '没有符合条件的人员'
            : can('firstsec.manage')
              ? '还没有在岗的第一书记。点“登记第一书记”，录入派驻到村（社区）的第一书记、驻村工作队员和党建指导员'
              : '还没有在岗的第一书记'
        }
        pager={{
          page: list.page,
          pageSize: list.pageSize,
          onChange: list.setPage,
          unit: '人',
          pageSizes: PAGE_SIZES,
        }}
        table={{ onRow: (f) => ({ onDoubleClick: () => navigate(`/first-secretaries/${f.id}`) }) }}
      />
    </div>
  );
}
