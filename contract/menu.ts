/**
 * The icons a module's menu entry may name (manifest `menu[].icon`). No zod: the web app's first screen
 * reads it. The web app maps each name to its icon (web/src/components/AppNav.tsx, an exhaustive
 * table): a name that is not here does not compile, in the manifest or in the table.
 */
export const MENU_ICONS = [
  'apartment',
  'team',
  'barChart',
  'userSwitch',
  'audit',
  'calendar',
  'alert',
  'schedule',
  'flag',
  'fund',
  'notification',
  'fileText',
  'aim',
  'contacts',
  'solution',
  'trophy',
  'shop',
] as const;
export type MenuIcon = (typeof MENU_ICONS)[number];
