/**
 * What the task pages share: status marks, the rollup line, evidence thumbnails, today in Beijing; for the
 * notices, documents and draws: plain marks, periods, shares, Chinese dates and downloads.
 */
import { Card } from 'antd';
import { shanghaiDate } from '../../../../contract/calendar.ts';
import { TASK_EVENT_LABELS, TASK_STATUS_LABELS, type TaskStatus } from '../../../../contract/labels.ts';
import { periodLabel } from '../../../../contract/periods.ts';
import { download } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.tsx';
import { bytesText, dateTimeText, thousands } from '../../app/format.ts';
import type {
  AnswerLevel,
  AssignmentView,
  DirectiveRecipient,
  DirectiveView,
  TargetSheet,
  TaskEvidenceView,
  TaskRollup,
} from '../../app/types.ts';

export { TASK_EVENT_LABELS, TASK_STATUS_LABELS };

/** Today's date in Asia/Shanghai, as deadlines are written (the server counts lateness by it). */
export function beijingToday(): string {
  return shanghaiDate(new Date());
}

/** The colour of each state (antd Tag colours; the phone's plain marks use the same names). */
export const TASK_STATUS_COLORS: Record<TaskStatus, string> = {
  issued: 'gold',
  signed: 'blue',
  inProgress: 'processing',
  submitted: 'purple',
  returned: 'red',
  done: 'green',
};

/** A state as a plain mark (no antd Tag: cheap in long phone lists). */
export function StatusMark({ status }: { status: TaskStatus }) {
  return <span className={`task-status task-status-${status}`}>{TASK_STATUS_LABELS[status]}</span>;
}

/** What an event's kind is called; an unknown kind (a newer server) reads as 记录. */
export function eventLabel(kind: string): string {
  return TASK_EVENT_LABELS[kind] ?? '记录';
}

/** 已完成 3/12 · 已签收 5 · 逾期 2 (逾期 in red), with a thin bar of the done share. */
export function RollupLine({ rollup, showSigned = false }: { rollup: TaskRollup; showSigned?: boolean }) {
  const { total, done, signed, overdue } = rollup;
  const share = total ? Math.round((done / total) * 100) : 0;
  return (
    <div className="task-rollup">
      <div className="task-bar" aria-hidden>
        <div className="task-bar-done" style={{ width: `${share}%` }} />
      </div>
      <span>
        已完成 {thousands(done)}/{thousands(total)}
        {showSigned ? ` · 已签收 ${thousands(signed)}` : ''}
        {overdue ? <span className="task-overdue"> · 逾期 {thousands(overdue)}</span> : null}
      </span>
    </div>
  );
}

/** 逾期 N 天 in red, or nothing. */
export function OverdueText({ a }: { a: Pick<AssignmentView, 'overdue' | 'overdueDays'> }) {
  if (!a.overdue) return null;
  return <span className="task-overdue">逾期 {a.overdueDays} 天</span>;
}

/** One piece of evidence: its thumbnail (or its kind), a tap downloads the original. */
/** A file of a task's share (base /api/tasks/evidence) or of a rectification (/api/problems/evidence). */
export function EvidenceItem({ ev, base = '/api/tasks/evidence' }: { ev: TaskEvidenceView; base?: string }) {
  const { message } = useFeedback();
  const get = async () => {
    try {
      await download(`${base}/${ev.id}`, {}, ev.filename);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '下载失败');
    }
  };
  return (
    <button
      type="button"
      className="ev-item"
      onClick={() => void get()}
      title="点击下载原件"
      data-testid="task-evidence"
    >
      {ev.hasThumbnail ? (
        <img src={`${base}/${ev.id}/thumbnail`} alt={ev.filename} loading="lazy" />
      ) : (
        <span className="ev-none">{ev.kind === 'pdf' ? 'PDF 文件' : ev.kind === 'video' ? '视频' : '无预览'}</span>
      )}
      <div className="ev-meta">
        <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{ev.filename}</div>
        <div>
          {ev.capturedAt ? `拍摄于 ${dateTimeText(ev.capturedAt)}` : `上传于 ${dateTimeText(ev.uploadedAt)}`} ·{' '}
          {bytesText(ev.size)}
        </div>
      </div>
    </button>
  );
}

