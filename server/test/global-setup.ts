/**
 * One PostgreSQL for the whole run: the embedded server (default) or DATABASE_URL. A template
 * database is migrated once; each test file clones it (CREATE DATABASE … TEMPLATE), so files run
 * in parallel on clean data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../db/embedded.ts';
import { connect, ensureDatabase, runMigrations } from '../db/index.ts';
import { APP_ROLE, ensureAppRole, grantAppPrivileges } from '../db/roles.ts';
import { seedCodeLists } from '../modules/seed/codelists.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    pgMode: 'embedded' | 'external';
    /** The app's least-privilege role (SEC-32) and its password; the harness connects the app as it. */
    pgAppRole: string;
    pgAppPassword: string;
  }
}

const APP_TEST_PASSWORD = 'dangjian-app-test';

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stop = async () => {};
  let mode: 'embedded' | 'external';
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
    mode = 'external';
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dangjian-test-'));
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbedded(dir, () => {});
    adminUrl = pg.url;
    mode = 'embedded';
    stop = async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const template = `dj_tmpl_${process.pid}`;
  const url = await ensureDatabase(adminUrl, template);
  const database = connect(url, 2);
  await runMigrations(database);
  await database.db.transaction((tx) => seedCodeLists(tx));
  // Roles are cluster-wide (CI shares one server between runs): a fixed test password, creation that
  // tolerates a concurrent run. Grants live in the template and are copied into every clone.
  await ensureAppRole(database.pool, APP_ROLE, APP_TEST_PASSWORD);
  await grantAppPrivileges(database, APP_ROLE);
  await database.close();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  project.provide('pgMode', mode);
  project.provide('pgAppRole', APP_ROLE);
  project.provide('pgAppPassword', APP_TEST_PASSWORD);
  return async () => {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    const dbs = await c.query(`select datname from pg_database where datname like $1 or datname = $2`, [
      `${template}_t_%`,
      template,
    ]);
    for (const r of dbs.rows) await c.query(`drop database if exists "${r.datname}" with (force)`);
    await c.end();
    await stop();
  };
}
