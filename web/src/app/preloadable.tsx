/**
 * A lazily loaded component that renders at once when its chunk is already there.
 *
 * React.lazy suspends at its first render even when the chunk has long arrived (it learns so only from
 * a promise), and React then shows the fallback and reveals the content in a later commit, held back up
 * to 300 ms to batch reveals. On a slow phone the shell, the permission gate and the page each paid that
 * (issue 7 §7). Here the promise carries its result (`status`/`value`, as React's `use` reads it), so a
 * chunk that main.tsx started early (`preload`) renders in the same pass; one still on its way suspends
 * as with React.lazy. A failed download is forgotten, so the next render tries again.
 */
import { type ComponentType, use } from 'react';

type Tracked<T> = Promise<T> & { status?: 'fulfilled' | 'rejected'; value?: T; reason?: unknown };

export type Preloadable<P> = ComponentType<P> & { preload: () => Promise<ComponentType<P>> };

export function preloadable<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): Preloadable<P> {
  let promise: Tracked<ComponentType<P>> | null = null;
  const preload = () => {
    if (!promise) {
      const p: Tracked<ComponentType<P>> = load().then(
        (m) => {
          p.status = 'fulfilled';
          p.value = m.default;
          return m.default;
        },
        (e: unknown) => {
          p.status = 'rejected';
          p.reason = e;
          promise = null;
          throw e;
        },
      );
      promise = p;
    }
    return promise;
  };
  // A factory like React.lazy: called once per component at module level, never during a render.
  // biome-ignore lint/correctness/noComponentHookFactories: see above
  function Preloaded(props: P) {
    const C = use(preload() as Promise<ComponentType<P>>);
    return <C {...props} />;
  }
  return Object.assign(Preloaded, { preload });
}
