/** 代码表: national standard code lists (ethnicity, education, …) read by every form. */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'codes',
  title: '代码表',
});
