/** 考勤 on the record form: names tapped through 出席 → 请假 → 缺席, with the committee's live quorum. */
import { Alert, Button, Card, Empty, Input, Skeleton } from 'antd';
import { useState } from 'react';
import { ATTENDANCE_LABELS } from '../../../app/labels.ts';
import type { AttendanceMark } from '../meeting-drafts.ts';

/** Tap order: 出席 → 请假 → 缺席 → 出席. */
const NEXT: Record<AttendanceMark['status'], AttendanceMark['status']> = {
  present: 'leave',
  leave: 'absent',
  absent: 'present',
};

/** A member's mark: those not tapped were present. */
export function markOf(attendance: Record<string, AttendanceMark> | undefined, memberId: string): AttendanceMark {
  return attendance?.[memberId] ?? { status: 'present' };
}

export function AttendanceCard({
  members,
  attendance,
  onChange,
  committeeIds,
  isCommitteeMeeting,
  strictQuorum,
  loading,
  hasOrg,
}: {
  /** Who is expected. */
  members: { id: string; name: string }[];
  attendance: Record<string, AttendanceMark> | undefined;
  onChange: (attendance: Record<string, AttendanceMark>) => void;
  committeeIds: ReadonlySet<string>;
  /** A 支委会 of a known organization: the quorum is shown. */
  isCommitteeMeeting: boolean;
  /** The county reads 第十二条 as “more than half” (else at least half). */
  strictQuorum: boolean;
  loading: boolean;
  hasOrg: boolean;
}) {
  const [justTapped, setJustTapped] = useState<string | null>(null);
  const attendanceOf = (memberId: string) => markOf(attendance, memberId);
  const tap = (memberId: string) => {
    setJustTapped(memberId);
    const cur = attendanceOf(memberId);
    onChange({
      ...attendance,
      [memberId]: { status: NEXT[cur.status], reason: NEXT[cur.status] === 'leave' ? cur.reason : undefined },
    });
  };
  const counts = { present: 0, leave: 0, absent: 0 };
  for (const m of members) counts[attendanceOf(m.id).status]++;
  const committeePresent = [...committeeIds].filter((id) => attendanceOf(id).status === 'present').length;
  // 第十二条 “半数以上委员到会”, as the county reads it (at least half by default): the same test the record's warning and the rules engine apply.
  const quorumOk =
    committeeIds.size > 0 &&
    (committeePresent * 2 > committeeIds.size || (!strictQuorum && committeePresent * 2 === committeeIds.size));

  return (
    <Card
      size="small"
      className="mr-card"
      title={
        <span>
          考勤{' '}
          <span className="mr-counts">
            应到 {members.length} · 实到 <b>{counts.present}</b> · 请假 {counts.leave} · 缺席 {counts.absent}
          </span>
        </span>
      }
      extra={
        <Button size="small" onClick={() => onChange({})} disabled={!members.length} data-testid="attendance-all">
          全部出席
        </Button>
      }
    >
      {isCommitteeMeeting ? (
        committeeIds.size ? (
          <Alert
            type={quorumOk ? 'success' : 'error'}
            showIcon
            style={{ marginBottom: 8 }}
            data-testid="meeting-quorum"
            title={
              quorumOk
                ? `到会委员 ${committeePresent}/${committeeIds.size}，达到${strictQuorum ? '超过半数' : '半数以上'}`
                : `到会委员 ${committeePresent}/${committeeIds.size}，${strictQuorum ? '未超过半数' : '不足半数'}，支委会不能作出决定（第十二条）`
            }
          />
        ) : (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 8 }}
            title="该组织没有登记支部委员，无法判断到会委员是否达到半数"
          />
        )
      ) : null}
      <div className="muted" style={{ fontSize: 12, marginBottom: 8 }}>
        点姓名切换：出席 → 请假 → 缺席。{committeeIds.size ? '带“委”字的是支部委员。' : ''}
      </div>
      {loading ? (
        <Skeleton active />
      ) : members.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={hasOrg ? '该组织暂无党员' : '请先选择党组织'} />
      ) : (
        <div className="mr-people" data-testid="attendance-list">
          {members.map((m) => {
            const a = attendanceOf(m.id);
            return (
              <div key={m.id} className={`mr-person-wrap${a.status === 'leave' ? ' with-reason' : ''}`}>
                <button
                  type="button"
                  className={`mr-person mr-${a.status}`}
                  onClick={() => tap(m.id)}
                  data-testid="attendance-person"
                  aria-label={`${m.name}：${ATTENDANCE_LABELS[a.status]}，点按切换`}
                >
                  <span className="mr-person-name">
                    {m.name}
                    {committeeIds.has(m.id) ? <span className="mr-committee">委</span> : null}
                  </span>
                  <span className="mr-person-status">{ATTENDANCE_LABELS[a.status]}</span>
                </button>
                {a.status === 'leave' ? (
                  <Input
                    size="small"
                    autoFocus={justTapped === m.id}
                    className="mr-reason"
                    placeholder="请假原因（必填）"
                    value={a.reason}
                    maxLength={200}
                    status={a.reason?.trim() ? undefined : 'warning'}
                    onChange={(e) => onChange({ ...attendance, [m.id]: { status: 'leave', reason: e.target.value } })}
                    aria-label={`${m.name}的请假原因`}
                  />
                ) : null}
              </div>
            );
          })}
        </div>
      )}
    </Card>
  );
}
