/**
 * What a feature module declares about itself (docs/ARCHITECTURE.md, "Adding a module").
 *
 * A module is one folder `server/modules/<name>/`. Its `manifest.ts` is plain data — no server
 * imports — so that the platform (permissions, error codes, settings, field names in validation
 * messages, audit sentences) and the web app (menu, pages, permission checks) read the same source.
 * The module's HTTP routes live beside it in `routes.ts` (a Fastify plugin, default export); the
 * platform registers them for every manifest listed in `server/modules/registry.ts` and refuses to
 * start when a route lies outside the module's `apiPrefixes` or names an undeclared permission.
 */
import type { MEETING_KINDS, ORG_KINDS, ROLE_CODES } from '../../contract/labels.ts';
import type { MenuIcon } from '../../contract/menu.ts';

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

export interface SettingDecl {
  readonly default: number | boolean | string;
  /** Chinese name, shown on the settings page and in audit sentences. */
  readonly label: string;
  /** Unit or range in Chinese (e.g. "个月", "人"). */
  readonly unit?: string;
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
}

/** A table's role under Citus (docs/SCALE.md): distributed by county_code, a reference table, or local. */
export type TableRole = 'distributed' | 'reference' | 'local';

/** A pair of columns naming a stored file (a blob key of the file service) and the SM3 digest recorded with it. */
export interface FileColumnDecl {
  /** The column holding the blob key (null when the row has no such file). */
  readonly key: string;
  /** The column holding the file's SM3 digest, checked when the backup copies it and when a restore brings it back. */
  readonly sm3: string;
}

export interface TableDecl {
  readonly role: TableRole;
  /** Why the table has this role (docs/SCALE.md repeats it). */
  readonly reason: string;
  /** Tables whose rows this table's rows refer to (backup loads them first). */
  readonly parents?: readonly string[];
  /** Stored files the rows refer to: the backup copies every one of them into the archive (platform/backup.ts). */
  readonly files?: readonly FileColumnDecl[];
  /** State of the running installation that a new database starts without (sessions, counters): not backed up. */
  readonly transient?: boolean;
}

/**
 * A job the platform runs once a day (server/platform/jobs.ts), once per installation however many
 * instances share the database. Its implementation is the function of the same name in the module's
 * `jobs.ts` (default export: name → function).
 */
export interface JobDecl {
  /** Chinese name, shown on the jobs page. */
  readonly title: string;
  /** Time of day in Asia/Shanghai, 'HH:MM'. */
  readonly at: string;
  /** Hours after `at` within which a run missed while no instance was running is still made (default 1). */
  readonly catchUpHours?: number;
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
  | `meeting:${(typeof MEETING_KINDS)[number]}`;

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

export interface ModuleManifest {
  /** The folder name under server/modules. */
  readonly name: string;
  /** Chinese name of the module. */
  readonly title: string;
  /** Every route of the module starts with one of these. */
  readonly apiPrefixes: readonly string[];
  /** Whether `routes.ts` exists (a module may only declare permissions or labels used by others). */
  readonly hasRoutes: boolean;
  readonly permissions?: Readonly<Record<string, PermissionDecl>>;
  /** Chinese names of request fields, for validation messages of this module's routes. */
  readonly fieldLabels?: Readonly<Record<string, string>>;
  /** Stable error codes with HTTP status and Chinese message. */
  readonly errors?: Readonly<Record<string, readonly [number, string]>>;
  readonly settings?: Readonly<Record<string, SettingDecl>>;
  /** Chinese names of the audit actions the module writes. */
  readonly auditActions?: Readonly<Record<string, string>>;
  readonly menu?: readonly MenuEntry[];
  readonly pages?: readonly PageDecl[];
  /** The module's tables (its schema.ts) with their Citus role and backup parents; the catalog test holds the database to them. */
  readonly tables?: Readonly<Record<string, TableDecl>>;
  /** Daily jobs (`<module>.<name>`), implemented in the module's `jobs.ts`. */
  readonly jobs?: Readonly<Record<string, JobDecl>>;
  /**
   * Domain events the module announces in the writer's transaction (`<module>.<what>` → Chinese
   * description; server/platform/events.ts). Their payload types are in the module's `api.ts`.
   */
  readonly events?: Readonly<Record<string, string>>;
  /** Events (its own or other modules') it reacts to, in the same transaction; handlers in its `events.ts`. */
  readonly subscribes?: readonly string[];
  /** The rules it contributes (id as in shared/domain/rules.md → declaration); the engine's statements in its `checks.ts`. */
  readonly rules?: Readonly<Record<string, RuleDecl>>;
  /** Its part of the demo county (server/platform/demo.ts), implemented in the module's `demo.ts`. */
  readonly demo?: DemoDecl;
}

/**
 * A module's part of the demo county. `demo.ts` exports `county` (rows written in the county's seeding
 * transaction) and/or `installed` (work after it commits: files through the upload pipeline, a first
 * rules run). Parts run in the order `after` gives, every county part before any installed part.
 */
export interface DemoDecl {
  /** What the part makes, in Chinese (start-up log). */
  readonly title: string;
  /** Modules whose parts must run first. */
  readonly after?: readonly string[];
}

/** Identity with literal types kept, so permission, error and setting names stay checked by the compiler. */
export function defineModule<const M extends ModuleManifest>(m: M): M {
  return m;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Widen<T> = T extends number ? number : T extends boolean ? boolean : T extends string ? string : T;

export type PermissionsOf<Ms extends readonly ModuleManifest[]> = {
  [I in keyof Ms]: Ms[I] extends { permissions: infer P } ? keyof P & string : never;
}[number];
export type ErrorsOf<Ms extends readonly ModuleManifest[]> = UnionToIntersection<
  { [I in keyof Ms]: Ms[I] extends { errors: infer E } ? E : never }[number]
>;
export type SettingsOf<Ms extends readonly ModuleManifest[]> = UnionToIntersection<
  {
    [I in keyof Ms]: Ms[I] extends { settings: infer S }
      ? { -readonly [K in keyof S]: S[K] extends { default: infer D } ? Widen<D> : never }
      : never;
  }[number]
>;

/** Every rule setting key the manifests declare, with its literal type kept. */
export type RuleSettingsOf<Ms extends readonly ModuleManifest[]> = {
  [I in keyof Ms]: Ms[I] extends { rules: infer R }
    ? { [K in keyof R]: R[K] extends { settings: infer S } ? keyof S & string : never }[keyof R]
    : never;
}[number];
