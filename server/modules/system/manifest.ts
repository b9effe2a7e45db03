/** 系统运行: the platform's scheduled jobs (the nightly backup, the nightly rules run), their runs and the backups' state. */
import decl from '../../../contract/modules/system.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/system.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/system'],
  hasRoutes: true,
});
