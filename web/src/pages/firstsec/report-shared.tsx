/**
 * What the report pages share (定期汇报): a report as it reads — its period and kind, when it was
 * written (逾期 N 天提交 when after the due date), its work areas, its text and the comments of the
 * township, the dispatching unit and the county — and the periods a person may file for.
 */
import { shanghaiMinute } from '../../../../contract/calendar.ts';
import {
  FS_AREA_LABELS,
  FS_REPORT_SIDE_LABELS,
  FS_REPORT_WORDS,
  type FsReportKind,
  fsReportPeriodLabel,
} from '../../../../contract/labels.ts';
import { addDays, periodOf } from '../../../../contract/periods.ts';
import type { ReportView } from './report-drafts.ts';

const TYPE = { monthly: 'month', quarterly: 'quarter', yearly: 'year' } as const;
const HOW_MANY = { monthly: 6, quarterly: 4, yearly: 2 } as const;

/** The period of the kind containing `today`. */
export function currentPeriod(kind: FsReportKind, today: string): string {
  return periodOf(TYPE[kind], today).period;
}

/** The period of the kind before the running one (its report falls due next). */
export function lastPeriod(kind: FsReportKind, today: string): string {
  return periodOf(TYPE[kind], addDays(periodOf(TYPE[kind], today).start, -1)).period;
}

/** The running period of the kind and those before it (newest first): what the page offers. */
export function periodsFor(kind: FsReportKind, today: string): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  let p = periodOf(TYPE[kind], today);
  for (let i = 0; i < HOW_MANY[kind]; i++) {
    out.push({ value: p.period, label: fsReportPeriodLabel(p.period) });
    p = periodOf(TYPE[kind], addDays(p.start, -1));
  }
  return out;
}

/** A report with its comments; `children` below (the edit button, the comment box). */
export function ReportItem({
  r,
  children,
  showName,
}: {
  r: ReportView;
  children?: React.ReactNode;
  showName?: boolean;
}) {
  return (
    <div className="fs-row fs-report" data-testid="fs-report">
      <div className="mc-top">
        <b style={{ flex: 1, minWidth: 0 }}>
          {showName ? `${r.name} · ` : ''}
          {r.periodLabel}
          {FS_REPORT_WORDS[r.kind]}
        </b>
        {r.lateDays > 0 ? (
          <span className="mc-tag mc-tag-gold">逾期 {r.lateDays} 天提交</span>
        ) : r.dueOn ? (
          <span className="mc-tag mc-tag-green">按时提交</span>
        ) : null}
      </div>
      <div className="muted">
        {shanghaiMinute(r.madeAt)} 填写
        {r.dueOn ? ` · 应于 ${r.dueOn} 前提交` : ''}
        {new Date(r.submittedAt).getTime() - new Date(r.madeAt).getTime() > 10 * 60_000
          ? ` · 离线保存，${shanghaiMinute(r.submittedAt)} 上传`
          : ''}
      </div>
      {r.areas.length ? (
        <div className="fs-ci-flags">
          {r.areas.map((a) => (
            <span key={a} className="mc-tag mc-tag-blue">
              {FS_AREA_LABELS[a]}
            </span>
          ))}
        </div>
      ) : null}
      <div className="fs-report-body">{r.body}</div>
      {r.comments.length ? (
        <div className="fs-report-comments" data-testid="fs-report-comments">
          {r.comments.map((c) => (
            <div key={c.id} className="fs-report-comment">
              <span className="fs-report-side">{FS_REPORT_SIDE_LABELS[c.side]}批阅</span>
              <span className="muted">
                {' '}
                {c.byName ?? ''} · {shanghaiMinute(c.at)}
              </span>
              <div>{c.text}</div>
            </div>
          ))}
        </div>
      ) : null}
      {children}
    </div>
  );
}
