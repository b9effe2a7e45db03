/**
 * The one list of feature modules. Adding a module: create its folder (docs/ARCHITECTURE.md,
 * "Adding a module"), its declaration (contract/modules/<module>.ts, listed in contract/modules/index.ts
 * in the same order) and add its manifest here. The web app never reads this file: it reads contract/modules/.
 */
import audit from './audit/manifest.ts';
import codes from './codes/manifest.ts';
import firstsec from './firstsec/manifest.ts';
import lists from './lists/manifest.ts';
import meetings from './meetings/manifest.ts';
import members from './members/manifest.ts';
import orgs from './orgs/manifest.ts';
import problems from './problems/manifest.ts';
import seed from './seed/manifest.ts';
import showroom from './showroom/manifest.ts';
import stats from './stats/manifest.ts';
import system from './system/manifest.ts';
import users from './users/manifest.ts';

export const MODULES = [
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

export type ModuleName = (typeof MODULES)[number]['name'];
