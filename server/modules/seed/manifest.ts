/** 演示数据: the demo county from the national division data (organizations, members, posts, a year of organizational life), deterministic per county code; other modules add their parts (platform/demo.ts). */
import decl from '../../../contract/modules/seed.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/seed.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: [],
  hasRoutes: false,
  demo: { title: '演示县：党组织、党员、班子和一年的组织生活' },
});
