/**
 * Evidence of the lists (issue 19): files a holder uploads for a task's share (task_evidence) or an
 * organization for its rectification (problem_evidence), each kept pending until the next report takes
 * it (event_id, progress_id). One set of statements for both stores; the files themselves come through
 * the platform's evidence pipeline (meetings/evidence.ts prepareEvidence: re-encoded, SM3, capture time).
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { taskEvidenceView } from '../../../contract/lists.ts';
import type { Tx } from '../../db/index.ts';
import { childOf, inCounty, joinOrg, orgInScopeSql } from '../../platform/access.ts';
import type { SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';

/** Where a kind of evidence is kept: its table, the column naming what it belongs to, and the report that took it. */
export interface EvidenceStore {
  table: 'task_evidence' | 'problem_evidence';
  parent: 'assignment_id' | 'problem_id';
  group: 'event_id' | 'progress_id';
}
export const TASK_EVIDENCE: EvidenceStore = { table: 'task_evidence', parent: 'assignment_id', group: 'event_id' };
export const PROBLEM_EVIDENCE: EvidenceStore = {
  table: 'problem_evidence',
  parent: 'problem_id',
  group: 'progress_id',
};

/** What it belongs to: an assignment or a problem of a county. */
export type EvidenceOwner = { countyCode: string; id: string; orgId: string };

export interface PreparedFile {
  key: string;
  sm3: string;
  sourceSm3: string;
  size: number;
  kind: string;
  mime: string;
  filename: string;
  width: number | null;
  height: number | null;
  capturedAt: Date | null;
  capturedFrom: string | null;
  thumbKey: string | null;
  thumbSm3: string | null;
}

export type EvidenceView = z.infer<typeof taskEvidenceView>;

const t = (s: EvidenceStore) => sql.raw(s.table);
const col = (c: string) => sql.raw(`e.${c}`);

/** How many files it holds now (not deleted). */
export async function evidenceCount(tx: Tx, s: EvidenceStore, o: EvidenceOwner): Promise<number> {
  const n = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${t(s)} e
    where ${childOf({ countyCode: o.countyCode, id: o.id }, 'e', s.parent)} and e.deleted_at is null`);
  return Number(n.rows[0].n);
}

/** Store a prepared file as pending evidence of `o`; its id. */
export async function insertEvidence(
  tx: Tx,
  s: EvidenceStore,
  o: EvidenceOwner,
  p: PreparedFile,
  userId: string,
): Promise<string> {
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into ${t(s)} (county_code, ${sql.raw(s.parent)}, org_id, blob_key, sm3,
      source_sm3, size, kind, mime, filename, width, height, captured_at, thumb_key, thumb_sm3, uploaded_by)
    values (${o.countyCode}, ${o.id}, ${o.orgId}, ${p.key}, ${p.sm3}, ${p.sourceSm3}, ${p.size}, ${p.kind}, ${p.mime}, ${p.filename},
      ${p.width}, ${p.height}, ${p.capturedAt ? p.capturedAt.toISOString() : null}, ${p.thumbKey}, ${p.thumbSm3}, ${userId})
    returning id`);
  return r.rows[0].id;
}

/** Bind `o`'s evidence not yet sent with a report to the report `groupId`; how many files it took. */
export async function claimEvidence(tx: Tx, s: EvidenceStore, o: EvidenceOwner, groupId: string): Promise<number> {
  const r = await tx.execute(sql`update ${t(s)} e set ${sql.raw(s.group)} = ${groupId}
    where ${childOf({ countyCode: o.countyCode, id: o.id }, 'e', s.parent)} and ${col(s.group)} is null and e.deleted_at is null`);
  return r.rowCount ?? 0;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

/** Every file of `o`, oldest first, with the report that took it (null: pending). */
export async function evidenceViews(
  tx: Tx,
  s: EvidenceStore,
  o: Pick<EvidenceOwner, 'countyCode' | 'id'>,
): Promise<(EvidenceView & { groupId: string | null })[]> {
  const r = await tx.execute<{
    id: string;
    group_id: string | null;
    filename: string;
    kind: string;
    size: number;
    captured_at: Date | null;
    thumb_key: string | null;
    created_at: Date;
    uploaded_by_name: string | null;
  }>(sql`select e.id, ${col(s.group)} as group_id, e.filename, e.kind, e.size, e.captured_at, e.thumb_key, e.created_at,
      u.display_name as uploaded_by_name
    from ${t(s)} e left join users u on u.county_code = e.county_code and u.id = e.uploaded_by
    where ${childOf({ countyCode: o.countyCode, id: o.id }, 'e', s.parent)} and e.deleted_at is null order by e.created_at, e.id`);
  return r.rows.map((e) => ({
    id: e.id,
    groupId: e.group_id,
    filename: e.filename,
    kind: e.kind,
    size: Number(e.size),
    capturedAt: e.captured_at ? iso(e.captured_at) : null,
    hasThumbnail: !!e.thumb_key,
    uploadedAt: iso(e.created_at),
    uploadedByName: e.uploaded_by_name ?? '',
  }));
}

/** A view without its report's id. */
export const bare = ({ groupId: _g, ...v }: EvidenceView & { groupId: string | null }): EvidenceView => v;

export type EvidenceFile = {
  id: string;
  parent_id: string;
  org_id: string;
  blob_key: string;
  sm3: string;
  size: number;
  kind: string;
  mime: string;
  filename: string;
  thumb_key: string | null;
  thumb_sm3: string | null;
};

/** A file of the store whose organization is in the user's scope, or NOT_FOUND. */
export async function evidenceFile(db: Tx, s: EvidenceStore, user: SessionUser, id: string): Promise<EvidenceFile> {
  const r =
    await db.execute<EvidenceFile>(sql`select e.id, ${col(s.parent)} as parent_id, e.org_id, e.blob_key, e.sm3, e.size,
      e.kind, e.mime, e.filename, e.thumb_key, e.thumb_sm3
    from ${t(s)} e ${joinOrg('e')} where ${inCounty(user, 'e')} and e.id = ${id} and e.deleted_at is null and ${orgInScopeSql(user)}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

/** One file's view, read through the user's scope. */
export async function evidenceView(db: Tx, s: EvidenceStore, user: SessionUser, id: string): Promise<EvidenceView> {
  const e = await evidenceFile(db, s, user, id);
  const v = (await evidenceViews(db, s, { countyCode: user.countyCode, id: e.parent_id })).find((x) => x.id === id);
  if (!v) throw new AppError('NOT_FOUND');
  return bare(v);
}
