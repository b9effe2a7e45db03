/**
 * The module pattern, checked: every folder under server/modules that has a manifest is registered
 * once, declares what it uses, and collides with no other module or the platform.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS } from '../../contract/audit-text.ts';
import type { ModuleDecl } from '../../contract/module.ts';
import { MODULE_DECLS } from '../../contract/modules/index.ts';
import { PLATFORM_ERRORS } from '../platform/errors.ts';
import { demoOrder } from '../platform/demo.ts';
import { ANNOUNCED, loadHandlers } from '../platform/events.ts';
import { loadJobs } from '../platform/jobs.ts';
import { PERMISSIONS } from '../platform/permissions.ts';
import { PLATFORM_SETTINGS } from '../platform/settings.ts';
import type { ModuleManifest } from './module.ts';
import { MODULES } from './registry.ts';
import { loadRules } from './problems/rules/index.ts';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const mods = MODULES as readonly ModuleManifest[];

function keysOf(pick: (m: ModuleManifest) => object | undefined): string[] {
  return mods.flatMap((m) => Object.keys(pick(m) ?? {}));
}
function duplicates(list: string[]): string[] {
  return list.filter((k, i) => list.indexOf(k) !== i);
}

describe('module registry', () => {
  it('registers every folder that has a manifest, once, under its folder name', () => {
    const folders = fs
      .readdirSync(here, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(here, d.name, 'manifest.ts')))
      .map((d) => d.name);
    expect(mods.map((m) => m.name).sort()).toEqual(folders.sort());
    expect(duplicates(mods.map((m) => m.name))).toEqual([]);
  });

  it('has routes.ts exactly where the manifest says so', () => {
    for (const m of mods) expect(fs.existsSync(path.join(here, m.name, 'routes.ts')), m.name).toBe(m.hasRoutes);
  });

  it('names permissions after the module and never twice', () => {
    expect(duplicates(keysOf((m) => m.permissions))).toEqual([]);
    for (const m of mods)
      for (const p of Object.keys(m.permissions ?? {}))
        expect(p.startsWith(`${m.name}.`), `${m.name}: ${p}`).toBe(true);
  });

  it('declares error codes and settings that no other module or the platform declares', () => {
    expect(duplicates([...Object.keys(PLATFORM_ERRORS), ...keysOf((m) => m.errors)])).toEqual([]);
    expect(duplicates([...Object.keys(PLATFORM_SETTINGS), ...keysOf((m) => m.settings)])).toEqual([]);
    expect(duplicates(keysOf((m) => m.auditActions))).toEqual([]);
    for (const m of mods)
      for (const [code, [status, message]] of Object.entries(m.errors ?? {})) {
        expect(code, m.name).toMatch(/^[A-Z][A-Z0-9_]+$/);
        expect(status >= 400 && status < 600, code).toBe(true);
        expect(message, code).toMatch(/[\u4e00-\u9fff]/);
      }
  });

  it('gives menu entries and pages declared permissions and existing page files', () => {
    for (const m of mods) {
      for (const e of m.menu ?? [])
        for (const p of [e.perm].flat()) expect(PERMISSIONS, `${m.name} menu ${e.path}`).toContain(p);
      for (const pg of m.pages ?? []) {
        for (const p of [pg.perm ?? []].flat()) expect(PERMISSIONS, `${m.name} page ${pg.path}`).toContain(p);
        expect(
          fs.existsSync(path.join(root, 'web/src/pages', `${pg.page}.tsx`)),
          `${m.name}: web/src/pages/${pg.page}.tsx`,
        ).toBe(true);
      }
    }
  });

  it('implements in jobs.ts every job a manifest declares, named after the module, at a Shanghai time of day', async () => {
    const jobs = await loadJobs();
    for (const m of mods) {
      const declared = Object.keys(m.jobs ?? {});
      expect(fs.existsSync(path.join(here, m.name, 'jobs.ts')), `${m.name}/jobs.ts`).toBe(declared.length > 0);
      for (const name of declared) {
        expect(name.startsWith(`${m.name}.`), `${m.name}: ${name}`).toBe(true);
        expect(jobs.find((j) => j.name === name)?.run, name).toBeTypeOf('function');
      }
    }
    expect(duplicates(jobs.map((j) => j.name))).toEqual([]);
    for (const j of jobs) {
      expect(j.at, j.name).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      expect(j.title, j.name).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(jobs.map((j) => j.name)).toEqual(expect.arrayContaining(['backup', 'problems.nightly']));
  });

  it('names in Chinese every audit action a module writes', () => {
    for (const m of mods) {
      const dir = path.join(here, m.name);
      for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
        const src = fs.readFileSync(path.join(dir, f), 'utf8');
        for (const [, action] of src.matchAll(/action: '([a-zA-Z.]+)'/g))
          expect(AUDIT_ACTION_LABELS[action], `${m.name}/${f}: ${action}`).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });
});

describe('what modules tell each other (issue 17 §1)', () => {
  it('names events after the module, never twice, each with a Chinese description; every subscription has an announcer and a handler', async () => {
    const announced = mods.flatMap((m) => Object.keys(m.events ?? {}).map((e) => ({ e, m: m.name })));
    expect(duplicates(announced.map((x) => x.e))).toEqual([]);
    for (const { e, m } of announced) {
      expect(e.startsWith(`${m}.`), `${m}: ${e}`).toBe(true);
      expect(mods.find((x) => x.name === m)?.events?.[e], e).toMatch(/[\u4e00-\u9fff]/);
    }
    const handlers = await loadHandlers();
    for (const m of mods)
      for (const e of m.subscribes ?? []) {
        expect(ANNOUNCED.has(e), `${m.name} subscribes to ${e}`).toBe(true);
        expect(
          handlers.get(e)?.some((h) => h.module === m.name),
          `${m.name}/events.ts handles ${e}`,
        ).toBe(true);
      }
    // The rules engine follows the three modules whose data its rules read.
    expect(mods.find((m) => m.name === 'problems')?.subscribes).toEqual(
      expect.arrayContaining(['meetings.lifeChanged', 'orgs.changed', 'members.changed']),
    );
  });

  it('has events.ts exactly where the manifest subscribes, and announces only declared events', () => {
    for (const m of mods)
      expect(fs.existsSync(path.join(here, m.name, 'events.ts')), m.name).toBe(!!m.subscribes?.length);
    for (const m of mods) {
      const dir = path.join(here, m.name);
      for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
        const src = fs.readFileSync(path.join(dir, f), 'utf8');
        for (const [, e] of src.matchAll(/emit\(tx, deps, '([a-zA-Z.]+)'/g))
          expect(m.events?.[e], `${m.name}/${f} announces ${e}, which its manifest must declare`).toBeTruthy();
      }
    }
  });

  it('uses another module only through its api.ts (or its manifest, through the registry)', () => {
    const offending: string[] = [];
    for (const m of mods) {
      const dir = path.join(here, m.name);
      for (const f of fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
        const src = fs.readFileSync(path.join(dir, f), 'utf8');
        for (const x of src.matchAll(/(?:from|import\() ?'(\.[^']+)'/g)) {
          // Where the import lands, relative to server/modules: another module's folder must be entered through api.ts.
          const target = path.relative(here, path.resolve(path.dirname(path.join(dir, f)), x[1]));
          const [other, ...rest] = target.split(path.sep);
          if (target.startsWith('..') || rest.length === 0 || other === m.name) continue;
          if (rest.join('/') !== 'api.ts' && rest.join('/') !== 'manifest.ts')
            offending.push(`${m.name}/${f} → ${target}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});

describe('one place per rule (issue 16 §5)', () => {
  it('declares each rule once, in Chinese with its article, with settings nobody else declares', () => {
    const ids = keysOf((m) => m.rules);
    expect(duplicates(ids)).toEqual([]);
    const ruleSettings = mods.flatMap((m) =>
      Object.values(m.rules ?? {}).flatMap((r) => Object.keys(r.settings ?? {})),
    );
    expect(duplicates([...ruleSettings, ...Object.keys(PLATFORM_SETTINGS), ...keysOf((m) => m.settings)])).toEqual([]);
    for (const m of mods)
      for (const [id, r] of Object.entries(m.rules ?? {})) {
        expect(id, m.name).toMatch(/^[A-Z]{2,5}-\d{1,2}$/);
        for (const text of [r.name, r.text, r.article, r.subject])
          expect(text, `${m.name} ${id}`).toMatch(/[\u4e00-\u9fff]/);
        expect(r.checkedBy.length, id).toBeGreaterThan(0);
        expect(r.reads.length, id).toBeGreaterThan(0);
        for (const [key, d] of Object.entries(r.settings ?? {}))
          expect(d.label, `${id} ${key}`).toMatch(/[\u4e00-\u9fff]/);
      }
  });

  it('implements in checks.ts every rule a manifest gives to the engine, and nothing it does not declare', async () => {
    for (const m of mods) {
      const engine = Object.values(m.rules ?? {}).some((r) => r.checkedBy.includes('engine'));
      if (engine) expect(fs.existsSync(path.join(here, m.name, 'checks.ts')), `${m.name}/checks.ts`).toBe(true);
    }
    const rules = await loadRules();
    const engineIds = mods.flatMap((m) =>
      Object.entries(m.rules ?? {})
        .filter(([, r]) => r.checkedBy.includes('engine'))
        .map(([id]) => id),
    );
    expect([...new Set(rules.map((r) => r.id))].sort()).toEqual(engineIds.sort());
  });

  it('keeps no rule’s statement in the problems module: each module contributes its own', () => {
    const dir = path.join(here, 'problems/rules');
    expect(fs.readdirSync(dir).sort()).toEqual(['common.ts', 'index.ts']);
  });
});

describe('files leave through one door (issue 17 §3)', () => {
  it('no module sets a download’s headers itself: every export and download goes through platform/download.ts sendDownload (budgets, audit, Chinese name, streaming)', () => {
    const offending: string[] = [];
    for (const m of mods) {
      const dir = path.join(here, m.name);
      for (const f of fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
        const src = fs.readFileSync(path.join(dir, f), 'utf8');
        if (/content-disposition|new PassThrough\(/i.test(src) && f === 'routes.ts') offending.push(`${m.name}/${f}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('no route holds SQL: a filter reaches the service typed, and the service builds the scoped statement (issue 17 §2)', () => {
    const offending = mods.filter(
      (m) =>
        m.hasRoutes &&
        /from 'drizzle-orm'|\bsql`|\bSQL\b/.test(fs.readFileSync(path.join(here, m.name, 'routes.ts'), 'utf8')),
    );
    expect(offending.map((m) => `${m.name}/routes.ts`)).toEqual([]);
  });

  it('no export takes a WHERE fragment: a service function is given a typed filter and builds its scoped SQL itself (issue 17 §2)', () => {
    const offending: string[] = [];
    for (const m of mods) {
      const dir = path.join(here, m.name);
      for (const f of fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
        const src = fs.readFileSync(path.join(dir, f), 'utf8');
        for (const x of src.matchAll(/export (?:async )?function (\w+)\(([^)]*)\)/g))
          if (/\bwhere\??: SQL\b/.test(x[2])) offending.push(`${m.name}/${f}: ${x[1]}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('no route writes an audit entry itself: the service that makes the change writes it in the same transaction (issue 17 §3)', () => {
    const offending = mods.filter(
      (m) => m.hasRoutes && /\bwriteAudit\(/.test(fs.readFileSync(path.join(here, m.name, 'routes.ts'), 'utf8')),
    );
    expect(offending.map((m) => `${m.name}/routes.ts`)).toEqual([]);
  });
});

describe('the demo county is made of the modules’ parts (issue 17 §1)', () => {
  it('has demo.ts exactly where the manifest declares a part, in an order without cycles', async () => {
    for (const m of mods) expect(fs.existsSync(path.join(here, m.name, 'demo.ts')), m.name).toBe(!!m.demo);
    const order = demoOrder();
    expect(order.indexOf('seed')).toBeLessThan(order.indexOf('meetings'));
    expect(order.indexOf('meetings')).toBeLessThan(order.indexOf('problems'));
    expect(() =>
      demoOrder([
        { name: 'a', demo: { title: 'a', after: ['b'] } },
        { name: 'b', demo: { title: 'b', after: ['a'] } },
      ]),
    ).toThrow(/成环/);
    expect(() => demoOrder([{ name: 'a', demo: { title: 'a', after: ['x'] } }])).toThrow(/没有声明演示数据/);
  });

  it('no start-up file names a module’s demo code', () => {
    for (const f of ['bootstrap.ts', 'main.ts', 'cli.ts']) {
      const src = fs.readFileSync(path.join(root, 'server', f), 'utf8');
      expect(src, f).not.toMatch(/modules\/(seed|meetings|problems)\/(generate|evidence|demo|engine)/);
    }
  });
});

describe('the web app reads only contract/ (issue 17 §4): web → contract ← server', () => {
  it('gives each manifest its declaration from contract/modules/<module>.ts, spread in as is, in the same order', () => {
    expect(mods.map((m) => m.name)).toEqual(MODULE_DECLS.map((d) => d.name));
    for (const m of mods) {
      const d = (MODULE_DECLS as readonly ModuleDecl[]).find((x) => x.name === m.name);
      // The same objects, not copies: a manifest that restates its menu or a permission fails here.
      for (const key of ['title', 'permissions', 'auditActions', 'menu', 'pages', 'rules'] as const)
        expect(m[key], `${m.name}.${key}`).toBe(d?.[key]);
      const src = fs.readFileSync(path.join(here, m.name, 'manifest.ts'), 'utf8');
      expect(src, `${m.name}/manifest.ts`).toContain(`from '../../../contract/modules/${m.name}.ts'`);
    }
  });

  it('imports nothing from server/ in any file under web/src or contract/', () => {
    const offending: string[] = [];
    for (const top of ['web/src', 'contract']) {
      const dir = path.join(root, top);
      for (const f of fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((n) => /\.(ts|tsx)$/.test(n))) {
        const file = path.join(dir, f);
        const src = fs.readFileSync(file, 'utf8');
        for (const x of src.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
          const target = path.relative(root, path.resolve(path.dirname(file), x[1]));
          if (x[1].startsWith('.') && target.split(path.sep)[0] === 'server') offending.push(`${top}/${f} → ${x[1]}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
