/** 演示数据: the demo county from the national division data (organizations, members, posts, a year of organizational life), deterministic per county code; other modules add their parts (platform/demo.ts). */
import { defineModule } from '../module.ts';

export default defineModule({
  name: 'seed',
  title: '演示数据',
  apiPrefixes: [],
  hasRoutes: false,
  demo: { title: '演示县：党组织、党员、班子和一年的组织生活' },
});
