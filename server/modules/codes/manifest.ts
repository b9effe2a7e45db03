/** 代码表: national standard code lists (ethnicity, education, …) read by every form. */
import { defineModule } from '../module.ts';

export default defineModule({
  name: 'codes',
  title: '代码表',
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
