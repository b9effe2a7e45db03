/**
 * The audit chains' heads, anchored outside the database (SEC-14, SEC-32). A hash chain alone cannot
 * show that its last rows were deleted: the shortened chain is still a valid chain. So the platform
 * writes the newest sequence number and hash of each county's chain to `<data>/audit-head.json`, MACed with
 * the audit key (HMAC-SM3 through the crypto provider), after writes commit and at least once a
 * second, and only ever forward. `verifyAudit` compares the table with it: a chain that ends before
 * the anchored head, or whose anchored row changed, is reported.
 *
 * The file lives where the database role cannot write; its MAC needs the audit key, which the
 * database never sees.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Tx } from '../db/index.ts';
import { canonical } from './audit.ts';
import type { CryptoProvider } from './crypto.ts';
import { safeErrorMessage } from './logging.ts';

export const ANCHOR_FILE = 'audit-head.json';

/** The newest row of one chain as last anchored. */
export interface ChainHead {
  seq: number;
  hash: string;
  /** When it was anchored. */
  at: string;
}

export interface AnchorState {
  heads: Record<string, ChainHead>;
  /** Set when the file exists but cannot be trusted (unreadable, or its MAC does not match). */
  problem: string | null;
  exists: boolean;
}

/** Minimum pause between two head reads, however many requests ask for one. */
const MIN_GAP_MS = 100;

export class AuditAnchor {
  private running: Promise<void> | null = null;
  private again = false;
  private lastRun = 0;
  private lastMessage = '';

  /** @param file where the signed heads are kept (`<data>/audit-head.json`), one per county's chain */
  constructor(
    readonly file: string,
    private readonly crypto: CryptoProvider,
    private readonly report: (msg: string) => void = () => {},
  ) {}

  /** Say a problem once, not every second. */
  private log(msg: string): void {
    if (msg === this.lastMessage) return;
    this.lastMessage = msg;
    this.report(msg);
  }

  private mac(chains: Record<string, ChainHead>): string {
    return this.crypto.auditMac(`audit-head:v1:${canonical(chains)}`);
  }

  /** The anchored heads, or why they cannot be trusted. */
  read(): AnchorState {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { heads: {}, problem: null, exists: false };
      return { heads: {}, problem: `审计日志锚定文件 ${this.file} 无法读取：${(e as Error).message}`, exists: true };
    }
    try {
      const j = JSON.parse(raw) as { version: number; chains: Record<string, ChainHead>; mac: string };
      if (j.version !== 1 || typeof j.chains !== 'object' || typeof j.mac !== 'string') throw new Error('format');
      if (j.mac !== this.mac(j.chains))
        return {
          heads: {},
          problem: `审计日志锚定文件 ${this.file} 校验失败（MAC 不符）：文件被改动或不是用本平台密钥生成的`,
          exists: true,
        };
      return { heads: j.chains, problem: null, exists: true };
    } catch {
      return { heads: {}, problem: `审计日志锚定文件 ${this.file} 格式不正确：文件被改动或已损坏`, exists: true };
    }
  }

  /**
   * Anchor every county's current head: only forward, and only when a county's anchored entry is still
   * there with its hash (a chain whose tail was deleted and then grown again is not blessed). `force`
   * (restore into a new data directory) anchors whatever the heads are.
   */
  async record(db: Tx, opts: { force?: boolean } = {}): Promise<Record<string, ChainHead>> {
    const heads = await chainHeads(db);
    const state = this.read();
    if (!opts.force && state.problem) {
      this.log(`${state.problem}；锚定已暂停，请核查后处理（见 docs/SECURITY.md）`);
      return state.heads;
    }
    const at = new Date().toISOString();
    if (opts.force) {
      const all = Object.fromEntries(heads.map((h) => [h.county, { seq: h.seq, hash: h.hash, at }]));
      this.write(all);
      return all;
    }
    const forward: Record<string, ChainHead> = {};
    for (const h of heads) {
      const anchored = state.heads[h.county];
      if (anchored) {
        if (h.seq <= anchored.seq) continue;
        const still = await db.execute<{ hash: string }>(
          sql`select hash from audit_log where county_code = ${h.county} and seq = ${anchored.seq}`,
        );
        if (still.rows[0]?.hash !== anchored.hash) {
          this.log(
            `审计日志锚定的记录（${h.county}，序号 ${anchored.seq}）已不在表中或被改动：该县的锚定不再前移，请运行 verify-audit 核查`,
          );
          continue;
        }
      }
      forward[h.county] = { seq: h.seq, hash: h.hash, at };
    }
    if (!Object.keys(forward).length) return state.heads;
    // Another process on this data directory (the CLI beside the app, DATABASE_URL mode) may have moved some meanwhile.
    const latest = this.read();
    if (latest.problem) return latest.heads;
    const next = { ...latest.heads };
    for (const [county, head] of Object.entries(forward)) if ((next[county]?.seq ?? 0) < head.seq) next[county] = head;
    this.write(next);
    return next;
  }

  private write(chains: Record<string, ChainHead>): void {
    const body = `${JSON.stringify({ version: 1, chains, mac: this.mac(chains) }, null, 2)}\n`;
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, body);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file); // atomic: a crash leaves the old head or the new one, never half a file
    try {
      const dfd = fs.openSync(dir, 'r');
      fs.fsyncSync(dfd);
      fs.closeSync(dfd);
    } catch {
      /* directories cannot be fsynced everywhere */
    }
  }

  /** Ask for an anchor soon; concurrent asks share one run. Never throws. */
  kick(db: Tx): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const wait = this.lastRun + MIN_GAP_MS - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        this.lastRun = Date.now();
        try {
          await this.record(db);
        } catch (e) {
          if (!databaseStopping(e)) this.log(`审计日志锚定失败：${safeErrorMessage(e)}`);
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Anchor now and wait for it (shutdown, the end of a CLI command, tests). */
  async flush(db: Tx): Promise<void> {
    if (this.running) await this.running;
    await this.record(db);
  }
}

/** The newest entry of each county's chain (a skip scan over the primary key). */
async function chainHeads(db: Tx): Promise<{ county: string; seq: number; hash: string }[]> {
  const r = await db.execute<{ county: string; seq: number; hash: string }>(sql`
    with recursive c as (
      select min(county_code) as cc from audit_log
      union all select (select min(county_code) from audit_log where county_code > c.cc) from c where c.cc is not null)
    select c.cc as county, h.seq, h.hash from c
      cross join lateral (select seq, hash from audit_log a where a.county_code = c.cc order by seq desc limit 1) h
    where c.cc is not null`);
  return r.rows.map((x) => ({ county: String(x.county), seq: Number(x.seq), hash: String(x.hash) }));
}

/** The server is shutting down (SIGINT/SIGTERM stop the embedded one alongside us): nothing to report. */
export function databaseStopping(e: unknown): boolean {
  for (let x = e as { code?: unknown; cause?: unknown } | undefined, i = 0; x && i < 4; x = x.cause as typeof x, i++) {
    if (x.code === '57P01' || x.code === '57P02' || x.code === '57P03') return true;
  }
  return false;
}

/** The app owns the anchor: after every response (its transaction has committed), every second, and at close. */
export function registerAnchor(app: FastifyInstance, anchor: AuditAnchor): void {
  const db = app.deps.database.db;
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    timer = setInterval(() => void anchor.kick(db), 1000);
    timer.unref();
  });
  app.addHook('onResponse', async () => {
    void anchor.kick(db);
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await anchor.flush(db).catch((e) => app.log.error({ err: e }, 'audit anchor at close failed'));
  });
}
