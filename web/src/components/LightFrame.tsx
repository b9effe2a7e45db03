/**
 * The frame of a light page (PageDecl.frame: 'light'): the app's red header with the same look as the
 * shell's, a plain menu to the rest of the app (the entries this user's permissions open, from the
 * modules' declarations as the shell's menu), the account links, and the offline records going up at
 * start and back online, told in a line under the header. No antd: the page and its frame load in a
 * few kilobytes on a slow phone; the shell loads when the person goes on to another page.
 */
import { useCallback, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { lastUserId, useLogout, useMe } from '../app/auth.ts';
import { menuFor } from '../app/modules.ts';
import { syncedTexts, useAutoSync } from '../app/offline-kinds.ts';
import { Logo } from './Logo.tsx';

/** A notice under the header: what went up from the device, or what the server refused. */
interface Notice {
  text: string;
  bad: boolean;
}

function MenuIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      <path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

export function LightFrame({ children }: { children: React.ReactNode }) {
  const me = useMe().data;
  const loc = useLocation();
  const [open, setOpen] = useState(false);
  const [notices, setNotices] = useState<Notice[]>([]);
  const signOut = useLogout();
  useAutoSync(
    me?.id ?? lastUserId() ?? undefined,
    useCallback((e) => {
      const t = syncedTexts(e);
      setNotices([...(t.ok ? [{ text: t.ok, bad: false }] : []), ...t.refused.map((text) => ({ text, bad: true }))]);
    }, []),
  );
  const entries = menuFor(me);
  return (
    <div className="app-layout light-frame">
      <header className="app-header">
        <button
          type="button"
          className="light-header-btn"
          aria-label={open ? '收起菜单' : '打开菜单'}
          aria-expanded={open}
          onClick={() => setOpen((v) => !v)}
          data-testid="light-menu-button"
        >
          <MenuIcon />
        </button>
        <Link className="header-brand" to="/">
          <Logo compact />
        </Link>
        <span style={{ flex: 1 }} />
        {me ? <span className="light-header-user">{me.displayName}</span> : null}
      </header>
      {open ? (
        <nav className="light-menu" data-testid="light-menu">
          {me ? (
            <div className="light-menu-who">
              <b>{me.displayName}</b>
              <span className="muted">{me.orgName}</span>
            </div>
          ) : null}
          {entries.map((e) => (
            <Link
              key={e.path}
              to={e.path}
              className={e.path === loc.pathname ? 'light-menu-item light-menu-here' : 'light-menu-item'}
              onClick={() => setOpen(false)}
            >
              {e.label}
            </Link>
          ))}
          <div className="light-menu-sep" />
          <Link to="/password" className="light-menu-item">
            修改密码
          </Link>
          <Link to="/security" className="light-menu-item">
            两步验证
          </Link>
          <button type="button" className="light-menu-item light-menu-out" onClick={() => void signOut()}>
            退出登录
          </button>
        </nav>
      ) : null}
      <main className="app-content light-content">
        {notices.map((n) => (
          <div
            key={n.text}
            className={n.bad ? 'light-alert light-alert-error' : 'light-alert light-alert-ok'}
            role="status"
            data-testid="light-notice"
          >
            {n.text}
            <button
              type="button"
              className="light-alert-close"
              aria-label="关闭"
              onClick={() => setNotices((xs) => xs.filter((x) => x !== n))}
            >
              ×
            </button>
          </div>
        ))}
        {children}
      </main>
    </div>
  );
}
