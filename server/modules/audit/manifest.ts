/** 审计日志: the append-only, hash-chained log read as sentences, filtered and exported (SEC-12, SEC-14). */
import decl from '../../../contract/modules/audit.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/audit.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/audit'],
  hasRoutes: true,
});
