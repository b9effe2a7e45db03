/**
 * The engine's findings as other pages show them: an organization card's warnings for the rules the
 * card shows (declared `checkedBy: ['card', …]`) are the engine's open problems and reminders of those
 * rules on that organization — the same answer as the problem list, never a second computation.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import { DECLARED } from './rules/index.ts';
import { uuidArray } from './rules/common.ts';

export interface Finding {
  orgId: string;
  rule: string;
  level: 'warning';
  message: string;
}

/** Rules the organization card shows that the engine checks. */
const CARD_RULES = DECLARED.filter((r) => r.checkedBy.includes('card') && r.checkedBy.includes('engine')).map(
  (r) => r.id,
);

/** The open problems and reminders of the card's standing rules on these organizations, in rule order. */
export async function standingFindings(tx: Tx, county: string, orgIds: string[]): Promise<Finding[]> {
  if (!orgIds.length || !CARD_RULES.length) return [];
  const r = await tx.execute<{
    org_id: string;
    rule_id: string;
    message: string;
  }>(sql`select p.subject_id as org_id, p.rule_id, p.message from problems p
    where p.county_code = ${county} and p.subject_id = any(${uuidArray(orgIds)}) and p.subject_type = 'org' and p.source = 'rule' and p.period = ''
      and p.status in ('open', 'upcoming') and p.rule_id in (${sql.join(
        CARD_RULES.map((id) => sql`${id}`),
        sql`, `,
      )})`);
  return r.rows
    .map((x) => ({ orgId: x.org_id, rule: x.rule_id, level: 'warning' as const, message: x.message }))
    .sort((a, b) => CARD_RULES.indexOf(a.rule) - CARD_RULES.indexOf(b.rule) || a.message.localeCompare(b.message));
}
