/** 统计分析: counts of members and organizations across a subtree, with an Excel export. */
import decl from '../../../contract/modules/stats.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/stats.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/stats'],
  hasRoutes: true,
});
