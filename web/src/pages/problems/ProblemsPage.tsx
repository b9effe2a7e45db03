/** 问题清单: what the rules engine found missing, with what clears each problem; the county's full check for the county administrator. */
import { DownloadOutlined, SettingOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Drawer, Select, Skeleton, Tag, Timeline } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, download } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateText, dateTimeText, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import {
  FIELD_LABELS,
  FIELDS,
  MEETING_KIND_LABELS,
  PROBLEM_CAUSE_LABELS,
  PROBLEM_SOURCE_LABELS,
  PROBLEM_STATUS_LABELS,
  PROBLEM_STATUSES,
} from '../../app/labels.ts';
import type { Page } from '../../app/types.ts';
import { useListParams } from '../../app/list-params.ts';
import { ListFilters } from '../../components/ListFilters.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import {
  type ProblemDetail,
  type ProblemView,
  periodText,
  type RuleRunView,
  thisYear,
  useRules,
  useTownships,
} from './shared.ts';
import { useFeedback } from '../../app/feedback.tsx';

const STATUS_COLORS: Record<string, string> = {
  open: 'red',
  upcoming: 'gold',
  cleared: 'green',
  orgDissolved: 'default',
  orgMerged: 'default',
};
const CAUSE_LABELS = PROBLEM_CAUSE_LABELS;
const SOURCE_LABELS = PROBLEM_SOURCE_LABELS;

function periodOptions(): { value: string; label: string }[] {
  const y = thisYear();
  const out: { value: string; label: string }[] = [];
  for (const year of [y, y - 1]) {
    out.push({ value: String(year), label: `${year}年（全年）` });
    for (let q = 4; q >= 1; q--) out.push({ value: `${year}-Q${q}`, label: periodText(`${year}-Q${q}`) });
    for (let m = 12; m >= 1; m--)
      out.push({
        value: `${year}-${String(m).padStart(2, '0')}`,
        label: periodText(`${year}-${String(m).padStart(2, '0')}`),
      });
  }
  return out;
}

function ProblemDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const q = useQuery({
    queryKey: ['problems', 'detail', id],
    enabled: !!id,
    queryFn: () => api.get<ProblemDetail>(`/api/problems/${id}`),
  });
  const p = q.data;
  const isMobile = useIsMobile();
  const can = useCan();
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      title={p ? p.ruleName : '问题详情'}
      width={isMobile ? '100%' : 560}
      destroyOnHidden
    >
      {q.isLoading ? <Skeleton active /> : null}
      <ErrorAlert err={q.error} />
      {p ? (
        <div data-testid="problem-detail">
          <Alert
            type={
              p.status === 'cleared'
                ? 'success'
                : p.status === 'upcoming'
                  ? 'warning'
                  : p.status === 'open'
                    ? 'error'
                    : 'info'
            }
            showIcon
            style={{ marginBottom: 12 }}
            title={p.message}
            description={
              p.status === 'cleared'
                ? `已于 ${dateTimeText(p.clearedAt)} 消除`
                : p.status === 'orgDissolved' || p.status === 'orgMerged'
                  ? `${PROBLEM_STATUS_LABELS[p.status]}，问题于 ${dateTimeText(p.clearedAt)} 随之关闭（不计为已整改）`
                  : `整改办法：${p.clearedBy}`
            }
          />
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'org', label: '党组织', children: <Link to={`/problems/calendar/${p.orgId}`}>{p.orgName}</Link> },
              ...(p.subjectName && p.subjectName !== p.orgName
                ? [{ key: 'sub', label: '对象', children: p.subjectName }]
                : []),
              { key: 'period', label: '期间', children: p.periodLabel || periodText(p.period) },
              {
                key: 'status',
                label: '状态',
                children: <Tag color={STATUS_COLORS[p.status]}>{PROBLEM_STATUS_LABELS[p.status]}</Tag>,
              },
              { key: 'source', label: '来源', children: SOURCE_LABELS[p.source] ?? '规则检查' },
              { key: 'raised', label: '发现时间', children: dateTimeText(p.raisedAt ?? p.openedAt) },
            ]}
          />
          {can('lists.read') ? (
            <div style={{ marginTop: 12 }}>
              <Link to={`/problems/${p.id}/rectification`} data-testid="problem-rectification">
                整改销号 ›
              </Link>
            </div>
          ) : null}
          {p.records.length ? (
            <>
              <h3 style={{ margin: '16px 0 8px' }}>查看的记录</h3>
              <ul className="problem-records" data-testid="problem-records" style={{ paddingLeft: 18, margin: 0 }}>
                {p.records.map((r) => (
                  <li key={r.meetingId}>
                    <Link to={`/meetings/${r.meetingId}`}>
                      {dateText(r.heldOn)} {(MEETING_KIND_LABELS as Record<string, string>)[r.kind] ?? '会议'}
                    </Link>{' '}
                    {r.counted ? <Tag color="green">已计入</Tag> : <Tag color="red">未计入</Tag>}
                    {r.note ? <span className="muted">{r.note}</span> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h3 style={{ margin: '16px 0 8px' }}>
            规则 <span className="rule-id">{p.rule}</span>
          </h3>
          <p style={{ margin: '0 0 4px' }}>“{p.ruleText}”</p>
          <p className="muted" style={{ fontSize: 13 }}>
            依据：{p.ruleSource}
          </p>
          {p.ruleCountyRule ? (
            <p className="muted" style={{ fontSize: 13 }}>
              本县规定：{p.ruleCountyRule}
            </p>
          ) : null}
          <h3 style={{ margin: '16px 0 8px' }}>经过</h3>
          {p.history.length ? (
            <Timeline
              items={p.history.map((h) => ({
                color: h.toStatus === 'cleared' ? 'green' : h.toStatus === 'open' ? 'red' : 'gold',
                content: (
                  <div>
                    <div>
                      {dateTimeText(h.at)} ·{' '}
                      {(PROBLEM_STATUS_LABELS as Record<string, string>)[h.toStatus] ?? '状态变更'}
                      <span className="muted">（{CAUSE_LABELS[h.cause] ?? '系统检查'}）</span>
                    </div>
                    <div className="muted">{h.message}</div>
                  </div>
                ),
              }))}
            />
          ) : (
            <span className="muted">暂无记录</span>
          )}
        </div>
      ) : null}
    </Drawer>
  );
}

function RunBar() {
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const runs = useQuery({
    queryKey: ['problems', 'runs'],
    queryFn: () => api.get<RuleRunView[]>('/api/problems/runs'),
    refetchInterval: (q) => (q.state.data?.[0]?.status === 'running' ? 3000 : false),
  });
  const last = runs.data?.[0];
  const running = last?.status === 'running';
  const start = () =>
    modal.confirm({
      title: '立即对全县进行规则检查？',
      content: '将按现行规则重新检查全县各级党组织和党员，可能需要几分钟。检查期间可以继续使用系统。',
      okText: '开始检查',
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.post<RuleRunView>('/api/problems/run');
          message.success('已开始全县检查');
        } catch (e) {
          message.error(e instanceof Error ? e.message : '无法开始检查');
        }
        await qc.invalidateQueries({ queryKey: ['problems'] });
      },
    });
  return (
    <div
      className="muted"
      style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', fontSize: 13 }}
      data-testid="problem-run"
    >
      <Button icon={<ThunderboltOutlined />} loading={running} onClick={start} data-testid="problem-run-button">
        {running ? '正在检查…' : '立即全县检查'}
      </Button>
      {last ? (
        <span>
          上次检查：{dateTimeText(last.finishedAt ?? last.startedAt)}
          {last.status === 'failed' ? (
            <Tag color="red" style={{ marginLeft: 6 }}>
              未完成
            </Tag>
          ) : null}
          {last.checked !== null
            ? `，检查 ${thousands(last.checked)} 项，新发现 ${last.opened ?? 0} 个，消除 ${last.cleared ?? 0} 个`
            : ''}
        </span>
      ) : (
        <span>尚未进行过全县检查</span>
      )}
    </div>
  );
}

