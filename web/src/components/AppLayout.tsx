import { AlertOutlined, ApartmentOutlined, AppstoreOutlined, AuditOutlined, BarChartOutlined, CalendarOutlined, DownOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, SafetyCertificateOutlined, TeamOutlined, UserOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Dropdown, Layout, Menu, type MenuProps } from 'antd';
import { Suspense, useEffect, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useLogout, useMe } from '../app/auth.ts';
import { useIsMobile } from '../app/hooks.ts';
import { allows, MENU } from '../app/modules.ts';
import { ROLE_LABELS } from '../app/labels.ts';
import { Logo } from './Logo.tsx';
import { PageSpin } from './PageSpin.tsx';

const { Header, Sider, Content } = Layout;

/** Icons named by the module manifests' menu entries. */
const ICONS: Record<string, React.ReactNode> = {
  apartment: <ApartmentOutlined />,
  team: <TeamOutlined />,
  barChart: <BarChartOutlined />,
  userSwitch: <UserSwitchOutlined />,
  audit: <AuditOutlined />,
  calendar: <CalendarOutlined />,
  alert: <AlertOutlined />,
};

/** Whether this browser holds a meeting record waiting for the network (app/offline.ts keeps them under this prefix). */
function hasWaitingRecords(): boolean {
  try {
    for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)?.startsWith('dangjian.meeting.') && localStorage.getItem(localStorage.key(i) ?? '')?.includes('"state":"pending"')) return true;
  } catch {
    /* storage disabled */
  }
  return false;
}

export function AppLayout() {
  const me = useMe().data;
  const isMobile = useIsMobile();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const loc = useLocation();
  const navigate = useNavigate();
  const { message } = App.useApp();

  // Meeting records saved on this device while offline go up from any page, once at start and whenever
  // the browser is back online; the sending code loads only when there is something waiting.
  const userId = me?.id;
  useEffect(() => {
    if (!userId) return;
    const sync = () => {
      if (!hasWaitingRecords()) return;
      void import('../app/offline.ts').then((m) => m.syncPendingDrafts(userId)).then((n) => {
        if (n) message.success(`已上传本机保存的 ${n} 条组织生活记录`);
      });
    };
    sync();
    window.addEventListener('online', sync);
    return () => window.removeEventListener('online', sync);
  }, [userId, message]);

  const items: MenuProps['items'] = MENU.filter((m) => allows(me?.permissions ?? [], m.perm)).map((m) => ({ key: m.path, icon: ICONS[m.icon] ?? <AppstoreOutlined />, label: m.label }));
  const selected = MENU.find((m) => loc.pathname === m.path || loc.pathname.startsWith(`${m.path}/`))?.path;

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
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected] : []}
      onClick={(e) => {
        navigate(e.key);
        setDrawerOpen(false);
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  return (
    <Layout className="app-layout">
      <Header className="app-header">
        {isMobile ? <Button type="text" className="header-btn" aria-label="打开菜单" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} /> : null}
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
          <Button type="text" className="header-btn header-logout" icon={<LogoutOutlined />} onClick={() => void logout()} aria-label="退出">
            退出
          </Button>
        )}
        <Dropdown
          menu={{
            items: userMenu,
            onClick: (e) => {
              if (e.key === 'password') navigate('/password');
              if (e.key === 'security') navigate('/security');
              if (e.key === 'logout') void logout();
            },
          }}
          placement="bottomRight"
          trigger={['click']}
        >
          <Button type="text" className="header-btn header-user" data-testid="user-menu">
            <UserOutlined />
            <span className="header-user-name">{me?.displayName}</span>
            <DownOutlined style={{ fontSize: 10 }} />
          </Button>
        </Dropdown>
      </Header>
      <Layout>
        {isMobile ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={248}
            title={
              <div>
                <div>{me?.displayName}</div>
                <div className="muted" style={{ fontWeight: 'normal', fontSize: 12 }}>
                  {me?.orgName}
                </div>
              </div>
            }
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Sider width={200} collapsible collapsed={collapsed} onCollapse={setCollapsed} theme="light" className="app-sider" style={{ position: 'sticky', top: 56, height: 'calc(100vh - 56px)' }}>
            {menu}
          </Sider>
        )}
        <Content className="app-content">
          <Suspense fallback={<PageSpin />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}

/** Kept for modules that still import the mark from here. */
export { Logo } from './Logo.tsx';
