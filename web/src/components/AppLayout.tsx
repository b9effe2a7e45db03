import {
  DownOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Layout, type MenuProps } from 'antd';
import { lazy, Suspense, useCallback, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useLogout, useMe } from '../app/auth.ts';
import { useIdle, useIsMobile } from '../app/hooks.ts';
import { MENU, menuFor } from '../app/modules.ts';
import { ROLE_LABELS } from '../app/labels.ts';
import { syncedTexts, useAutoSync } from '../app/offline-kinds.ts';
import { Logo } from './Logo.tsx';
import { PageSpin } from './PageSpin.tsx';
import { useFeedback } from '../app/feedback.tsx';

// The frame is plain elements styled in styles.css (antd's Layout, Header and Content cost a style
// generation and a context on the phone's first screen); the desktop's collapsible Sider stays antd's.
const { Sider } = Layout;

// Menu, Dropdown and Drawer come in their own chunk after the page (components/AppNav.tsx).
const NavMenu = lazy(() => import('./AppNav.tsx').then((m) => ({ default: m.NavMenu })));
const NavDrawer = lazy(() => import('./AppNav.tsx').then((m) => ({ default: m.NavDrawer })));
const UserMenu = lazy(() => import('./AppNav.tsx').then((m) => ({ default: m.UserMenu })));

export function AppLayout() {
  const me = useMe().data;
  const isMobile = useIsMobile();
  const [drawerOpen, setDrawerOpen] = useState(false);
  // The phone's drawer is mounted at its first opening (and stays, for its closing animation).
  const [drawerUsed, setDrawerUsed] = useState(false);
  const idle = useIdle();
  const [navWanted, setNavWanted] = useState(false);
  // A tap on the user button before the menu's chunk is there opens the menu once it has arrived.
  const [userMenuOpen, setUserMenuOpen] = useState(false);
  const navReady = idle || navWanted || !isMobile;
  const [collapsed, setCollapsed] = useState(false);
  const loc = useLocation();
  const navigate = useNavigate();
  const { message } = useFeedback();

  // What waits on this device goes up at start and back online (app/offline-kinds.ts); the shell says
  // what went and what the server refused.
  useAutoSync(
    me?.id,
    useCallback(
      (e) => {
        const t = syncedTexts(e);
        if (t.ok) message.success(t.ok);
        for (const r of t.refused) message.error(r, 8);
      },
      [message],
    ),
  );

  const entries = menuFor(me);
  // The longest entry that holds the address: /tasks/dashboard is 任务督办, not 任务清单.
  const selected = MENU.filter((m) => loc.pathname === m.path || loc.pathname.startsWith(`${m.path}/`)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0]?.path;

  const signOut = useLogout();
  const logout = async () => {
    await signOut();
    message.success('已安全退出');
  };

  const userMenu: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: (
        <div className="user-menu-who">
          <div>
            {me?.displayName}（{me?.username}）
          </div>
          <div className="muted">{me?.orgName}</div>
          <div className="muted">{me?.roles.map((r) => ROLE_LABELS[r] ?? r).join('、')}</div>
        </div>
      ),
    },
    { type: 'divider' },
    { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
    { key: 'security', icon: <SafetyCertificateOutlined />, label: '两步验证' },
    { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true },
  ];

  const menu = (
    <NavMenu
      entries={entries}
      selected={selected}
      onNavigate={(path) => {
        navigate(path);
        setDrawerOpen(false);
      }}
    />
  );
  const userButton = (onClick?: () => void) => (
    <Button type="text" className="header-btn header-user" data-testid="user-menu" onClick={onClick}>
      <UserOutlined />
      <span className="header-user-name">{me?.displayName}</span>
      <DownOutlined style={{ fontSize: 10 }} />
    </Button>
  );
  // Until the menu is on screen (chunk not loaded, or loaded and not yet shown) a tap asks for it open.
  const userButtonWaiting = userButton(() => {
    setNavWanted(true);
    setUserMenuOpen(true);
  });

  return (
    <div className="app-layout">
      <header className="app-header">
        {isMobile ? (
          <Button
            type="text"
            className="header-btn"
            aria-label="打开菜单"
            icon={<MenuOutlined />}
            onClick={() => {
              setDrawerUsed(true);
              setDrawerOpen(true);
            }}
          />
        ) : null}
        <a
          className="header-brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          <Logo compact={isMobile} />
        </a>
        {!isMobile && me?.orgName ? <span className="header-org">{me.orgName}</span> : null}
        <span style={{ flex: 1 }} />
        {/* On a phone an unlabeled icon next to the user menu was one stray tap from signing out: 退出登录 stays, labeled, in the user menu. */}
        {isMobile ? null : (
          <Button
            type="text"
            className="header-btn header-logout"
            icon={<LogoutOutlined />}
            onClick={() => void logout()}
            aria-label="退出"
          >
            退出
          </Button>
        )}
        {/* The menu's chunk loads when the browser is first idle (or at the first tap on the button). */}
        {!navReady ? (
          userButtonWaiting
        ) : (
          <Suspense fallback={userButtonWaiting}>
            <UserMenu
              open={userMenuOpen}
              onOpenChange={setUserMenuOpen}
              items={userMenu}
              onClick={(key) => {
                if (key === 'password') navigate('/password');
                if (key === 'security') navigate('/security');
                if (key === 'logout') void logout();
              }}
            >
              {userButton()}
            </UserMenu>
          </Suspense>
        )}
      </header>
      <div className="app-body">
        {isMobile ? (
          drawerUsed ? (
            <Suspense fallback={null}>
              <NavDrawer
                open={drawerOpen}
                onClose={() => setDrawerOpen(false)}
                title={
                  <div>
                    <div>{me?.displayName}</div>
                    <div className="muted" style={{ fontWeight: 'normal', fontSize: 12 }}>
                      {me?.orgName}
                    </div>
                  </div>
                }
              >
                {menu}
              </NavDrawer>
            </Suspense>
          ) : null
        ) : (
          <Sider
            width={200}
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            theme="light"
            className="app-sider"
            style={{ position: 'sticky', top: 56, height: 'calc(100vh - 56px)' }}
          >
            <Suspense fallback={null}>{menu}</Suspense>
          </Sider>
        )}
        <main className="app-content">
          <Suspense fallback={<PageSpin />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}

/** Kept for modules that still import the mark from here. */
export { Logo } from './Logo.tsx';
