/**
 * What a feature module declares that the web app and contract/ read as well as the server
 * (docs/ARCHITECTURE.md, "Adding a module"): its name and title, its permissions with their Chinese
 * names and holders, its audit actions' Chinese names, its menu entries and pages, and its rules.
 * Each module's declaration is `contract/modules/<module>.ts` (listed in contract/modules/index.ts);
 * the server's manifest (server/modules/<module>/manifest.ts) spreads it and adds what only the
 * server needs: routes' prefixes, tables, jobs, events, demo data, errors, settings, field names.
 * Plain data, no zod and no server import: the web app's first screen reads it.
 */
import type { MEETING_KINDS, ORG_KINDS, ROLE_CODES } from './labels.ts';
import type { MenuIcon } from './menu.ts';

export type RoleCode = (typeof ROLE_CODES)[number];

/** Who holds a permission: the same roles in both security profiles, or per profile (level3 separates account management). */
export type Holders =
  | readonly RoleCode[]
  | { readonly default: readonly RoleCode[]; readonly level3: readonly RoleCode[] };

export interface PermissionDecl {
  /** Chinese name, shown wherever permissions are listed. */
  readonly label: string;
  readonly roles: Holders;
}

export interface MenuEntry {
  /** Path in the web app, e.g. '/members'. */
  readonly path: string;
  readonly label: string;
  /** One of the icons the web app has (contract/menu.ts; mapped in web/src/components/AppNav.tsx). */
  readonly icon: MenuIcon;
  /** Shown when the user holds any of these permissions. */
  readonly perm: string | readonly string[];
  /** Position in the menu (smaller first); also decides the home page. */
  readonly order: number;
}

export interface PageDecl {
  /** Route path below the signed-in shell, e.g. 'members/:id'. */
  readonly path: string;
  /** File under web/src/pages without extension, e.g. 'members/MemberDetailPage' (default export). */
  readonly page: string;
  /** Required permission (any of); omitted means any signed-in user. */
  readonly perm?: string | readonly string[];
  /**
   * The API reads (same-origin GETs) the page makes first when it is opened without a query string,
   * written exactly as the page requests them. The HTML of that address names them as preloads for a
   * signed-in browser (server/platform/preload.ts), so their answers travel with the scripts instead of
   * after them; a URL that differs from the page's own request is simply fetched twice.
   */
  readonly data?: readonly string[];
  /**
   * 'light': the page opens without the signed-in shell and without antd (no menu bar, no style engine),
   * for the one page a phone in a village opens most (issue 20: the check-in, usable within 3 s of a cold
   * load on slow 4G). The web app checks the session and the permission around it (components/LightGate.tsx)
   * and the page draws its own frame (components/LightFrame.tsx: the header and a plain menu to the rest of
   * the app); the HTML names only the page's chunks. With no network (opened from the kept shell) the gate
   * lets the page through: it must work from what it kept on the device.
   */
  readonly frame?: 'light';
}

/**
 * A number, share or choice of a rule that a county sets from a date on (problems/rule-settings.ts):
 * the value in force on a period's first day applies to that period.
 */
export interface RuleSettingDecl {
  /** Chinese name on the settings page. */
  readonly label: string;
  readonly unit?: string;
  /**
   * int: a whole number within min–max; share: a fraction '1/3'; choice: one of `options`; orgClasses:
   * organization classes (ORG_CLASS_LABELS in contract/rules.ts) written 'committee,workingCommittee'.
   */
  readonly kind: 'int' | 'share' | 'choice' | 'orgClasses';
  readonly default: number | string;
  readonly min?: number;
  readonly max?: number;
  /** choice: each value with its Chinese wording. */
  readonly options?: Readonly<Record<string, string>>;
  /** Why the setting exists and what the text says, in Chinese (the settings page shows it): name the article. */
  readonly description?: string;
}

/** What kind of data a change of which re-checks a rule (the engine derives a change's rules from these). */
export type RuleInput =
  | 'orgs'
  | 'posts'
  | 'members'
  | 'attendance'
  | 'grades'
  | `meeting:${(typeof MEETING_KINDS)[number]}`
  /** The lists module's records: task shares, documents' copies, problems' rectification plans and verifications. */
  | 'tasks'
  | 'directives'
  | 'rectifications'
  /** The first-secretaries module's records: the roster and villages' designations; check-ins and leave; periodic reports. */
  | 'firstSecretaries'
  | 'checkins'
  | 'reports';

/**
 * One rule of shared/domain/rules.md, declared once by the module whose data it reads. The rules
 * engine (problems), the organization card, a meeting record's warnings, the settings page and the
 * problem texts all read this declaration. The engine's statements are in the module's `checks.ts`
 * (default export: rule id → its parts), loaded by the engine the way events.ts and jobs.ts are.
 */
export interface RuleDecl {
  /** Short Chinese name (“支委会”). */
  readonly name: string;
  /** The regulation's own words, quoted. */
  readonly text: string;
  /** Where the words are: 《中国共产党支部工作条例（试行）》第十二条. */
  readonly article: string;
  /** What the county sets beyond the text (a branch's quarterly 党课), said as the county's own; absent when the rule is the text alone. */
  readonly countyRule?: string;
  /** To whom it applies, in Chinese (the rules page). */
  readonly subject: string;
  /** The organization kinds it applies to (a setting of kind `orgClasses` may narrow them per county). */
  readonly orgKinds: readonly (typeof ORG_KINDS)[number][];
  /** County settings with their defaults (keys `<area>.<name>`, unique across rules). */
  readonly settings?: Readonly<Record<string, RuleSettingDecl>>;
  /** The data it reads: a change of any of these re-checks it. */
  readonly reads: readonly RuleInput[];
  /** Where it is checked: the engine (problems), the organization card, a meeting record's warnings. */
  readonly checkedBy: readonly ('engine' | 'card' | 'record')[];
}

export interface ModuleDecl {
  /** The module's folder name under server/modules (and this file's name under contract/modules). */
  readonly name: string;
  /** Chinese name of the module. */
  readonly title: string;
  readonly permissions?: Readonly<Record<string, PermissionDecl>>;
  /** Chinese names of the audit actions the module writes. */
  readonly auditActions?: Readonly<Record<string, string>>;
  readonly menu?: readonly MenuEntry[];
  readonly pages?: readonly PageDecl[];
  /** The rules it contributes (id as in shared/domain/rules.md → declaration); the engine's statements in the server module's `checks.ts`. */
  readonly rules?: Readonly<Record<string, RuleDecl>>;
}

/** Identity with literal types kept, so permission and rule setting names stay checked by the compiler. */
export function declareModule<const M extends ModuleDecl>(m: M): M {
  return m;
}

export type PermissionsOf<Ms extends readonly ModuleDecl[]> = {
  [I in keyof Ms]: Ms[I] extends { permissions: infer P } ? keyof P & string : never;
}[number];

/** Every rule setting key the manifests declare, with its literal type kept. */
export type RuleSettingsOf<Ms extends readonly ModuleDecl[]> = {
  [I in keyof Ms]: Ms[I] extends { rules: infer R }
    ? { [K in keyof R]: R[K] extends { settings: infer S } ? keyof S & string : never }[keyof R]
    : never;
}[number];
