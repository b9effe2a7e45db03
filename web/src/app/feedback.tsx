/**
 * Messages and dialogs (antd's message and Modal hooks) without putting them on the first screen.
 *
 * antd's <App> renders the message, notification and modal holders at once, which brings their code
 * (~50 kB unpacked) and their style generation into the first render of every signed-in page; on a
 * throttled phone that is a noticeable part of the member list's first screen (issue 7 §7). Here
 * `useFeedback()` gives pages the same `message` and `modal` calls; the holders (components/
 * FeedbackHost.tsx, inside the theme) load when the browser is first idle or at the first call, and
 * calls made before that run as soon as they are there.
 */
import type { MessageInstance } from 'antd/es/message/interface';
import type { HookAPI } from 'antd/es/modal/useModal';

export interface Feedback {
  message: MessageInstance;
  modal: HookAPI;
}

let ready: Feedback | null = null;
const queue: ((f: Feedback) => void)[] = [];
let wanted: (() => void) | null = null;

/** Called by FeedbackHost once its holders are mounted (and with null when it unmounts). */
export function setFeedback(f: Feedback | null): void {
  ready = f;
  if (f) for (const run of queue.splice(0)) run(f);
}

/** Called by AppHooks: how to ask for the host to be loaded now. */
export function onFeedbackWanted(fn: (() => void) | null): void {
  wanted = fn;
}

function later(run: (f: Feedback) => void) {
  if (ready) run(ready);
  else {
    queue.push(run);
    wanted?.();
  }
}

type Hide = (() => void) & PromiseLike<boolean>;

function messageCall(kind: 'info' | 'success' | 'error' | 'warning' | 'loading') {
  return ((...args: Parameters<MessageInstance['info']>) => {
    if (ready) return ready.message[kind](...args);
    // The caller may hide it (message.loading(…, 0) returns a hide function) before it has appeared.
    let hide: (() => void) | null = null;
    let hidden = false;
    let settle: (v: boolean) => void = () => undefined;
    const done = new Promise<boolean>((r) => {
      settle = r;
    });
    later((f) => {
      if (hidden) return settle(true);
      const h = f.message[kind](...args);
      hide = h;
      void Promise.resolve(h).then(settle);
    });
    const out = (() => {
      hidden = true;
      hide?.();
    }) as Hide;
    // biome-ignore lint/suspicious/noThenProperty: antd's message calls return a thenable; so does this stand-in
    out.then = done.then.bind(done) as Hide['then'];
    return out;
  }) as MessageInstance['info'];
}

const message: MessageInstance = {
  info: messageCall('info'),
  success: messageCall('success'),
  error: messageCall('error'),
  warning: messageCall('warning'),
  loading: messageCall('loading'),
  open: (args) => {
    const h = messageCall('info');
    return ready ? ready.message.open(args) : h(args.content, args.duration);
  },
  destroy: (key) => later((f) => f.message.destroy(key)),
};

function modalCall(kind: keyof HookAPI) {
  return ((config: Parameters<HookAPI['confirm']>[0]) => {
    if (ready) return ready.modal[kind](config);
    let real: ReturnType<HookAPI['confirm']> | null = null;
    let destroyed = false;
    const pendingUpdates: Parameters<ReturnType<HookAPI['confirm']>['update']>[0][] = [];
    let settle: (v: boolean) => void = () => undefined;
    const done = new Promise<boolean>((r) => {
      settle = r;
    });
    later((f) => {
      if (destroyed) return settle(false);
      real = f.modal[kind](config);
      for (const u of pendingUpdates) real.update(u);
      void real.then(settle, () => settle(false));
    });
    return {
      destroy: () => {
        destroyed = true;
        real?.destroy();
      },
      update: (u: Parameters<ReturnType<HookAPI['confirm']>['update']>[0]) => {
        if (real) real.update(u);
        else pendingUpdates.push(u);
      },
      // biome-ignore lint/suspicious/noThenProperty: antd's modal calls return a thenable; so does this stand-in
      then: done.then.bind(done),
    } as ReturnType<HookAPI['confirm']>;
  }) as HookAPI['confirm'];
}

const modal: HookAPI = {
  info: modalCall('info'),
  success: modalCall('success'),
  error: modalCall('error'),
  warning: modalCall('warning'),
  confirm: modalCall('confirm'),
};

const FEEDBACK: Feedback = { message, modal };

/** The page's `message` and `modal` (the same calls as antd's App.useApp()). */
export function useFeedback(): Feedback {
  return FEEDBACK;
}
