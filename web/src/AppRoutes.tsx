import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router';
import { setAuthHandlers } from './app/api.ts';
import { homePath, ME_KEY, useMe } from './app/auth.ts';
import { PageSpin } from './components/PageSpin.tsx';
// The login page is part of the entry chunk: it is the first screen of everyone who is signed out, and
// on a slow network a lazy chunk would cost another round trip (and its dependencies one more).
import LoginPage from './pages/LoginPage.tsx';

/**
 * Every route is its own chunk. `pages` keeps the loaders so that main.tsx can start the chunks of the
 * first screen at once (see preloadRoute) instead of one after another as React reaches each lazy part.
 */
const pages = {
  shell: () => import('./Shell.tsx'),
  appHooks: () => import('./components/AppHooks.tsx'),
  password: () => import('./pages/PasswordPage.tsx'),
  security: () => import('./pages/SecurityPage.tsx'),
  orgs: () => import('./pages/orgs/OrgsPage.tsx'),
  members: () => import('./pages/members/MembersPage.tsx'),
  memberForm: () => import('./pages/members/MemberFormPage.tsx'),
  memberDetail: () => import('./pages/members/MemberDetailPage.tsx'),
  import: () => import('./pages/members/ImportPage.tsx'),
  rosterPrint: () => import('./pages/members/RosterPrintPage.tsx'),
  users: () => import('./pages/UsersPage.tsx'),
  stats: () => import('./pages/StatsPage.tsx'),
  audit: () => import('./pages/AuditPage.tsx'),
  notFound: () => import('./pages/NotFoundPage.tsx'),
};

const Shell = lazy(pages.shell);
const AppHooks = lazy(pages.appHooks);
const Need = lazy(() => pages.shell().then((m) => ({ default: m.Need })));
const Welcome = lazy(() => pages.shell().then((m) => ({ default: m.Welcome })));
const PasswordPage = lazy(pages.password);
const SecurityPage = lazy(pages.security);
const OrgsPage = lazy(pages.orgs);
const MembersPage = lazy(pages.members);
const MemberFormPage = lazy(pages.memberForm);
const MemberDetailPage = lazy(pages.memberDetail);
const ImportPage = lazy(pages.import);
const RosterPrintPage = lazy(pages.rosterPrint);
const UsersPage = lazy(pages.users);
const StatsPage = lazy(pages.stats);
const AuditPage = lazy(pages.audit);
const NotFoundPage = lazy(pages.notFound);

/** Whether a path is outside the signed-in app (no session check there). */
export function isPublicPath(pathname: string): boolean {
  return pathname.startsWith('/login') || pathname === '/password' || pathname === '/security';
}

/** Starts downloading the chunks that `pathname` will render, before React gets there. */
export function preloadRoute(pathname: string): void {
  const p = pathname.replace(/\/+$/, '') || '/';
  const page =
    p === '/password' ? pages.password
    : p === '/security' ? pages.security
    : p === '/members' ? pages.members
    : p === '/members/new' || /^\/members\/[^/]+\/edit$/.test(p) ? pages.memberForm
    : p === '/members/import' ? pages.import
    : p === '/members/print' ? pages.rosterPrint
    : p.startsWith('/members/') ? pages.memberDetail
    : p.startsWith('/orgs') ? pages.orgs
    : p === '/users' ? pages.users
    : p === '/stats' ? pages.stats
    : p === '/audit' ? pages.audit
    : null;
  if (!isPublicPath(p)) void pages.shell().catch(() => undefined);
  else if (p !== '/login') void pages.appHooks().catch(() => undefined);
  if (page) void page().catch(() => undefined);
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
        if (!window.location.pathname.startsWith('/login')) navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
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
  return <Navigate to={homePath(me.data?.permissions ?? [])} replace />;
}

export function AppRoutes() {
  return (
    <>
      <AuthBridge />
      <Suspense fallback={<PageSpin />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/password" element={<AppHooks><PasswordPage /></AppHooks>} />
          <Route path="/security" element={<AppHooks><SecurityPage /></AppHooks>} />
          <Route element={<Shell />}>
            <Route index element={<Home />} />
            <Route path="welcome" element={<Welcome />} />
            <Route path="orgs" element={<Need perm="orgs.read"><OrgsPage /></Need>} />
            <Route path="orgs/:id" element={<Need perm="orgs.read"><OrgsPage /></Need>} />
            <Route path="members" element={<Need perm="members.read"><MembersPage /></Need>} />
            <Route path="members/new" element={<Need perm="members.write"><MemberFormPage /></Need>} />
            <Route path="members/import" element={<Need perm="members.import"><ImportPage /></Need>} />
            <Route path="members/print" element={<Need perm="members.read"><RosterPrintPage /></Need>} />
            <Route path="members/:id" element={<Need perm="members.read"><MemberDetailPage /></Need>} />
            <Route path="members/:id/edit" element={<Need perm="members.write"><MemberFormPage /></Need>} />
            <Route path="stats" element={<Need perm="members.read"><StatsPage /></Need>} />
            <Route path="users" element={<Need perm={['users.read', 'users.approve']}><UsersPage /></Need>} />
            <Route path="audit" element={<Need perm="audit.read"><AuditPage /></Need>} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </Suspense>
    </>
  );
}
