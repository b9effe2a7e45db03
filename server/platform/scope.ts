/** Moved to `access.ts` (the one access module); this re-export keeps older imports working. Import from access.ts. */
export { escapeLike, orgInScope, orgInScopeSql, type ScopedOrg } from './access.ts';
