/**
 * The one list of the modules' declarations (contract/module.ts), read by the web app (menu, pages,
 * permission checks), contract/audit-text.ts and contract/rules.ts, and spread into the server's
 * manifests (server/modules/<module>/manifest.ts). Same names in the same order as MODULES in
 * server/modules/registry.ts (server/modules/registry.test.ts checks it). Plain data, no zod.
 */
import type { PermissionsOf } from '../module.ts';
import audit from './audit.ts';
import codes from './codes.ts';
import firstsec from './firstsec.ts';
import lists from './lists.ts';
import meetings from './meetings.ts';
import members from './members.ts';
import orgs from './orgs.ts';
import problems from './problems.ts';
import seed from './seed.ts';
import showroom from './showroom.ts';
import stats from './stats.ts';
import system from './system.ts';
import users from './users.ts';

export const MODULE_DECLS = [
  orgs,
  members,
  meetings,
  problems,
  lists,
  firstsec,
  showroom,
  stats,
  users,
  audit,
  codes,
  system,
  seed,
] as const;

/** Permissions of the platform itself; every other one is declared by a module with its Chinese name and holders. */
export const PLATFORM_PERMISSIONS = { public: '公开（无须登录）', authenticated: '已登录' } as const;

/** Every permission a route may name or an account may hold. */
export type Permission = keyof typeof PLATFORM_PERMISSIONS | PermissionsOf<typeof MODULE_DECLS>;
