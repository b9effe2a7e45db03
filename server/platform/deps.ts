import type { Database } from '../db/index.ts';
import type { AuditAnchor } from './anchor.ts';
import type { Config } from './config.ts';
import type { CryptoProvider } from './crypto.ts';
import type { FileService } from './files/file-service.ts';
import type { Permission } from './permissions.ts';

/** What the app is built from: the database, the crypto provider, configuration. */
export interface Deps {
  database: Database;
  crypto: CryptoProvider;
  config: Config;
  dbInfo: { mode: 'embedded' | 'external'; version: string };
  /** Where uploads and generated exports are kept (outside any web root). */
  filesDir: string;
  /** Uploaded files: generated names, kinds by magic bytes, size limits, SM3 checked on read (SEC-17, SEC-21). */
  files: FileService;
  /** Clock, replaceable in tests (lockout and timeouts). */
  now: () => Date;
  /** The audit chain's head kept outside the database (SEC-32); the app updates it after writes. */
  anchor?: AuditAnchor;
}

/** The signed-in user as every handler and service sees them. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  orgId: string;
  orgName: string;
  /** The scope: the user's organization path; everything whose path starts with it is theirs. */
  scopePath: string;
  countyCode: string;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  /** The profile requires a second factor for this account. */
  totpRequired: boolean;
  /** level3 profile: an administrator without a second factor must set one up before anything else. */
  mustSetupTotp: boolean;
  permissions: Set<Permission>;
  sessionHash: string;
  /**
   * The newest entry of the county's audit chain when the request began, as `seq:hash` ('' for none):
   * every write to the county's data is audited in its own transaction, under the county's chain lock,
   * so it changes with every committed write, in commit order; the hash tells a chain restored from a
   * backup from the one it replaced. Read caches compare it (platform/read-cache.ts).
   */
  auditHead: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
    /** Every route with its declared permission (for the authorization matrix test). */
    routeTable: { method: string; url: string; permission: string }[];
  }
  interface FastifyRequest {
    user: SessionUser | null;
  }
  interface FastifyContextConfig {
    /** The permission this route needs (SEC-7). */
    permission?: Permission;
    /** Reachable while the login is incomplete: a password change (SEC-1) or second-factor setup (SEC-5) pending. */
    allowPending?: boolean;
    /** The module that declared the route (set by the platform from its manifest). */
    module?: string;
  }
}
