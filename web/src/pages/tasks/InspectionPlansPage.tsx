/**
 * 检查计划: the inspections planned by my organization and those below it — what, when, by whom, and
 * each stop with the inspection recorded there under the plan (or 登记检查 to record it). Those who
 * inspect make a new plan (InspectionPlanModal). Plans are not shown to the organizations they visit.
 */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { INSPECTION_KIND_LABELS, INSPECTION_PLAN_STATE_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { dateText, thousands } from '../../app/format.ts';
import { useDocumentTitle } from '../../app/hooks.ts';
import { useListParams } from '../../app/list-params.ts';
import type { InspectionPlanView, Page } from '../../app/types.ts';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { Mark } from './shared.tsx';

const InspectionPlanModal = lazy(() => import('./InspectionPlanModal.tsx'));
const PAGE_SIZES = [20, 50, 100];
const STATE_COLORS = { upcoming: 'blue', underway: 'gold', done: 'green', lapsed: 'red' } as const;

function Stops({ p, record }: { p: InspectionPlanView; record: boolean }) {
  return (
    <ol className="plan-stops">
      {p.stops.map((s) => (
        <li key={s.orgId}>
          <span>{s.orgName}</span>{' '}
          {s.inspectionId ? (
            <span className="muted">
              {dateText(s.checkedOn)}已检查{s.findings ? `，发现 ${thousands(s.findings)} 个问题` : '，未发现问题'}
            </span>
          ) : record ? (
            <Link to={`/inspections/new?orgId=${s.orgId}&planId=${p.id}&kind=${p.kind}`} data-testid="plan-record">
              登记检查
            </Link>
          ) : (
            <span className="muted">未检查</span>
          )}
        </li>
      ))}
    </ol>
  );
}

export default function InspectionPlansPage() {
  useDocumentTitle('检查计划');
  const can = useCan();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  const [highlight, setHighlight] = useState<string | undefined>(
    (location.state as { highlight?: string } | null)?.highlight,
  );
  const list = useListParams([], { pageSizes: PAGE_SIZES });
  const plans = useQuery({
    queryKey: ['inspections', 'plans', list.page, list.pageSize],
    queryFn: ({ signal }) =>
      api.get<Page<InspectionPlanView>>('/api/inspections/plans', { page: list.page, pageSize: list.pageSize }, signal),
    placeholderData: keepPreviousData,
  });
  const record = can('lists.inspect');

  const columns: ColumnsType<InspectionPlanView> = [
    {
      title: '检查内容',
      key: 'title',
      width: 260,
      render: (_, p) => (
        <span>
          <b>{p.title}</b>
          <div className="muted insp-sub">
            {INSPECTION_KIND_LABELS[p.kind]} · {p.plannerOrgName}
          </div>
          {p.focus ? <div className="muted insp-sub insp-summary-line">{p.focus}</div> : null}
        </span>
      ),
    },
    {
      title: '检查时间',
      key: 'days',
      width: 200,
      render: (_, p) => `${dateText(p.startsOn)} 至 ${dateText(p.endsOn)}`,
    },
    { title: '检查人员', key: 'inspectors', width: 160, ellipsis: true, render: (_, p) => p.inspectors },
    {
      title: '完成情况',
      key: 'state',
      width: 150,
      render: (_, p) => (
        <span>
          <Mark color={STATE_COLORS[p.state]}>{INSPECTION_PLAN_STATE_LABELS[p.state]}</Mark>
          <div className="muted insp-sub">
            已检查 {thousands(p.done)}/{thousands(p.total)}
          </div>
        </span>
      ),
    },
    { title: '检查对象', key: 'stops', render: (_, p) => <Stops p={p} record={record} /> },
  ];

  const card = (p: InspectionPlanView) => (
    <div
      className={p.id === highlight ? 'list-card insp-card insp-new' : 'list-card insp-card'}
      data-testid="plan-card"
    >
      <div className="mc-top">
        <b style={{ flex: 1, minWidth: 0 }}>{p.title}</b>
        <Mark color={STATE_COLORS[p.state]}>{INSPECTION_PLAN_STATE_LABELS[p.state]}</Mark>
      </div>
      <div className="mc-line">
        {INSPECTION_KIND_LABELS[p.kind]} · {dateText(p.startsOn)} 至 {dateText(p.endsOn)}
      </div>
      <div className="mc-line">
        {p.inspectors} · 已检查 {thousands(p.done)}/{thousands(p.total)}
      </div>
      <Stops p={p} record={record} />
    </div>
  );

  return (
    <div>
      <div className="page-head">
        <h1>检查计划</h1>
        <div className="page-actions">
          {record ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setOpened(true);
                setOpen(true);
              }}
              data-testid="plan-new"
            >
              制定检查计划
            </Button>
          ) : null}
        </div>
      </div>
      <ResponsiveList<InspectionPlanView>
        testId="plan-list"
        list={plans}
        rowKey="id"
        columns={columns}
        card={card}
        empty={record ? '还没有检查计划。点“制定检查计划”，安排检查什么、检查哪些组织、何时由谁检查' : '还没有检查计划'}
        pager={{
          page: list.page,
          pageSize: list.pageSize,
          onChange: list.setPage,
          unit: '项计划',
          pageSizes: PAGE_SIZES,
        }}
        table={{ rowClassName: (p) => (p.id === highlight ? 'insp-new' : '') }}
      />
      <Suspense fallback={null}>
        {opened ? (
          <InspectionPlanModal
            open={open}
            onClose={() => setOpen(false)}
            onDone={(p) => {
              setOpen(false);
              setHighlight(p.id);
            }}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
