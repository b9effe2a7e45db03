/**
 * 督查检查: the inspections of my organization and those below it, newest first — the day, the kind, the
 * organization inspected, the inspectors, the findings (each one a problem of that organization, linked
 * to its rectification) and how many are still open, the draw's seed when it came from a spot check.
 * Those who inspect record a new one (InspectionFormPage), the record just made highlighted, and register
 * a problem a higher level fed back or the public reported (ProblemReportModal).
 */
import { AlertOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { INSPECTION_KIND_LABELS, PROBLEM_STATUS_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { dateText, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { useListParams } from '../../app/list-params.ts';
import type { InspectionView, Page } from '../../app/types.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { ListFilters } from '../../components/ListFilters.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { Mark } from './shared.tsx';

const ProblemReportModal = lazy(() => import('./ProblemReportModal.tsx'));
const PAGE_SIZES = [20, 50, 100];

const openCount = (i: InspectionView) => i.findings.filter((f) => f.problemStatus === 'open').length;

/** 发现 3 个问题 · 未整改 1 (in red), or 未发现问题. */
function FindingCount({ i }: { i: InspectionView }) {
  if (!i.findings.length) return <span className="muted">未发现问题</span>;
  const open = openCount(i);
  return (
    <span>
      发现 {thousands(i.findings.length)} 个问题
      {open ? <span className="task-overdue"> · 未整改 {thousands(open)}</span> : <span> · 均已整改</span>}
    </span>
  );
}

/** The findings, each a link to its rectification, with the problem's status. */
function Findings({ i }: { i: InspectionView }) {
  if (!i.findings.length) return null;
  return (
    <ol className="insp-findings">
      {i.findings.map((f) => (
        <li key={f.id}>
          <Link to={`/problems/${f.problemId}/rectification`} data-testid="inspection-finding">
            {f.text}
          </Link>{' '}
          <Mark color={f.problemStatus === 'open' ? 'red' : f.problemStatus === 'cleared' ? 'green' : 'grey'}>
            {PROBLEM_STATUS_LABELS[f.problemStatus as keyof typeof PROBLEM_STATUS_LABELS] ?? '已关闭'}
          </Mark>
        </li>
      ))}
    </ol>
  );
}

export default function InspectionsPage() {
  useDocumentTitle('督查检查');
  const navigate = useNavigate();
  const location = useLocation();
  const can = useCan();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const highlight = (location.state as { highlight?: string } | null)?.highlight;
  // The dialog stays mounted once opened, so what was typed in it survives closing it.
  const [reporting, setReporting] = useState(false);
  const [reportOpened, setReportOpened] = useState(false);
  const list = useListParams(['orgId'], { pageSizes: PAGE_SIZES });
  const inspections = useQuery({
    queryKey: ['inspections', 'list', list.filters, list.page, list.pageSize],
    queryFn: ({ signal }) =>
      api.get<Page<InspectionView>>(
        '/api/inspections',
        { ...list.filters, page: list.page, pageSize: list.pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
  });

  const columns: ColumnsType<InspectionView> = [
    { title: '检查日期', key: 'checkedOn', width: 130, render: (_, i) => dateText(i.checkedOn) },
    {
      title: '类别',
      key: 'kind',
      width: 110,
      render: (_, i) => INSPECTION_KIND_LABELS[i.kind],
    },
    {
      title: '被检查组织',
      key: 'org',
      width: 260,
      render: (_, i) => (
        <span>
          {i.orgName}
          {i.summary ? (
            <div className="muted insp-sub insp-summary-line" title={i.summary}>
              {i.summary}
            </div>
          ) : null}
        </span>
      ),
    },
    {
      title: '检查人员',
      key: 'inspectors',
      width: 200,
      ellipsis: true,
      render: (_, i) => (
        <span>
          {i.inspectors}
          <div className="muted insp-sub">{i.inspectorOrgName}</div>
        </span>
      ),
    },
    {
      title: '发现的问题',
      key: 'findings',
      render: (_, i) => (
        <div>
          <FindingCount i={i} />
          <Findings i={i} />
        </div>
      ),
    },
    {
      title: '随机种子',
      key: 'seed',
      width: 130,
      render: (_, i) => (i.drawSeed ? <span className="mono">{i.drawSeed}</span> : <span className="muted">—</span>),
    },
  ];

  const card = (i: InspectionView) => (
    <div
      className={i.id === highlight ? 'list-card insp-card insp-new' : 'list-card insp-card'}
      data-testid="inspection-card"
    >
      <div className="mc-top">
        <b style={{ flex: 1, minWidth: 0 }}>{i.orgName}</b>
        <Mark color="blue">{INSPECTION_KIND_LABELS[i.kind]}</Mark>
      </div>
      <div className="mc-line">
        {dateText(i.checkedOn)} · {i.inspectors}
      </div>
      {i.drawSeed ? <div className="mc-line">随机种子 {i.drawSeed}</div> : null}
      {i.summary ? <div className="mc-line insp-summary-line">{i.summary}</div> : null}
      <div className="mc-line">
        <FindingCount i={i} />
      </div>
      <Findings i={i} />
    </div>
  );

  return (
    <div>
      <div className="page-head">
        <h1>督查检查</h1>
        <div className="page-actions">
          {can('lists.inspect') ? (
            <>
              <Button
                icon={<AlertOutlined />}
                onClick={() => {
                  setReportOpened(true);
                  setReporting(true);
                }}
                data-testid="report-problem"
              >
                登记反馈问题
              </Button>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/inspections/new')}
                data-testid="inspection-new"
              >
                登记检查
              </Button>
            </>
          ) : null}
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <LazyOrgSelect
          style={{ width: isMobile ? '100%' : 320 }}
          value={list.get('orgId') || me?.orgId}
          onChange={(id) => list.set({ orgId: id && id !== me?.orgId ? id : null })}
          allowClear={false}
          placeholder="选择党组织"
          aria-label="被检查组织"
          data-testid="inspection-org"
        />
      </ListFilters>
      <ResponsiveList<InspectionView>
        testId="inspection-list"
        list={inspections}
        rowKey="id"
        columns={columns}
        card={card}
        empty={
          list.active
            ? '该组织及其下级没有督查检查记录'
            : can('lists.inspect')
              ? '还没有督查检查记录。点“登记检查”，记录调研、日常检查或随机抽查发现的问题'
              : '还没有督查检查记录'
        }
        pager={{
          page: list.page,
          pageSize: list.pageSize,
          onChange: list.setPage,
          unit: '次检查',
          pageSizes: PAGE_SIZES,
        }}
        table={{ rowClassName: (i) => (i.id === highlight ? 'insp-new' : '') }}
      />
      <Suspense fallback={null}>
        {reportOpened ? <ProblemReportModal open={reporting} onClose={() => setReporting(false)} /> : null}
      </Suspense>
    </div>
  );
}
