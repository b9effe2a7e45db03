/**
 * The demo county, made of the modules' parts (issue 17 §1): each module that has something to show
 * declares its part in its manifest (`demo`: a Chinese title and the modules whose parts come first)
 * and implements it in its `demo.ts`:
 *
 * - `county(tx, ctx)`: rows written in the county's seeding transaction (organizations, members,
 *   a year of meetings);
 * - `installed(ctx)`: work after that transaction has committed and the tables are analyzed (photos
 *   through the upload pipeline, the first rules run).
 *
 * The platform runs every county part in dependency order, then every installed part in the same
 * order; no module calls another's part by name. `bootstrap.ts` (first start, `cli seed`) is the only caller.
 */
import type { Database, Tx } from '../db/index.ts';
import type { DemoDecl } from '../modules/module.ts';
import { MODULES } from '../modules/registry.ts';
import type { CryptoProvider } from './crypto.ts';
import type { Deps } from './deps.ts';

export interface DemoCountyContext {
  county: string;
  crypto: CryptoProvider;
  log: (msg: string) => void;
  /** The moment the demo is made: nothing is dated after it. */
  now: Date;
  /** Only the first N townships (tests, quick tries). */
  townships?: number;
}

export interface DemoInstalledContext {
  county: string;
  /** The schema owner's connection: it may ANALYZE what a part wrote in bulk (the app role cannot). */
  owner: Database;
  /** The platform's services on the owner's connection; absent where the caller has none (tests, benchmarks): a part that needs them (files) says so and skips. */
  deps?: Deps;
  now: () => Date;
  log: (msg: string) => void;
}

/** What a module's `demo.ts` exports by default. Counts are for the start-up log and the seed's audit entry. */
export interface DemoPart {
  county?: (tx: Tx, ctx: DemoCountyContext) => Promise<Record<string, number>>;
  installed?: (ctx: DemoInstalledContext) => Promise<Record<string, number>>;
}

/** The modules with a demo part, each after the ones it names (a cycle or an unknown name is a start-up error). */
export function demoOrder(
  mods: readonly { name: string; demo?: DemoDecl }[] = MODULES as readonly { name: string; demo?: DemoDecl }[],
): string[] {
  const parts = new Map(mods.filter((m) => m.demo).map((m) => [m.name, [...(m.demo?.after ?? [])]]));
  for (const [name, after] of parts)
    for (const a of after)
      if (!parts.has(a)) throw new Error(`模块 ${name} 的演示数据须在 ${a} 之后生成，但 ${a} 没有声明演示数据`);
  const order: string[] = [];
  while (order.length < parts.size) {
    const ready = [...parts]
      .filter(([n, after]) => !order.includes(n) && after.every((a) => order.includes(a)))
      .map(([n]) => n);
    if (!ready.length)
      throw new Error(`演示数据的先后关系成环：${[...parts.keys()].filter((n) => !order.includes(n)).join('、')}`);
    order.push(...ready.sort());
  }
  return order;
}

async function loadParts(): Promise<{ name: string; title: string; part: DemoPart }[]> {
  const out: { name: string; title: string; part: DemoPart }[] = [];
  for (const name of demoOrder()) {
    const m = MODULES.find((x) => x.name === name) as { name: string; demo?: DemoDecl };
    const mod = (await import(`../modules/${name}/demo.ts`)) as { default?: DemoPart };
    if (!mod.default || (!mod.default.county && !mod.default.installed))
      throw new Error(`模块 ${name} 声明了演示数据，但其 demo.ts 没有导出 county 或 installed`);
    out.push({ name, title: m.demo?.title ?? name, part: mod.default });
  }
  return out;
}

/** Every module's county part, in order, inside the caller's transaction; their counts merged. */
export async function seedDemoParts(tx: Tx, ctx: DemoCountyContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const p of await loadParts()) if (p.part.county) Object.assign(counts, await p.part.county(tx, ctx));
  return counts;
}

/** The modules whose demo part has work after the seeding transaction (`installed`), in order: what a county seeded now still owes. */
export async function installedPartNames(): Promise<string[]> {
  return (await loadParts()).filter((p) => p.part.installed).map((p) => p.name);
}

/**
 * Every module's installed part, in order, after the seeding transaction has committed; with `pending`,
 * only those (what an interrupted start left undone), each reported done through `onDone` as it ends,
 * so a start after another interruption resumes after it. The milliseconds each part took.
 */
export async function finishDemoParts(
  ctx: DemoInstalledContext,
  opts: { pending?: readonly string[]; onDone?: (name: string) => Promise<void> } = {},
): Promise<Record<string, number>> {
  const took: Record<string, number> = {};
  for (const p of await loadParts()) {
    if (!p.part.installed || (opts.pending && !opts.pending.includes(p.name))) continue;
    const t0 = Date.now();
    const n = await p.part.installed(ctx);
    took[p.name] = Date.now() - t0;
    await opts.onDone?.(p.name);
    const said = Object.entries(n)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join('，');
    ctx.log(`${p.title}：完成${said ? `（${said}）` : ''}，${(took[p.name] / 1000).toFixed(1)} 秒`);
  }
  return took;
}
