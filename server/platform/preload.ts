/**
 * The first screen of an address, named in its HTML (issue 7 §7: a phone on slow 4G).
 *
 * Without hints a phone asks for the entry script, runs it, and only then learns which chunks the page
 * needs and which API reads it makes: two more round trips of ~0.6 s each before the first row. Here
 * the server, which knows the address, names in the HTML:
 * - the chunks of the shell and of the page (`<link rel="modulepreload">`, from the build's
 *   `.vite/preload.json`, web/preload-map.ts), so they download beside the entry;
 * - for a browser that holds a session cookie, the session check and the page's first reads as declared
 *   in its module manifest (`PageDecl.data`), as `<link rel="preload" as="fetch">`, whose answers the
 *   page's own `fetch` then takes from the browser's preload cache.
 * They are hints: a wrong or stale one costs a download, never a wrong page. No hint carries data.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModuleManifest, PageDecl } from '../modules/module.ts';
import { MODULES } from '../modules/registry.ts';

interface PreloadMap {
  chunks: Record<string, string[]>;
}

const PAGES: readonly PageDecl[] = (MODULES as readonly ModuleManifest[]).flatMap((m) => m.pages ?? []);

/** Each page's path as a pattern; static segments rank before parameters, as in react-router. */
const ROUTES = PAGES.map((p) => {
  const segs = p.path.replace(/^\/+|\/+$/g, '').split('/');
  const re = new RegExp(
    `^/${segs.map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`,
  );
  return { decl: p, re, params: segs.filter((s) => s.startsWith(':')).length };
}).sort((a, b) => a.params - b.params);

/** The page declared for a path of the signed-in app, if any. */
export function pageFor(pathname: string): PageDecl | undefined {
  const p = pathname.replace(/\/+$/, '') || '/';
  return ROUTES.find((r) => r.re.test(p))?.decl;
}

const ACCOUNT_PAGES: Record<string, string> = { '/password': 'pages/PasswordPage', '/security': 'pages/SecurityPage' };

export interface FirstScreen {
  scripts: string[];
  fetches: string[];
}

/** What the HTML of `url` should name; `signedIn`: the request carries a session cookie. */
export function firstScreen(map: PreloadMap | null, url: string, signedIn: boolean): FirstScreen {
  const [pathname, query] = url.split('#')[0].split('?');
  const p = pathname.replace(/\/+$/, '') || '/';
  if (p === '/login' || p.startsWith('/login/')) return { scripts: [], fetches: [] };
  const chunks = (key: string) => map?.chunks[key] ?? [];
  // The public showroom (issue 20): its own chunk only, no shell; no session check, no personal reads.
  if (p === '/showroom' || p.startsWith('/showroom/')) return { scripts: chunks('pages/showroom/Public'), fetches: [] };
  const account = ACCOUNT_PAGES[p];
  const page = account ? undefined : pageFor(p);
  // A light page (PageDecl.frame) opens without the shell: its own chunks only.
  const scripts = account
    ? [...chunks('components/AppHooks'), ...chunks(account)]
    : page?.frame === 'light'
      ? chunks(`pages/${page.page}`)
      : [...chunks('Shell'), ...(page ? chunks(`pages/${page.page}`) : [])];
  const fetches = signedIn ? ['/api/auth/me', ...(page?.data && !query ? page.data : [])] : [];
  return { scripts: [...new Set(scripts)], fetches };
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The `<link>` tags of a first screen, for the HTML's head. */
export function linkTags(fs0: FirstScreen): string {
  return [
    // The reads first: small answers, and the page waits for them after its scripts.
    ...fs0.fetches.map((u) => `<link rel="preload" as="fetch" crossorigin href="${attr(u)}">`),
    ...fs0.scripts.map((u) => `<link rel="modulepreload" crossorigin href="${attr(u)}">`),
  ].join('\n    ');
}

/** Reads the build's preload map (cached until the file changes); null when the build has none. */
export function preloadMapReader(root: string): () => PreloadMap | null {
  const file = path.join(root, '.vite', 'preload.json');
  let cached: { mtimeMs: number; map: PreloadMap | null } | null = null;
  return () => {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return null;
    }
    if (cached?.mtimeMs !== st.mtimeMs) {
      let map: PreloadMap | null = null;
      try {
        const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as PreloadMap;
        if (parsed && typeof parsed.chunks === 'object') map = parsed;
      } catch {
        map = null;
      }
      cached = { mtimeMs: st.mtimeMs, map };
    }
    return cached.map;
  };
}
