/** 演示数据: the demo county from the national division data (organizations, members, posts, a year of organizational life), deterministic per county code; other modules add their parts (platform/demo.ts). */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'seed',
  title: '演示数据',
});
