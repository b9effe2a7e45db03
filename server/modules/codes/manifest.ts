/** 代码表: national standard code lists (ethnicity, education, …) read by every form. */
import { defineModule } from '../module.ts';

export default defineModule({
  name: 'codes',
  title: '代码表',
  apiPrefixes: ['/api/code-lists'],
  hasRoutes: true,
});
