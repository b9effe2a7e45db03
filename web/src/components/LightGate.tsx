/**
 * The session and permission check around a light page (PageDecl.frame: 'light', e.g. the check-in):
 * the shell's checks without the shell, in plain elements, so that the page downloads neither antd nor
 * the menu. Part of the entry: it is small and the light page must not wait for another chunk.
 *
 * With no network (opened from the kept shell, the session check unanswered) the page is let through:
 * a light page works from what it kept on the device (the check-in is kept and sent later).
 */
import { createContext, useContext, useRef } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { ApiError } from '../app/api.ts';
import { useMe } from '../app/auth.ts';
import { errorMessage, RequestId } from '../app/issues.tsx';
import { allows } from '../app/modules.ts';
import { PageSpin } from './PageSpin.tsx';

/** Whether the light page was let through without an answer to the session check (no network). */
const Offline = createContext(false);
export const useOpenedOffline = () => useContext(Offline);

export function LightGate({
  perm,
  children,
}: {
  perm: string | readonly string[] | undefined;
  children: React.ReactNode;
}) {
  const me = useMe();
  const loc = useLocation();
  // Once let through offline the page stays mounted while the check is tried again (each try starts
  // from 'pending', and unmounting the page would start another: a loop) until it is answered.
  const offline = useRef(false);
  if (me.error instanceof ApiError && me.error.status === 0) offline.current = true;
  if (me.data !== undefined) offline.current = false;
  // The same element whether offline or not: when the network returns the page is not remounted (it
  // would lose what it shows, e.g. that the kept check-ins went up).
  const page = <Offline.Provider value={offline.current}>{children}</Offline.Provider>;
  if (offline.current) return page;
  if (me.isLoading) return <PageSpin />;
  if (me.error)
    return (
      <div className="light-gate" role="alert">
        <div className="light-alert light-alert-error">
          {errorMessage(me.error)}
          <RequestId err={me.error} />
        </div>
        <button type="button" className="light-btn" onClick={() => void me.refetch()}>
          重试
        </button>
      </div>
    );
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (me.data.mustChangePassword) return <Navigate to="/password" replace />;
  if (me.data.mustSetupTotp) return <Navigate to="/security" replace />;
  if (!allows(me.data.permissions, perm))
    return (
      <div className="light-gate" role="alert">
        <h1>没有权限</h1>
        <p className="muted">您的账号没有访问此页面的权限。如需开通，请联系本级党组织管理员。</p>
        <Link to="/" className="light-btn">
          返回首页
        </Link>
      </div>
    );
  return page;
}
