/**
 * Tables of the problems module: the rules engine's results, the problem list it keeps, and the
 * rule settings with their effective dates. Distributed by county_code (docs/SCALE.md).
 */
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { countyCode, countyKey, createdAt, id, updatedAt } from '../../db/columns.ts';

/**
 * One check of one rule on one subject for one period, as the engine last worked it out: what the
 * rule required, what the data shows, whether the period has ended. The calendar and the compliance
 * views read these rows; problems are made from the failed ones of ended periods.
 * `period` is '2026-11', '2026-Q4', '2026', or '' for a standing rule (ORG-2: true now or not).
 */
export const ruleResults = pgTable(
  'rule_results',
  {
    countyCode: countyCode(),
    ruleId: text('rule_id').notNull(),
    /** org | member | meeting | grade */
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    period: text('period').notNull(),
    /** The organization the subject belongs to (scope and drill-down). */
    orgId: uuid('org_id').notNull(),
    /** First and last day of the period (Asia/Shanghai dates); null for a standing rule. */
    periodStart: date('period_start'),
    periodEnd: date('period_end'),
    required: integer('required').notNull().default(1),
    held: integer('held').notNull().default(0),
    ok: boolean('ok').notNull(),
    /** The period is over (a running period yields an "upcoming" reminder instead of a problem). */
    ended: boolean('ended').notNull(),
    /** Records that count towards it (meeting ids), for links from the calendar. */
    refs: jsonb('refs').notNull().default([]),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.ruleId, t.subjectType, t.subjectId, t.period] }),
    index('rule_results_org_idx').on(t.countyCode, t.orgId, t.periodStart),
    index('rule_results_rule_period_idx').on(t.countyCode, t.ruleId, t.period),
  ],
);

/**
 * A problem (问题): a rule broken by an organization or a person in a period, or (later) one raised
 * by an inspection or by hand. It clears itself when the data no longer breaks the rule and reopens
 * if it breaks again; `problem_events` keeps each change.
 */
export const problems = pgTable(
  'problems',
  {
    id: id(),
    countyCode: countyCode(),
    /** rule | inspection | manual */
    source: text('source').notNull(),
    /** The rule's id (LIFE-2, ORG-5…) for source 'rule'; for other sources a category code. */
    ruleId: text('rule_id').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    orgId: uuid('org_id').notNull(),
    period: text('period').notNull(),
    /** upcoming (period still running) | open | cleared */
    status: text('status').notNull(),
    /** What is missing, in Chinese ("2026年第四季度未召开支部党员大会"). */
    message: text('message').notNull(),
    /** What clears it, in Chinese. */
    clearedBy: text('cleared_by').notNull(),
    /** The organization's field (领域) and township when raised, for the page's filters. */
    field: text('field'),
    townshipId: uuid('township_id'),
    detail: jsonb('detail').notNull().default({}),
    /** When it first became a problem (not a reminder), when it last opened, when it last cleared. */
    raisedAt: timestamp('raised_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    countyKey(t),
    uniqueIndex('problems_key_uq').on(t.countyCode, t.source, t.ruleId, t.subjectType, t.subjectId, t.period),
    index('problems_org_idx').on(t.countyCode, t.orgId, t.status),
    index('problems_status_idx').on(t.countyCode, t.status, t.ruleId, t.period),
  ],
);

/** A problem's history: each status change and why (a saved meeting, the nightly run, a hand). */
export const problemEvents = pgTable(
  'problem_events',
  {
    id: id(),
    countyCode: countyCode(),
    problemId: uuid('problem_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    message: text('message').notNull(),
    /** incremental | full | nightly | manual */
    cause: text('cause').notNull(),
    userId: uuid('user_id'),
  },
  (t) => [countyKey(t), index('problem_events_problem_idx').on(t.countyCode, t.problemId, t.at)],
);

/**
 * A rule's number as a county set it, from a date on (rules.md "setting"): changing a frequency
 * applies from `effective_from` and does not rewrite the periods before it.
 */
export const ruleSettings = pgTable(
  'rule_settings',
  {
    countyCode: countyCode(),
    key: text('key').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    value: jsonb('value').notNull(),
    setBy: uuid('set_by'),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.key, t.effectiveFrom] })],
);

/** Each full run of the rules for a county (by hand or nightly): when, how long, what changed. */
export const ruleRuns = pgTable(
  'rule_runs',
  {
    id: id(),
    countyCode: countyCode(),
    /** full | nightly */
    kind: text('kind').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** running | done | failed */
    status: text('status').notNull(),
    checked: integer('checked'),
    opened: integer('opened'),
    cleared: integer('cleared'),
    error: text('error'),
    startedBy: uuid('started_by'),
  },
  (t) => [countyKey(t), index('rule_runs_started_idx').on(t.countyCode, t.startedAt)],
);
