/**
 * The signed-in part of the app: the session check, the layout (menu, header) and the permission gate.
 * Loaded lazily so that the login page downloads none of it (Layout, Menu, Drawer, Dropdown, Result).
 */
import { Button } from 'antd';
import { lazy } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiError } from './app/api.ts';
import { useMe } from './app/auth.ts';
import { allows } from './app/modules.ts';
import { ErrorAlert } from './app/errors.tsx';
import AppHooks from './components/AppHooks.tsx';
import { AppLayout } from './components/AppLayout.tsx';
import { PageSpin } from './components/PageSpin.tsx';

const NoPermission = lazy(() => import('./components/NoAccess.tsx').then((m) => ({ default: m.NoPermission })));
const OfflineHome = lazy(() => import('./components/OfflineHome.tsx'));
const WelcomeView = lazy(() => import('./components/NoAccess.tsx').then((m) => ({ default: m.Welcome })));

function RequireAuth({ children }: { children: React.ReactNode }) {
  const me = useMe();
  const loc = useLocation();
  if (me.isLoading) return <PageSpin />;
  // No network (reopened offline from the kept shell): what waits to be sent on this device.
  if (me.error instanceof ApiError && me.error.status === 0)
    return <OfflineHome retrying={me.isFetching} onRetry={() => void me.refetch()} />;
  if (me.error)
    return (
      <div style={{ maxWidth: 520, margin: '80px auto', padding: 16 }}>
        <ErrorAlert err={me.error} />
        <Button style={{ marginTop: 16 }} onClick={() => void me.refetch()}>
          重试
        </Button>
      </div>
    );
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (me.data.mustChangePassword) return <Navigate to="/password" replace />;
  if (me.data.mustSetupTotp) return <Navigate to="/security" replace />;
  return <>{children}</>;
}

/** The layout route: signed in (or sent to the login page), then the app frame around the page. */
export default function Shell() {
  return (
    <AppHooks>
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    </AppHooks>
  );
}

/** The page only for users holding any of `perm` (as the module's manifest declares it). */
export function Need({ perm, children }: { perm: string | readonly string[] | undefined; children: React.ReactNode }) {
  const me = useMe();
  if (!allows(me.data?.permissions ?? [], perm)) return <NoPermission />;
  return <>{children}</>;
}

export function Welcome() {
  return <WelcomeView />;
}
