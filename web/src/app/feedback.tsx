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

/** A promise and the function that settles it: what a stand-in returns before the real call is made. */
function settleable(): { done: Promise<boolean>; settle: (v: boolean) => void } {
  let settle: (v: boolean) => void = () => undefined;
  const done = new Promise<boolean>((r) => {
    settle = r;
  });
  return { done, settle };
}

type MessageType = ReturnType<MessageInstance['info']>;

/** One message shown now, or as soon as the holders are there; the caller may hide it before that. */
function showMessage(show: (m: MessageInstance) => MessageType): MessageType {
  if (ready) return show(ready.message);
  // message.loading(…, 0) returns a hide function, which may be called before the message appeared.
  let hide: (() => void) | null = null;
  let hidden = false;
  const { done, settle } = settleable();
  later((f) => {
    if (hidden) return settle(true);
    const h = show(f.message);
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
}

const messageCall =
  (kind: 'info' | 'success' | 'error' | 'warning' | 'loading'): MessageInstance['info'] =>
  (...args) =>
    showMessage((m) => m[kind](...args));

const message: MessageInstance = {
  info: messageCall('info'),
  success: messageCall('success'),
  error: messageCall('error'),
  warning: messageCall('warning'),
  loading: messageCall('loading'),
  open: (args) => showMessage((m) => m.open(args)),
  destroy: (key) => later((f) => f.message.destroy(key)),
};

function modalCall(kind: keyof HookAPI) {
  return ((config: Parameters<HookAPI['confirm']>[0]) => {
    if (ready) return ready.modal[kind](config);
    let real: ReturnType<HookAPI['confirm']> | null = null;
    let destroyed = false;
    const pendingUpdates: Parameters<ReturnType<HookAPI['confirm']>['update']>[0][] = [];
    const { done, settle } = settleable();
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

/** The same calls from code outside a component (a download refused in WeChat, app/wechat.ts). */
export function feedbackNow(): Feedback {
  return FEEDBACK;
}
