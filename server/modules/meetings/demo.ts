/**
 * Photos on the demo county's meeting records (issue 8 "Demo data"): drawn meeting-room photos with
 * the phone's capture time, put through the same pipeline as an upload (re-encoded, hashed,
 * thumbnailed, SM3 recorded), and a few of the tricks an inspector should catch: the same photo on
 * two organizations' records, the same picture re-saved smaller, a photo taken weeks before the
 * meeting. Runs after the county is seeded, outside its transaction (files first, rows after).
 */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { childOf } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import type { DemoPart } from '../../platform/demo.ts';
import { addDays, Rng } from '../seed/api.ts';
import { demoPhoto } from './demo-photos.ts';
import { type PreparedEvidence, prepareEvidence } from './evidence.ts';
import { shanghaiMinute } from '../../platform/calendar.ts';

type Target = {
  id: string;
  org_id: string;
  held_on: string;
  starts_at: string;
};

async function prepared(deps: Deps, bytes: Buffer, filename: string): Promise<PreparedEvidence> {
  const stored = await deps.files.store(Readable.from([bytes]), { allowedKinds: ['jpeg'], maxBytes: bytes.length + 1 });
  return prepareEvidence(deps, { ...stored, filename });
}

/** Attach photos to about `count` of the county's recent meetings; returns how many evidence rows were written. */
export async function seedDemoEvidence(deps: Deps, county: string, count = 20): Promise<number> {
  const { db } = deps.database;
  const rng = new Rng(`evidence:${county}`);
  // Only once per county: a county that already has evidence (a restart, real use) is left alone.
  const any = await db.execute(sql`select 1 from evidence where county_code = ${county} limit 1`);
  if (any.rows.length) return 0;
  const res = await db.execute<Target>(sql`
    select m.id, m.org_id, m.held_on::text as held_on, m.starts_at::text as starts_at from meetings m
    where m.county_code = ${county} and m.deleted_at is null and m.kind in ('themedDay', 'branchMeeting', 'specialMeeting', 'partyLecture')
      and not exists (select 1 from evidence e where ${childOf('m', 'e', 'owner_id')} and e.owner_type = 'meeting')
    order by m.held_on desc, m.id limit ${count * 8}`);
  const pool = rng.shuffle(res.rows.slice());
  const chosen = pool.slice(0, count);
  if (!chosen.length) return 0;
  const rows: { target: Target; p: PreparedEvidence }[] = [];
  for (const [i, t] of chosen.entries()) {
    // One record in eight has a photo taken weeks before the meeting (a picture from an earlier event).
    const taken = i % 8 === 5 ? `${addDays(t.held_on, -rng.int(30, 60))} 09:30` : shanghaiMinute(t.starts_at);
    const bytes = await demoPhoto(`${county}:${t.id}`, taken);
    rows.push({
      target: t,
      p: await prepared(deps, bytes, `IMG_${t.held_on.replace(/-/g, '')}_${String(1000 + i)}.jpg`),
    });
    // Some records have two photos.
    if (i % 3 === 0) {
      const more = await demoPhoto(`${county}:${t.id}:2`, shanghaiMinute(t.starts_at));
      rows.push({
        target: t,
        p: await prepared(deps, more, `IMG_${t.held_on.replace(/-/g, '')}_${String(2000 + i)}.jpg`),
      });
    }
  }
  // Re-use: the first photos of three records appear again on another organization's record, as sent
  // (same file) or re-saved smaller (the same picture, other bytes).
  const others = pool.slice(count).filter((t) => !chosen.some((c) => c.org_id === t.org_id));
  for (let k = 0; k < Math.min(3, others.length); k++) {
    const src = chosen[k];
    const original = await demoPhoto(`${county}:${src.id}`, shanghaiMinute(src.starts_at));
    const bytes = k === 1 ? await sharp(original).resize(800).jpeg({ quality: 70 }).toBuffer() : original;
    rows.push({
      target: others[k],
      p: await prepared(deps, bytes, `微信图片_${others[k].held_on.replace(/-/g, '')}.jpg`),
    });
  }
  await db.transaction(async (tx) => {
    for (const { target: t, p } of rows) {
      await tx.execute(sql`
        insert into evidence (county_code, owner_type, owner_id, org_id, blob_key, sm3, source_sm3, size, kind, mime, filename, width, height, captured_at, phash, thumb_key, thumb_sm3, created_at)
        values (${county}, 'meeting', ${t.id}, ${t.org_id}, ${p.key}, ${p.sm3}, ${p.sourceSm3}, ${p.size}, ${p.kind}, ${p.mime}, ${p.filename}, ${p.width}, ${p.height},
          ${p.capturedAt ? p.capturedAt.toISOString() : null}, ${p.phash}, ${p.thumbKey}, ${p.thumbSm3}, least(${t.starts_at}::timestamptz + interval '2 hours', now()))`);
    }
  });
  return rows.length;
}

/** The meetings module's part of the demo county: photos on about twenty recent records, after the county is seeded. */
const part: DemoPart = {
  installed: async ({ county, deps, log }): Promise<Record<string, number>> => {
    if (!deps) {
      log('演示照片：未配置文件存储，跳过');
      return {};
    }
    return { 影像资料: await seedDemoEvidence(deps, county) };
  },
};

export default part;
