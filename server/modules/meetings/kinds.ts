/**
 * The kinds of meeting an organization may record (issue 18 §7a): the meeting form offers these, so a
 * branch is never offered 党小组会 (a Party group holds it) only to be refused on saving.
 */
import { MEETING_KINDS, type MeetingKind } from '../../../contract/meetings.ts';
import type { Tx } from '../../db/index.ts';
import { requireOrgAccess } from '../../platform/access.ts';
import type { SessionUser } from '../../platform/deps.ts';
import { kindFitsOrg } from './rules.ts';

/** The kinds `orgId` may record, in the list's order; an organization outside the scope is NOT_FOUND. */
export async function kindsFor(
  tx: Tx,
  user: Pick<SessionUser, 'scopePath' | 'countyCode'>,
  orgId: string,
): Promise<{ kinds: MeetingKind[] }> {
  const org = await requireOrgAccess(tx, user, orgId);
  return { kinds: MEETING_KINDS.filter((k) => kindFitsOrg(k, org.kind)) };
}