export default function ProblemsPage() {
  useDocumentTitle('问题清单');
  const navigate = useNavigate();
  const can = useCan();
  const isMobile = useIsMobile();
  const { message } = useFeedback();
  const rules = useRules();
  const townships = useTownships();
  const [openId, setOpenId] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const list = useListParams(['orgId', 'rule', 'period', 'status', 'field', 'townshipId']);
  const { filters, page } = list;
  const update = (k: string, v: string | undefined) => list.set({ [k]: v });
  const status = filters.status ?? 'open';
  const problems = useQuery({
    queryKey: ['problems', 'list', filters, page],
    queryFn: ({ signal }) => api.get<Page<ProblemView>>('/api/problems', { ...filters, page, pageSize: 20 }, signal),
    placeholderData: keepPreviousData,
  });

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const name = await download('/api/problems/export', filters, '问题清单.xlsx');
      message.success(`已导出：${name}`);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '导出失败');
    } finally {
      setExporting(false);
    }
  };

  const columns: ColumnsType<ProblemView> = [
    { title: '党组织', dataIndex: 'orgName', width: 200, ellipsis: true },
    {
      title: '规则',
      key: 'rule',
      width: 150,
      render: (_, p) => (
        <span>
          {p.ruleName} <span className="rule-id">{p.rule}</span>
        </span>
      ),
    },
    { title: '期间', key: 'period', width: 120, render: (_, p) => p.periodLabel || periodText(p.period) },
    { title: '问题', dataIndex: 'message', ellipsis: true },
    { title: '整改办法', dataIndex: 'clearedBy', ellipsis: true },
    {
      title: status === 'cleared' ? '消除日期' : '发现日期',
      key: 'at',
      width: 110,
      render: (_, p) => dateText(status === 'cleared' ? p.clearedAt : (p.raisedAt ?? p.openedAt)),
    },
  ];

  const card = (p: ProblemView) => (
    <button type="button" className="list-card" onClick={() => setOpenId(p.id)} data-testid="problem-card">
      <div className="mc-top">
        <Tag color={STATUS_COLORS[p.status]}>{p.ruleName}</Tag>
        <span className="muted">{p.periodLabel || periodText(p.period)}</span>
      </div>
      <div style={{ marginTop: 4 }}>{p.orgName}</div>
      <div className="mc-line">{p.message}</div>
      <div className="mc-line">整改：{p.clearedBy}</div>
    </button>
  );

  return (
    <div>
      <div className="page-head">
        <h1>问题清单</h1>
        <div className="page-actions">
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={() => void exportXlsx()}
            data-testid="problem-export"
          >
            导出 Excel
          </Button>
          {can('problems.settings') ? (
            <Button icon={<SettingOutlined />} onClick={() => navigate('/settings/rules')}>
              规则参数
            </Button>
          ) : null}
        </div>
      </div>
      {can('problems.run') ? (
        <Card size="small" style={{ marginBottom: 12 }}>
          <RunBar />
        </Card>
      ) : null}
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <Select
          value={status}
          onChange={(v: string) => update('status', v === 'open' ? undefined : v)}
          options={PROBLEM_STATUSES.map((s) => ({ value: s, label: PROBLEM_STATUS_LABELS[s] }))}
          style={{ width: isMobile ? '100%' : 120 }}
          aria-label="状态"
          data-testid="problem-status"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'title' }}
          placeholder="全部规则"
          value={filters.rule}
          onChange={(v: string | undefined) => update('rule', v)}
          loading={rules.isLoading}
          options={(rules.data ?? []).map((r) => ({
            value: r.id,
            title: `${r.name} ${r.id}`,
            label: (
              <span>
                {r.name} <span className="rule-id">{r.id}</span>
              </span>
            ),
          }))}
          style={{ width: isMobile ? '100%' : 200 }}
          aria-label="规则"
          data-testid="problem-rule"
        />
        <Select
          allowClear
          placeholder="全部领域"
          value={filters.field}
          onChange={(v: string | undefined) => update('field', v)}
          options={FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] }))}
          style={{ width: isMobile ? '100%' : 130 }}
          aria-label="领域"
        />
        {townships.data?.length ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全部乡镇"
            value={filters.townshipId}
            onChange={(v: string | undefined) => update('townshipId', v)}
            options={townships.data.map((t) => ({ value: t.id, label: t.shortName ?? t.name }))}
            style={{ width: isMobile ? '100%' : 180 }}
            aria-label="乡镇"
          />
        ) : null}
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="全部期间"
          value={filters.period}
          onChange={(v: string | undefined) => update('period', v)}
          options={periodOptions()}
          style={{ width: isMobile ? '100%' : 160 }}
          aria-label="期间"
        />
      </ListFilters>
      {status === 'upcoming' ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title="即将到期：本期还没有完成、期末前仍可补上的事项。请提醒相关党组织按时开展。"
        />
      ) : null}
      <ResponsiveList<ProblemView>
        testId="problem-list"
        list={problems}
        rowKey="id"
        columns={columns}
        card={card}
        empty={status === 'open' ? '没有未整改的问题' : '没有符合条件的问题'}
        pager={{ page, pageSize: 20, onChange: (p) => list.setPage(p), unit: '个问题' }}
        table={{ onRow: (p) => ({ onClick: () => setOpenId(p.id), style: { cursor: 'pointer' } }) }}
      />
      <ProblemDrawer id={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
