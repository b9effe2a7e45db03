/**
 * How the rules engine reacts to other modules' changes (manifest `subscribes`; server/platform/events.ts):
 * the organization a change touches is re-checked in the writer's transaction, so the problem list is
 * true when the write commits.
 */
import type { EventHandlers } from '../../platform/events.ts';
import type { RuleInput } from '../module.ts';
import { closeProblemsOfInactive, recheck } from './engine.ts';
import { todayOf } from './periods.ts';

const handlers: EventHandlers = {
  /** A meeting saved, corrected or deleted, or an appraisal graded: that organization for the periods of its dates, only the rules reading those kinds. */
  'meetings.lifeChanged': async (tx, deps, change) => {
    const touched: RuleInput[] | undefined = change.kinds
      ? ([
          ...change.kinds.flatMap((k) => (k === 'appraisal' ? ['meeting:appraisal', 'grades'] : [`meeting:${k}`])),
          'attendance',
        ] as RuleInput[])
      : undefined;
    await recheck(tx, deps, {
      countyCode: change.countyCode,
      orgId: change.orgId,
      dates: change.dates,
      memberIds: change.memberIds,
      userId: change.userId ?? null,
      touched,
    });
  },
  /** An organization's standing or posts changed: every rule of each organization named, for today's periods and those of the dates the change reaches. */
  'orgs.changed': async (tx, deps, change) => {
    // A change of posts moves the rules reading posts; any other change of an organization (its kind, founding, place in the tree, members moved with a merge) every rule.
    const touched: RuleInput[] | undefined = change.change === 'posts' ? ['posts'] : undefined;
    // A post or a founding date reaches every period from its date on (a committee registered after the meetings it sat in).
    const since = change.dates.length ? [...change.dates].sort()[0] : undefined;
    await recheck(tx, deps, {
      countyCode: change.countyCode,
      orgIds: change.orgIds,
      dates: [...new Set([todayOf(deps), ...change.dates])],
      since,
      userId: change.userId ?? null,
      touched,
    });
    // A dissolved or merged organization's problems of every period close with their own status, not as fixed.
    if (change.change === 'dissolved' || change.change === 'merged')
      await closeProblemsOfInactive(tx, deps, change.countyCode, change.orgIds, change.userId ?? null);
  },
  /** Members created or moved, or their standing, dates or status changed: their organizations (before and after), for today's periods and those from the earliest date the change reaches. */
  'members.changed': async (tx, deps, change) => {
    const since = change.dates?.length ? [...change.dates].sort()[0] : undefined;
    await recheck(tx, deps, {
      countyCode: change.countyCode,
      orgIds: change.orgIds,
      dates: [todayOf(deps), ...(change.dates ?? [])],
      since,
      memberIds: change.memberIds,
      userId: change.userId ?? null,
      touched: ['members'],
    });
  },
  /** Task shares, documents' copies or rectification plans changed: the organizations named, only the rules reading what changed (standing rules: today). */
  'lists.changed': async (tx, deps, change) => {
    await recheck(tx, deps, {
      countyCode: change.countyCode,
      orgIds: change.orgIds,
      dates: [todayOf(deps)],
      userId: change.userId ?? null,
      touched: change.touched,
    });
  },
  /** A first secretary's posting, a village's designations, check-ins or leave changed: the organizations named, for today and the months of the days it reaches. */
  'firstsec.changed': async (tx, deps, change) => {
    const since = change.dates.length ? [...change.dates].sort()[0] : undefined;
    await recheck(tx, deps, {
      countyCode: change.countyCode,
      orgIds: change.orgIds,
      dates: [...new Set([todayOf(deps), ...change.dates])],
      since,
      userId: change.userId ?? null,
      touched: change.touched,
    });
  },
};

export default handlers;
