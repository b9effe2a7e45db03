/**
 * The kinds of meeting an organization may record (issue 18 §7a): the meeting form offers these, so a
 * branch is never offered 党小组会 (a Party group holds it) only to be refused on saving. With them the
 * photo size limit, which the form checks when a photo is picked (issue 18 §2).
 */
import { MEETING_KINDS, type MeetingKind } from '../../../contract/meetings.ts';
import type { Tx } from '../../db/index.ts';
import { requireOrgAccess } from '../../platform/access.ts';
import { sizeLimits } from '../../platform/files/limits.ts';
import type { SessionUser } from '../../platform/deps.ts';
import { kindFitsOrg } from './rules.ts';

/**
 * The kinds `orgId` may record, in the list's order, and the county's photo limit (a JPEG's, as the
 * phone sends it); an organization outside the scope is NOT_FOUND.
 */
export async function kindsFor(
  tx: Tx,
  user: Pick<SessionUser, 'scopePath' | 'countyCode'>,
  orgId: string,
): Promise<{ kinds: MeetingKind[]; maxPhotoBytes: number }> {
  const org = await requireOrgAccess(tx, user, orgId);
  const limits = await sizeLimits(tx, user.countyCode, ['jpeg']);
  return { kinds: MEETING_KINDS.filter((k) => kindFitsOrg(k, org.kind)), maxPhotoBytes: limits.jpeg ?? 0 };
}
