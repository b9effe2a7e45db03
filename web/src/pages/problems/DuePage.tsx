/**
 * 本支部待办: where a branch secretary lands (issue 18 §3). What the rules want of the organization in
 * the running month, quarter and year, each not yet done with 去记录 (the meeting form with the kind
 * filled in), and the problems still open, newest period first, with 去补记 on the period's last day.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Skeleton } from 'antd';
import { Link } from 'react-router';
import { shanghaiDate } from '../../../../contract/calendar.ts';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { isBranchOnly } from '../../app/modules.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useDocumentTitle } from '../../app/hooks.ts';
import type { Page } from '../../app/types.ts';
import { recordLink } from '../meetings/record-prefill.ts';
import { byPeriodNewestFirst, type DueGroup, dueGroups, kindsByRule, recordDay } from './due.ts';
import { type CalendarView, type ProblemView, periodText } from './shared.ts';

function GroupView({ g, orgId, canRecord }: { g: DueGroup; orgId: string; canRecord: boolean }) {
  const left = g.items.filter((i) => !i.ok).length;
  return (
    <section className="due-group" data-testid="due-group">
      <h2 className="due-head">
        {g.title}
        <span className="due-when">
          {periodText(g.period.period)} · 还剩 {g.daysLeft} 天
        </span>
        <span className={left ? 'due-count' : 'due-count due-done'}>{left ? `${left} 项待开展` : '已全部开展'}</span>
      </h2>
      {g.items.map((i) => (
        <div key={i.rule} className={i.ok ? 'list-card due-card due-ok' : 'list-card due-card'} data-testid="due-item">
          <div className="due-main">
            <div className="mc-name">{i.ruleName}</div>
            <div className="mc-line">
              {i.ok ? '已开展' : '待开展'}：应开展 {i.required} 次，已开展 {i.held} 次
            </div>
          </div>
          {!i.ok && i.kind && canRecord ? (
            <Link to={recordLink(orgId, i.kind)} data-testid="due-record">
              <Button type="primary">去记录</Button>
            </Link>
          ) : i.ok ? (
            <span className="due-check" aria-hidden>
              ✓
            </span>
          ) : null}
        </div>
      ))}
    </section>
  );
}

export default function DuePage() {
  const me = useMe().data;
  // A branch's own roles see the branch (and its party groups); anyone else opening 待办 sees their own organization's.
  const branchOnly = isBranchOnly(me);
  const title = branchOnly ? '本支部待办' : '待办';
  useDocumentTitle(title);
  const can = useCan();
  const orgId = me?.orgId ?? '';
  const today = shanghaiDate(new Date());
  const year = Number(today.slice(0, 4));
  const cal = useQuery({
    queryKey: ['compliance', 'calendar', orgId, year],
    enabled: !!orgId,
    queryFn: ({ signal }) => api.get<CalendarView>(`/api/compliance/calendar/${orgId}`, { year }, signal),
  });
  const problems = useQuery({
    queryKey: ['problems', 'due', orgId],
    enabled: !!orgId,
    queryFn: ({ signal }) =>
      api.get<Page<ProblemView>>('/api/problems', { orgId, status: 'open', page: 1, pageSize: 100 }, signal),
  });
  const groups = dueGroups(cal.data, today);
  const kinds = kindsByRule(cal.data);
  const open = byPeriodNewestFirst((problems.data?.items ?? []).filter((p) => branchOnly || p.orgId === orgId));
  const canRecord = can('meetings.write');
  const [y, m, d] = today.split('-').map(Number);
  return (
    <div className="due-page">
      <div className="page-head">
        <h1>{title}</h1>
        {orgId ? (
          <Link to={`/problems/calendar/${orgId}`} data-testid="due-calendar">
            全年日历
          </Link>
        ) : null}
      </div>
      <div className="muted due-org">
        {me?.orgName} · 今天 {y}年{m}月{d}日
      </div>
      <ErrorAlert err={cal.error ?? problems.error} style={{ marginBottom: 12 }} />
      {cal.isLoading ? <Skeleton active /> : null}
      {cal.data && !groups.length ? <Empty description="本期没有需要开展的组织生活" /> : null}
      {groups.map((g) => (
        <GroupView key={g.period.period} g={g} orgId={orgId} canRecord={canRecord} />
      ))}
      <section className="due-group" data-testid="due-problems">
        <h2 className="due-head">
          待整改问题
          {problems.data ? (
            <span className={open.length ? 'due-count due-late' : 'due-count due-done'}>
              {open.length ? `${branchOnly ? problems.data.total : open.length} 项` : '没有'}
            </span>
          ) : null}
        </h2>
        {problems.isLoading ? <Skeleton active paragraph={{ rows: 2 }} /> : null}
        {problems.data && !open.length ? <div className="muted">以往各期没有未整改的问题。</div> : null}
        {open.map((p) => {
          const kind = kinds.get(p.rule);
          return (
            <div key={p.id} className="list-card due-card" data-testid="due-problem">
              <div className="due-main">
                <div className="mc-top">
                  <span className="mc-name">{p.ruleName}</span>
                  <span className="muted">{p.periodLabel || periodText(p.period)}</span>
                </div>
                {p.subjectType !== 'org' && p.subjectName ? <div className="mc-line">{p.subjectName}</div> : null}
                <div className="mc-line">{p.message}</div>
              </div>
              {kind && canRecord ? (
                <Link to={recordLink(orgId, kind, recordDay(p.period, today))} data-testid="due-problem-record">
                  <Button>去补记</Button>
                </Link>
              ) : null}
            </div>
          );
        })}
        {branchOnly && problems.data && problems.data.total > open.length ? (
          <Link to={`/problems?orgId=${orgId}`}>查看全部 {problems.data.total} 项问题</Link>
        ) : null}
      </section>
    </div>
  );
}
