/**
 * What a feature module declares about itself (docs/ARCHITECTURE.md, "Adding a module").
 *
 * A module is one folder `server/modules/<name>/` and one declaration `contract/modules/<name>.ts`.
 * The declaration (contract/module.ts) holds what the web app and contract/ read too: permissions,
 * audit actions, menu, pages, rules. The folder's `manifest.ts` spreads it and adds, as plain data,
 * what only the server reads (below): the platform takes permissions, error codes, settings, field
 * names in validation messages, tables, jobs, events and demo parts from it. The module's HTTP routes
 * live beside it in `routes.ts` (a Fastify plugin, default export); the platform registers them for
 * every manifest listed in `server/modules/registry.ts` and refuses to start when a route lies outside
 * the module's `apiPrefixes` or names an undeclared permission.
 */
import type { ModuleDecl } from '../../contract/module.ts';

export type {
  Holders,
  MenuEntry,
  ModuleDecl,
  PageDecl,
  PermissionDecl,
  PermissionsOf,
  RoleCode,
  RuleDecl,
  RuleInput,
  RuleSettingDecl,
  RuleSettingsOf,
} from '../../contract/module.ts';

export interface SettingDecl {
  readonly default: number | boolean | string;
  /** Chinese name, shown on the settings page and in audit sentences. */
  readonly label: string;
  /** Unit or range in Chinese (e.g. "个月", "人"). */
  readonly unit?: string;
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
 * The server's manifest: the module's declaration from contract/modules/<module>.ts (name, title,
 * permissions, audit actions, menu, pages, rules — spread in, never restated) and what only the
 * server reads.
 */
export interface ModuleManifest extends ModuleDecl {
  /** Every route of the module starts with one of these. */
  readonly apiPrefixes: readonly string[];
  /** Whether `routes.ts` exists (a module may only declare permissions or labels used by others). */
  readonly hasRoutes: boolean;
  /** Chinese names of request fields, for validation messages of this module's routes. */
  readonly fieldLabels?: Readonly<Record<string, string>>;
  /** Stable error codes with HTTP status and Chinese message. */
  readonly errors?: Readonly<Record<string, readonly [number, string]>>;
  readonly settings?: Readonly<Record<string, SettingDecl>>;
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