/** A plain coloured mark (the phone cards' `mc-tag`, no antd Tag): red, gold, green, blue or grey. */
export function Mark({
  color,
  children,
}: {
  color: 'red' | 'gold' | 'green' | 'blue' | 'grey';
  children: React.ReactNode;
}) {
  return <span className={`mc-tag mc-tag-${color}`}>{children}</span>;
}

/** A period as a notice names it (2026年11月, 2026年第四季度, 2026年); a malformed one as it is. */
export function periodText(period: string): string {
  try {
    return periodLabel(period);
  } catch {
    return period;
  }
}

/** A share 0–1 as the notice's document writes it (80.0%); none: —. */
export function percentText(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

/** 2026-11-05 → 2026年11月5日, as the notice's document dates. */
export function zhDate(d: string): string {
  return `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
}

/** Downloads a file of the lists module (the app's helper: WeChat is told to open the browser) and says so. */
export function useDownload(): (path: string, fallbackName: string) => Promise<void> {
  const { message } = useFeedback();
  return async (path, fallbackName) => {
    const hide = message.loading('正在下载…', 0);
    try {
      const name = await download(path, {}, fallbackName);
      message.success(`已下载：${name}`);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '下载失败');
    } finally {
      hide();
    }
  };
}

/** 签收 x/y · 报告 x/y · 逾期 n (逾期 in red), over the recipients in the reader's scope. */
export function DirectiveCounts({ counts }: { counts: DirectiveView['counts'] }) {
  const { total, signed, reported, late } = counts;
  return (
    <span className="directive-counts">
      签收 {thousands(signed)}/{thousands(total)} · 报告 {thousands(reported)}/{thousands(total)}
      {late ? <span className="task-overdue"> · 逾期 {thousands(late)}</span> : null}
    </span>
  );
}

/** A recipient's copy: 待签收, 待报告 or 已报告, in red when its day has passed (逾期未签收, 逾期报告…). */
export function MineState({ r }: { r: DirectiveRecipient }) {
  if (!r.signedAt) return r.signLate ? <Mark color="red">逾期未签收</Mark> : <Mark color="gold">待签收</Mark>;
  if (!r.reportedAt) return r.reportLate ? <Mark color="red">逾期未报告</Mark> : <Mark color="blue">待报告</Mark>;
  return r.reportLate || r.signLate ? (
    <Mark color="red">{r.reportLate ? '已报告（逾期）' : '已报告（签收逾期）'}</Mark>
  ) : (
    <Mark color="green">已报告</Mark>
  );
}
/** A score as written on the sheet: 87.5, 90. */
export function scoreText(n: number): string {
  return Number.isInteger(n) ? thousands(n) : n.toFixed(1);
}

/** 已兑标 once every target is scored; 未兑标 before. */
export function SettledMark({ s }: { s: Pick<TargetSheet, 'settled'> }) {
  return s.settled ? <Mark color="green">已兑标</Mark> : <Mark color="gold">未兑标</Mark>;
}

/**
 * Who answers at each level (党建责任制): the 第一责任人 of the holder and of each organization above it
 * up to the reader's own, today and when the task was issued or the problem opened.
 */
export function AnswerLevels({ levels, atStartLabel }: { levels: AnswerLevel[]; atStartLabel: string }) {
  return (
    <Card size="small" className="mr-card" title="各级责任人" data-testid="answer-levels">
      <div className="answer-levels">
        {levels.map((l) => (
          <div key={l.orgId} className="answer-level">
            <div className="answer-level-org">{l.orgName}</div>
            <div>
              第一责任人 <b>{l.now ?? '（空缺）'}</b>
              {l.atStart !== l.now ? (
                <span className="muted">
                  （{atStartLabel}为{l.atStart ?? '空缺'}）
                </span>
              ) : null}
            </div>
          </div>
        ))}
      </div>
    </Card>
  );
}
