/**
 * A client checked out inside a transaction when the server ends its connection (a stop, a restart,
 * the embedded server stopping itself on SIGTERM while the app still flushes) must not end the
 * process: the error reaches the caller through its next statement. Before, pg emitted 'error' on
 * the client with nobody listening, and `npm start` crashed on SIGTERM.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from './index.ts';
import { asAppRole, createTestDatabase } from '../test/harness.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('connections the server ends', () => {
  it('a checked-out client whose backend is terminated fails its next statement and nothing else', async () => {
    const { url, drop } = await createTestDatabase();
    cleanups.push(drop);
    const db = connect(asAppRole(url), 2);
    const admin = connect(url, 1);
    cleanups.unshift(async () => {
      await db.close();
      await admin.close();
    });
    const unhandled: unknown[] = [];
    const onError = (e: unknown) => unhandled.push(e);
    process.on('uncaughtException', onError);
    try {
      const client = await db.pool.connect();
      await client.query('begin');
      const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
      await admin.pool.query('select pg_terminate_backend($1)', [pid]);
      await new Promise((r) => setTimeout(r, 300));
      await expect(client.query('select 1')).rejects.toThrow();
      client.release(true);
      expect(unhandled).toEqual([]);
      // The pool goes on with a new connection.
      expect((await db.pool.query<{ n: number }>('select 1 as n')).rows[0].n).toBe(1);
    } finally {
      process.off('uncaughtException', onError);
    }
  });
});
