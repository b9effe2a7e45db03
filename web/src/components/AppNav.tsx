/**
 * The app frame's menus (antd Menu, Dropdown and Drawer), in a chunk of their own: on a phone the
 * side menu is a drawer opened by a tap and the user menu opens on a tap, so neither needs to be
 * downloaded before the page's first screen (issue 7 §7). AppLayout shows look-alike buttons until
 * this chunk has loaded.
 */
import {
  AimOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ContactsOutlined,
  FileTextOutlined,
  FlagOutlined,
  FundOutlined,
  NotificationOutlined,
  ScheduleOutlined,
  SolutionOutlined,
  TeamOutlined,
  TrophyOutlined,
  ShopOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { Drawer, Dropdown, Menu, type MenuProps } from 'antd';
import type { MenuIcon } from '../../../contract/menu.ts';
import type { MenuEntry } from '../../../contract/module.ts';

/** Icons named by the module manifests' menu entries: every name of contract/menu.ts, and only those. */
const ICONS: Record<MenuIcon, React.ReactNode> = {
  apartment: <ApartmentOutlined />,
  team: <TeamOutlined />,
  barChart: <BarChartOutlined />,
  userSwitch: <UserSwitchOutlined />,
  audit: <AuditOutlined />,
  calendar: <CalendarOutlined />,
  alert: <AlertOutlined />,
  schedule: <ScheduleOutlined />,
  flag: <FlagOutlined />,
  fund: <FundOutlined />,
  notification: <NotificationOutlined />,
  fileText: <FileTextOutlined />,
  aim: <AimOutlined />,
  contacts: <ContactsOutlined />,
  solution: <SolutionOutlined />,
  trophy: <TrophyOutlined />,
  shop: <ShopOutlined />,
};

export function NavMenu({
  entries,
  selected,
  onNavigate,
}: {
  entries: readonly MenuEntry[];
  selected?: string;
  onNavigate: (path: string) => void;
}) {
  const items: MenuProps['items'] = entries.map((m) => ({ key: m.path, icon: ICONS[m.icon], label: m.label }));
  return (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected] : []}
      onClick={(e) => onNavigate(e.key)}
      style={{ borderInlineEnd: 'none' }}
    />
  );
}

export function NavDrawer({
  open,
  onClose,
  title,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Drawer placement="left" open={open} onClose={onClose} size={248} title={title} styles={{ body: { padding: 0 } }}>
      {children}
    </Drawer>
  );
}

export function UserMenu({
  items,
  onClick,
  open,
  onOpenChange,
  children,
}: {
  items: MenuProps['items'];
  onClick: (key: string) => void;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  children: React.ReactNode;
}) {
  return (
    <Dropdown
      menu={{
        items,
        onClick: (e) => {
          onOpenChange(false);
          onClick(e.key);
        },
      }}
      placement="bottomRight"
      trigger={['click']}
      open={open}
      onOpenChange={onOpenChange}
    >
      {children}
    </Dropdown>
  );
}
