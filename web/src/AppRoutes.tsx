import { useQueryClient } from '@tanstack/react-query';
import { type ComponentType, lazy, Suspense, useEffect } from 'react';
import { matchRoutes, Navigate, Route, Routes, useNavigate } from 'react-router';
import { setAuthHandlers } from './app/api.ts';
import { homePath, ME_KEY, useMe } from './app/auth.ts';
import { PAGES } from './app/modules.ts';
import { preloadable } from './app/preloadable.tsx';
import { LightGate } from './components/LightGate.tsx';
import { PageSpin } from './components/PageSpin.tsx';
// The login page is part of the entry chunk: it is the first screen of everyone who is signed out, and
// on a slow network a lazy chunk would cost another round trip (and its dependencies one more).
import LoginPage from './pages/LoginPage.tsx';

/**
 * Every route is its own chunk. The platform's own pages are named here; the modules' pages come from
 * their manifests (app/modules.ts) and are found by file name, so a module adds pages without editing
 * this file. `pages` keeps the loaders so that main.tsx can start the chunks of the first screen at
 * once (see preloadRoute) instead of one after another as React reaches each lazy part.
 */
const pages = {
  shell: () => import('./Shell.tsx'),
  appHooks: () => import('./components/AppHooks.tsx'),
  password: () => import('./pages/PasswordPage.tsx'),
  security: () => import('./pages/SecurityPage.tsx'),
  notFound: () => import('./pages/NotFoundPage.tsx'),
  // The public showroom (issue 20): no session, no shell, no antd.
  showroom: () => import('./pages/showroom/Public.tsx'),
};
const PAGE_FILES = import.meta.glob<{ default: ComponentType }>([
  './pages/**/*Page.tsx',
  '!./pages/LoginPage.tsx',
  '!./pages/PasswordPage.tsx',
  '!./pages/SecurityPage.tsx',
  '!./pages/NotFoundPage.tsx',
]);

function pageLoader(page: string): () => Promise<{ default: ComponentType }> {
  const load = PAGE_FILES[`./pages/${page}.tsx`];
  if (!load) throw new Error(`页面文件 web/src/pages/${page}.tsx 不存在`);
  return load;
}
const MODULE_PAGES = PAGES.map((p) => ({ ...p, Component: preloadable(pageLoader(p.page)) }));
// Light pages (PageDecl.frame) open outside the shell: no menu bar, no antd (components/LightGate.tsx).
const SHELL_PAGES = MODULE_PAGES.filter((p) => p.frame !== 'light');
const LIGHT_PAGES = MODULE_PAGES.filter((p) => p.frame === 'light');
const ROUTE_OBJECTS = PAGES.map((p) => ({ path: p.path }));

// The shell, its permission gate and the pages render in the same pass when main.tsx has started their
// chunks (preloadRoute) and they have arrived: see app/preloadable.tsx.
const Shell = preloadable(pages.shell);
const AppHooks = lazy(pages.appHooks);
const Need = preloadable<React.ComponentProps<typeof import('./Shell.tsx').Need>>(() =>
  pages.shell().then((m) => ({ default: m.Need })),
);
const Welcome = lazy(() => pages.shell().then((m) => ({ default: m.Welcome })));
const PasswordPage = lazy(pages.password);
const SecurityPage = lazy(pages.security);
const NotFoundPage = lazy(pages.notFound);
const PublicShowroom = lazy(pages.showroom);

/** Whether a path is outside the signed-in app (no session check there). */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname.startsWith('/login') ||
    pathname === '/password' ||
    pathname === '/security' ||
    pathname === '/showroom' ||
    pathname.startsWith('/showroom/')
  );
}

/** Starts downloading the chunks that `pathname` will render, before React gets there; settles when they have. */
export function preloadRoute(pathname: string): Promise<unknown> {
  const p = pathname.replace(/\/+$/, '') || '/';
  const match = matchRoutes(ROUTE_OBJECTS, p)?.[0]?.route.path;
  const decl = match ? PAGES.find((x) => x.path === match) : undefined;
  const page =
    p === '/showroom' || p.startsWith('/showroom/')
      ? pages.showroom
      : p === '/password'
        ? pages.password
        : p === '/security'
          ? pages.security
          : decl
            ? MODULE_PAGES.find((x) => x.path === decl.path)?.Component.preload
            : null;
  const loads: Promise<unknown>[] = [];
  if (decl?.frame === 'light') {
    // Its own chunks only: the shell loads if the person goes on to another page.
  } else if (!isPublicPath(p)) loads.push(Shell.preload(), Need.preload());
  else if (p !== '/login' && page !== pages.showroom) loads.push(pages.appHooks());
  if (page) loads.push(page());
  return Promise.allSettled(loads);
}

/** Sends 401s to the login page, forced password changes to the password page and forced two-step setup to the security page, inside the router. */
function AuthBridge() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    setAuthHandlers({
      unauthenticated: () => {
        const here = window.location.pathname + window.location.search;
        qc.setQueryData(ME_KEY, null);
        if (!window.location.pathname.startsWith('/login'))
          navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
      },
      passwordChangeRequired: () => {
        void qc.invalidateQueries({ queryKey: ME_KEY });
        if (window.location.pathname !== '/password') navigate('/password', { replace: true });
      },
      totpSetupRequired: () => {
        void qc.invalidateQueries({ queryKey: ME_KEY });
        if (window.location.pathname !== '/security') navigate('/security', { replace: true });
      },
    });
  }, [navigate, qc]);
  return null;
}

function Home() {
  const me = useMe();
  return <Navigate to={homePath(me.data ?? { permissions: [], roles: [] })} replace />;
}

export function AppRoutes() {
  return (
    <>
      <AuthBridge />
      <Suspense fallback={<PageSpin />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/showroom" element={<PublicShowroom />} />
          <Route path="/showroom/:id" element={<PublicShowroom />} />
          <Route
            path="/password"
            element={
              <AppHooks>
                <PasswordPage />
              </AppHooks>
            }
          />
          <Route
            path="/security"
            element={
              <AppHooks>
                <SecurityPage />
              </AppHooks>
            }
          />
          {LIGHT_PAGES.map(({ path, perm, Component }) => (
            <Route
              key={path}
              path={path}
              element={
                <LightGate perm={perm}>
                  <Component />
                </LightGate>
              }
            />
          ))}
          <Route element={<Shell />}>
            <Route index element={<Home />} />
            <Route path="welcome" element={<Welcome />} />
            {SHELL_PAGES.map(({ path, perm, Component }) => (
              <Route
                key={path}
                path={path}
                element={
                  <Need perm={perm}>
                    <Component />
                  </Need>
                }
              />
            ))}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </Suspense>
    </>
  );
}
