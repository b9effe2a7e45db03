/**
 * What the roster and a first secretary's page share: the month (Beijing), the days in the village said
 * in words and judged (short when the month is over or the rest of it cannot make up the days), the
 * absence run highlighted from the county's usual alert (5 working days: the view does not carry the
 * setting), and the marks of status and role.
 */

import { Tag } from 'antd';
import { shanghaiDate } from '../../../../contract/calendar.ts';
import {
  FS_AREA_LABELS,
  FS_DAYS_ROLES,
  FS_AREAS,
  FS_ROLE_LABELS,
  FS_STATUS_LABELS,
  type FsArea,
} from '../../../../contract/labels.ts';
import { thousands } from '../../app/format.ts';
import type { FsMonth, FsView } from '../../app/types.ts';
import { Mark } from '../tasks/shared.tsx';

/** Today in Beijing (YYYY-MM-DD). */
export function beijingToday(): string {
  return shanghaiDate(new Date());
}

/** This month in Beijing (YYYY-MM). */
export function thisMonth(): string {
  return beijingToday().slice(0, 7);
}

/** A valid YYYY-MM from the address, or null. */
export function monthParam(s: string | null | undefined): string | null {
  return s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s) ? s : null;
}

/** 2026-12 → 2026年12月 (12月 within this year when `short`). */
export function monthText(month: string, short = false): string {
  const y = month.slice(0, 4);
  const m = Number(month.slice(5, 7));
  return short && y === thisMonth().slice(0, 4) ? `${m}月` : `${y}年${m}月`;
}

import { isShort } from './month-rule.ts';

export { isShort };

/** The longest absence reaches the county's alert (the server reads firstsec.gapAlertDays). */
export const gapAlert = (a: FsMonth) => a.gapAlert;

/** 12月在村 9 天，应不少于 15 天；请假 2 天；最长连续 3 个工作日未到岗. */
export function attendanceSentence(a: FsMonth, role: FsView['role']): string {
  if (!FS_DAYS_ROLES.includes(role))
    return `${monthText(a.month, true)}到联系的组织打卡 ${thousands(a.daysIn)} 天（${FS_ROLE_LABELS[role]}不作驻村天数要求，按“五个一”每半月到联系的组织工作 1 天）`;
  const parts = [`${monthText(a.month, true)}在村 ${thousands(a.daysIn)} 天，应不少于 ${thousands(a.required)} 天`];
  if (a.leaveDays) parts.push(`请假 ${thousands(a.leaveDays)} 天`);
  parts.push(a.longestGap ? `最长连续 ${thousands(a.longestGap)} 个工作日未到岗` : '没有连续未到岗');
  if (a.flagged) parts.push(`有标记的打卡 ${thousands(a.flagged)} 次`);
  if (!a.judged) parts.push('本月账号未满月，不作驻村天数考核');
  return parts.join('；');
}

/** 在岗 (green), 任期结束 (grey), 召回调整 (gold). */
export function StatusMark({ status }: { status: FsView['status'] }) {
  return (
    <Mark color={status === 'serving' ? 'green' : status === 'recalled' ? 'gold' : 'grey'}>
      {FS_STATUS_LABELS[status]}
    </Mark>
  );
}

export function RoleMark({ role }: { role: FsView['role'] }) {
  return <Mark color="blue">{FS_ROLE_LABELS[role]}</Mark>;
}

/** 在村 9 天 / 应 15 天 (red when short). */
export function DaysIn({ a, role }: { a: FsMonth; role: FsView['role'] }) {
  if (!FS_DAYS_ROLES.includes(role)) return <span>到联系的组织 {thousands(a.daysIn)} 天</span>;
  return (
    <span className={isShort(a) ? 'task-overdue' : undefined}>
      在村 {thousands(a.daysIn)} 天 / 应 {thousands(a.required)} 天
    </span>
  );
}

/** 最长连续未到岗 N 个工作日, in red with 连续未到岗 when ≥ the alert. */
export function GapText({ a, prefix = true }: { a: FsMonth; prefix?: boolean }) {
  if (!a.longestGap) return <span className="muted">{prefix ? '无连续未到岗' : '无'}</span>;
  return gapAlert(a) ? (
    <span className="task-overdue">连续未到岗 {thousands(a.longestGap)} 个工作日</span>
  ) : (
    <span>
      {prefix ? '最长连续未到岗 ' : ''}
      {thousands(a.longestGap)} 个工作日
    </span>
  );
}

/** The work areas as tags to tick (a form control: value and onChange). */
export function AreaTags({ value = [], onChange }: { value?: FsArea[]; onChange?: (v: FsArea[]) => void }) {
  return (
    <div className="fs-areas" data-testid="fs-areas">
      {FS_AREAS.map((a) => (
        <Tag.CheckableTag
          key={a}
          checked={value.includes(a)}
          onChange={(on) =>
            onChange?.(on ? FS_AREAS.filter((x) => x === a || value.includes(x)) : value.filter((x) => x !== a))
          }
        >
          {FS_AREA_LABELS[a]}
        </Tag.CheckableTag>
      ))}
    </div>
  );
}
