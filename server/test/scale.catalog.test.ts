/**
 * The scale path, checked against the live catalog (docs/SCALE.md): every table of the migrated
 * database has a declared role in server/db/table-roles.ts, and keeps it. Each rule is also shown to
 * fail for the reason it names, on a table made for the purpose.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { citusStatements, TABLE_ROLES, tableRoleProblems } from '../db/table-roles.ts';
import { createTestDatabase } from './harness.ts';
import { scaleDoc } from '../../scripts/scale-doc.ts';

let c: pg.Client;
let drop: () => Promise<void>;
beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  // The owner: it may create the tables that break the rules.
  c = new pg.Client({ connectionString: db.url });
  await c.connect();
});
afterAll(async () => {
  await c?.end();
  await drop?.();
});

describe('the migrated schema keeps every table’s declared role', () => {
  it('has no problems: every table declared, distributed tables keyed by county, reference tables without it', async () => {
    expect(await tableRoleProblems(c)).toEqual([]);
  });

  it('declares the tables it should, in the roles the issue names', () => {
    const roles = Object.fromEntries(Object.entries(TABLE_ROLES).map(([t, d]) => [t, d.role]));
    for (const t of [
      'orgs',
      'org_posts',
      'org_events',
      'members',
      'member_org_history',
      'users',
      'account_requests',
      'audit_log',
      'settings',
      'county_code_lists',
      'sessions',
    ]) {
      expect(roles[t], t).toBe('distributed');
    }
    expect(roles.code_lists).toBe('reference');
    for (const t of ['rate_limits', 'platform_meta']) expect(roles[t], t).toBe('local');
  });
});

describe('each rule fails for the reason it names', () => {
  const scratch: string[] = [];
  afterEach(async () => {
    for (const t of scratch.splice(0)) await c.query(`drop table if exists "${t}" cascade`);
  });

  it('a new table without a declared role', async () => {
    scratch.push('stray');
    await c.query('create table stray (id int primary key)');
    expect(await tableRoleProblems(c)).toEqual([
      'table stray has no declared role in server/db/table-roles.ts (distributed, reference or local)',
    ]);
  });

  it('a declared table that is missing', async () => {
    expect(await tableRoleProblems(c, { ...TABLE_ROLES, ghosts: { role: 'local', reason: 'test' } })).toEqual([
      'table ghosts is declared but does not exist',
    ]);
  });

  it('a distributed table whose county_code is nullable, of another type, or outside its primary key', async () => {
    scratch.push('scratch_dist', 'scratch_wide');
    await c.query('create table scratch_dist (county_code char(6), id uuid primary key)');
    await c.query('create table scratch_wide (county_code text not null, id uuid, primary key (county_code, id))');
    const problems = await tableRoleProblems(c, {
      ...TABLE_ROLES,
      scratch_dist: { role: 'distributed', reason: 'test' },
      scratch_wide: { role: 'distributed', reason: 'test' },
    });
    expect(problems).toContain('distributed table scratch_dist: county_code is nullable (must be NOT NULL)');
    expect(problems).toContain(
      'distributed table scratch_dist: primary key scratch_dist_pkey does not include county_code (Citus needs the distribution column in every unique constraint)',
    );
    expect(problems).toContain(
      'distributed table scratch_wide: county_code is text, must be char(6) (co-located tables share the distribution column type)',
    );
    expect(problems).toHaveLength(3);
  });

  it('a distributed table without county_code, or without a primary key', async () => {
    scratch.push('scratch_nocounty');
    await c.query('create table scratch_nocounty (id uuid)');
    expect(
      await tableRoleProblems(c, { ...TABLE_ROLES, scratch_nocounty: { role: 'distributed', reason: 'test' } }),
    ).toEqual([
      'distributed table scratch_nocounty has no county_code column',
      'distributed table scratch_nocounty has no primary key',
    ]);
  });

  it('a unique index on a distributed table without county_code (here: an ID number unique across counties)', async () => {
    await c.query('create unique index scratch_members_bidx_uq on members (id_bidx)');
    try {
      expect(await tableRoleProblems(c)).toEqual([
        'distributed table members: unique index scratch_members_bidx_uq does not include county_code (Citus needs the distribution column in every unique constraint)',
      ]);
    } finally {
      await c.query('drop index scratch_members_bidx_uq');
    }
  });

  it('a reference table with county_code', async () => {
    await c.query('alter table code_lists add column county_code char(6)');
    try {
      expect(await tableRoleProblems(c)).toEqual([
        'reference table code_lists has a county_code column (per-county rows belong in a distributed table)',
      ]);
    } finally {
      await c.query('alter table code_lists drop column county_code');
    }
  });

  it('foreign keys: between distributed tables only with county_code paired; never from reference to distributed, nor to a local table', async () => {
    // members → orgs on (county_code, id): the co-located form Citus accepts.
    await c.query(
      'alter table members add constraint scratch_members_org_fk foreign key (county_code, org_id) references orgs (county_code, id)',
    );
    try {
      expect(await tableRoleProblems(c)).toEqual([]);
    } finally {
      await c.query('alter table members drop constraint scratch_members_org_fk');
    }
    scratch.push('scratch_parent', 'scratch_child', 'scratch_ref');
    await c.query(
      'create table scratch_parent (county_code char(6) not null, id uuid, primary key (county_code, id), unique (id))',
    );
    await c.query(
      'create table scratch_child (county_code char(6) not null, id uuid, parent_id uuid references scratch_parent (id), primary key (county_code, id))',
    );
    await c.query(`create table scratch_ref (code text primary key, member_county char(6), member_id uuid, meta_key text references platform_meta (key),
      foreign key (member_county, member_id) references members (county_code, id))`);
    const problems = await tableRoleProblems(c, {
      ...TABLE_ROLES,
      scratch_parent: { role: 'distributed', reason: 'test' },
      scratch_child: { role: 'distributed', reason: 'test' },
      scratch_ref: { role: 'reference', reason: 'test' },
    });
    expect(problems).toContain(
      'distributed table scratch_parent: unique index scratch_parent_id_key does not include county_code (Citus needs the distribution column in every unique constraint)',
    );
    expect(problems).toContain(
      'foreign key scratch_child_parent_id_fkey (scratch_child → scratch_parent) does not pair county_code with county_code (a foreign key between distributed tables must include the distribution column)',
    );
    expect(problems).toContain(
      'foreign key scratch_ref_member_county_member_id_fkey (scratch_ref → members): a reference table cannot reference a distributed table',
    );
    expect(problems).toContain(
      'foreign key scratch_ref_meta_key_fkey (scratch_ref → platform_meta): a local table lives on the coordinator only; no other role may reference it',
    );
    expect(problems).toHaveLength(4);
  });
});

describe('docs/SCALE.md says what the code declares', () => {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/SCALE.md'), 'utf8');

  it('its table is the one the manifests declare, as scripts/scale-doc.ts writes it (no hand-kept list)', () => {
    expect(doc, 'run: node --import tsx scripts/scale-doc.ts').toBe(scaleDoc(doc));
  });

  it('one row per table with its role and distribution column', () => {
    const rows = new Map<string, { role: string; column: string }>();
    for (const m of doc.matchAll(/^\| `([a-z_]+)` \| (distributed|reference|local) \| ([^|]+) \|/gm))
      rows.set(m[1], { role: m[2], column: m[3].trim() });
    expect([...rows.keys()].sort()).toEqual(Object.keys(TABLE_ROLES).sort());
    for (const [t, d] of Object.entries(TABLE_ROLES)) {
      expect(rows.get(t)?.role, t).toBe(d.role);
      expect(rows.get(t)?.column, t).toBe(d.role === 'distributed' ? '`county_code`' : '—');
    }
  });

  it('lists the Citus calls for every distributed and reference table', () => {
    for (const s of citusStatements()) expect(doc).toContain(s);
  });
});
