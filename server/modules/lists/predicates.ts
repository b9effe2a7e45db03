/**
 * The lists module's facts said once in SQL, for every statement that counts them: the notices, the
 * dashboard and the rules engine's checks (RECT-1, DOC-1). rectification.ts works out the same 销号
 * for one problem when it shows it.
 */
import { type SQL, sql } from 'drizzle-orm';

const alias = (a: string) => sql.raw(/^[a-z_][a-z0-9_]*$/.test(a) ? a : '"invalid alias"');

/** Problem `p` (an alias of problems) is 销号: cleared, and the newest verification since it last opened passed. */
export function closedSql(p = 'p'): SQL {
  const a = alias(p);
  return sql`(${a}.status = 'cleared' and coalesce((select v.result from problem_verifications v
    where v.county_code = ${a}.county_code and v.problem_id = ${a}.id and v.at >= coalesce(${a}.opened_at, ${a}.raised_at)
    order by v.at desc, v.id desc limit 1), '') = 'pass')`;
}

/** A document's copy `r` (directive_recipients, its directive `d`) not signed after its sign day has passed, on `today`. */
export function unsignedSql(today: string, r = 'r', d = 'd'): SQL {
  return sql`(${alias(r)}.signed_at is null and ${alias(d)}.sign_deadline < ${today}::date)`;
}

/** The same copy not reported on after its report day has passed. */
export function unreportedSql(today: string, r = 'r', d = 'd'): SQL {
  return sql`(${alias(r)}.reported_at is null and ${alias(d)}.report_deadline < ${today}::date)`;
}
