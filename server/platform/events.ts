/**
 * In-transaction domain events (issue 17 §1): a module announces what changed, and the modules that
 * care react in the same transaction, so what they derive (the problem list, a task for its owner) is
 * true when the write commits, and no module imports another's service to tell it.
 *
 * - A module declares the events it announces in its manifest (`events`: name → Chinese description,
 *   names `<module>.<what>`), and their payload types in its `api.ts`, by adding to `DomainEvents`:
 *
 *     declare module '../../platform/events.ts' { interface DomainEvents { 'meetings.lifeChanged': LifeChange } }
 *
 * - A module that reacts lists the events in its manifest (`subscribes`) and implements them in its
 *   `events.ts` (default export: event name → handler). The registry test holds the two to each other:
 *   no subscription to an event nobody announces, no subscription without its handler.
 * - `emit(tx, deps, name, payload)` runs every handler of the event, in module order, in the caller's
 *   transaction; a handler that fails fails the write (as an audit write does).
 */
import type { Tx } from '../db/index.ts';
import { MODULES } from '../modules/registry.ts';
import type { Deps } from './deps.ts';

/** Event name → payload. Empty here: each announcing module adds its events from its `api.ts`. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging from the modules' api.ts
export interface DomainEvents {}

export type EventName = keyof DomainEvents & string;
export type EventHandler<E extends EventName> = (tx: Tx, deps: Deps, payload: DomainEvents[E]) => Promise<void>;
/** What a module's `events.ts` exports by default. */
export type EventHandlers = { [E in EventName]?: EventHandler<E> };

type AnyHandler = (tx: Tx, deps: Deps, payload: unknown) => Promise<void>;

/** Every announced event with the module that announces it. */
export const ANNOUNCED: ReadonlyMap<string, string> = new Map(
  MODULES.flatMap((m) => Object.keys(('events' in m ? m.events : undefined) ?? {}).map((e) => [e, m.name] as const)),
);

let handlers: Promise<Map<string, { module: string; fn: AnyHandler }[]>> | null = null;

/** Each module's handlers, loaded once (the first emit), checked against the manifests. */
export function loadHandlers(): Promise<Map<string, { module: string; fn: AnyHandler }[]>> {
  handlers ??= (async () => {
    const out = new Map<string, { module: string; fn: AnyHandler }[]>();
    for (const m of MODULES) {
      const subscribes = ('subscribes' in m ? m.subscribes : undefined) as readonly string[] | undefined;
      if (!subscribes?.length) continue;
      const mod = (await import(`../modules/${m.name}/events.ts`)) as { default?: Record<string, AnyHandler> };
      for (const e of subscribes) {
        if (!ANNOUNCED.has(e)) throw new Error(`模块 ${m.name} 订阅的事件 ${e} 没有任何模块声明`);
        const fn = mod.default?.[e];
        if (typeof fn !== 'function')
          throw new Error(`模块 ${m.name} 订阅了事件 ${e}，但其 events.ts 没有同名的处理函数`);
        out.set(e, [...(out.get(e) ?? []), { module: m.name, fn }]);
      }
    }
    return out;
  })();
  return handlers;
}

/** Announce `name` in `tx`: every subscriber reacts before the caller's transaction commits. */
export async function emit<E extends EventName>(tx: Tx, deps: Deps, name: E, payload: DomainEvents[E]): Promise<void> {
  if (!ANNOUNCED.has(name)) throw new Error(`事件 ${name} 未在任何模块的 manifest.ts events 中声明`);
  for (const h of (await loadHandlers()).get(name) ?? []) await h.fn(tx, deps, payload);
}
