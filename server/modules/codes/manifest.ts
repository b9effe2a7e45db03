/** 代码表: national standard code lists (ethnicity, education, …) read by every form. */
import decl from '../../../contract/modules/codes.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/codes.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/code-lists'],
  hasRoutes: true,
  tables: {
    code_lists: {
      role: 'reference',
      reason:
        'national standard code lists (GB/T 2261.1, 3304, 4658) and platform defaults: shared by every county, rarely written, joined with county tables',
    },
    county_code_lists: {
      role: 'distributed',
      reason: "a county's own code-list entries (added, or relabelled), over the national lists",
    },
  },
});
