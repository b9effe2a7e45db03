/** Marks shared by the training pages and the person's page: one person's attendance, a session's counts. */
import dayjs from 'dayjs';
import type { z } from 'zod';
import type { trainingSummary } from '../../../../contract/firstsec-trainings.ts';
import { FS_ATTENDANCE_LABELS, type FsAttendance } from '../../../../contract/labels.ts';
import { Mark } from '../tasks/shared.tsx';

type Summary = z.infer<typeof trainingSummary>;

export const ATTENDANCE_COLOR: Record<FsAttendance, 'green' | 'gold' | 'red'> = {
  present: 'green',
  leave: 'gold',
  absent: 'red',
};

/** One person's attendance: 出席 / 请假 / 缺席, or 未记录 (the day has not come, or not yet marked). */
export function AttendanceMark({ status, heldOn }: { status: FsAttendance | null; heldOn: string }) {
  if (status) return <Mark color={ATTENDANCE_COLOR[status]}>{FS_ATTENDANCE_LABELS[status]}</Mark>;
  return <Mark color="grey">{heldOn > dayjs().format('YYYY-MM-DD') ? '待参加' : '未记录'}</Mark>;
}

/** 出席 12 · 请假 1 · 缺席 1（共 14 人）, or 共 14 人，未记录 before anything is marked. */
export function Tally({ s }: { s: Summary }) {
  const recorded = s.present + s.leave + s.absent;
  if (!recorded)
    return (
      <span className="muted">
        通知 {s.called} 人，{s.heldOn > dayjs().format('YYYY-MM-DD') ? '尚未举办' : '未记录出勤'}
      </span>
    );
  return (
    <span>
      出席 {s.present}
      {s.leave ? ` · 请假 ${s.leave}` : ''}
      {s.absent ? <span style={{ color: '#cf1322' }}> · 缺席 {s.absent}</span> : ''}
      <span className="muted">（共 {s.called} 人）</span>
    </span>
  );
}
