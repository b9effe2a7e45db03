/**
 * The national rules the checks cite (shared/domain/rules.md), by id: a Chinese name to show in place
 * of the bare id, and the rule in one sentence for a tooltip. The server keeps sending `rule` (the id).
 * A rule a module declares (its manifest `rules`) is named and worded by that declaration, the one the
 * engine, the cards and the forms read; the list below only names the rules nobody checks yet.
 */
import type { ModuleDecl } from './module.ts';
import { MODULE_DECLS } from './modules/index.ts';

export interface RuleInfo {
  /** Short Chinese name shown on a warning (“按期换届”). */
  name: string;
  /** The rule in one sentence, for a tooltip: the regulation's words for a declared rule. */
  text: string;
  /** Where the words are (a declared rule's article). */
  article?: string;
}

/**
 * Classes of organization a rule's scope is set in (a setting of kind `orgClasses`): a 党委 in the
 * rural or community field below the township is a village's (村、社区党委), told apart from the
 * township's and the units' own.
 */
export const ORG_CLASS_LABELS: Record<string, string> = {
  committee: '党委（县、乡镇、单位党委）',
  villageCommittee: '村（社区）党委',
  workingCommittee: '党工委',
  generalBranch: '党总支',
  branch: '党支部',
  jointBranch: '联合党支部',
  temporaryBranch: '临时党支部',
};

const UNDECLARED: Record<string, RuleInfo> = {
  'ORG-3': { name: '组织形式与人数', text: '党员 50 人以上可设党总支，100 人以上可设党委（村级须经县级党委批准）。' },
  'ORG-7': { name: '选举权利', text: '预备党员和受留党察看处分的党员没有表决权、选举权和被选举权。' },
  'ORG-8': {
    name: '一肩挑与交叉任职',
    text: '村党组织书记一般兼任村委会主任和集体经济组织负责人；国有企业党组织书记、董事长一般由一人担任。',
  },
  'ORG-9': {
    name: '组织设立审批',
    text: '村级及以下党组织的设立、撤销须经乡镇党委批准；村、社区党委和党总支无权审批预备党员。',
  },
  'MEM-1': { name: '党员教育培训', text: '党员每年集中学习培训不少于 32 学时，书记和班子成员不少于 56 学时。' },
  'MEM-2': {
    name: '编入支部与关系转接',
    text: '每名党员都编入党支部或党小组；外出 6 个月以上且地点固定的应转接组织关系。',
  },
  'MEM-5': {
    name: '毕业生与出国党员',
    text: '毕业生党员组织关系在学校保留不超过 2 年；出国（境）党员每 6 个月联系 1 次。',
  },
  'MEM-6': { name: '公民身份号码', text: '公民身份号码校验位正确，且与出生日期、性别一致。' },
  'DEV-1': { name: '入党申请', text: '申请人须年满 18 岁；收到入党申请 1 个月内派人谈话。' },
  'DEV-2': { name: '入党积极分子', text: '积极分子经党员推荐或群团推优、支委会研究确定，每半年考察 1 次。' },
  'DEV-3': {
    name: '发展对象',
    text: '培养 1 年以上方可列为发展对象；须有 2 名正式党员作入党介绍人，经短期集中培训和政治审查。',
  },
  'DEV-4': { name: '支部大会表决', text: '接收预备党员须经支部大会表决，上级党委 3 个月内审批，最长不超过 6 个月。' },
  'DEV-5': {
    name: '预备期与转正',
    text: '预备期 1 年，自支部大会通过之日算起；可延长一次（6 至 12 个月）；党龄自转正之日算起。',
  },
  'DUES-1': { name: '党费收缴', text: '按月交纳党费，标准每年核定一次，补交一般不超过 6 个月。' },
  'VIL-1': {
    name: '四议两公开',
    text: '村级重大事项按党组织提议、两委会商议、党员大会审议、村民（代表）会议决议的顺序办理，决议和实施结果公开。',
  },
  'VIL-2': { name: '村委会换届', text: '村民委员会每届 5 年。' },
  'NAT-1': { name: '组织信息采集', text: '党组织信息包括名称、书记、联系人、电话、组织类别和单位情况。' },
  'NAT-2': {
    name: '党员信息采集',
    text: '党员信息包括入党日期、转正日期、入党方式、党籍状态等，正式党员须有转正日期。',
  },
  'NAT-3': { name: '代码表', text: '组织类别、失联原因等使用统一代码。' },
  'NAT-4': { name: '党员基本信息采集表', text: '采集表包括籍贯、参加工作时间、学历学位等。' },
};

/** Every rule id of rules.md: the modules' declarations over the names kept here. */
export const RULES: Record<string, RuleInfo> = {
  ...UNDECLARED,
  ...Object.fromEntries(
    (MODULE_DECLS as readonly ModuleDecl[]).flatMap((m) =>
      Object.entries(m.rules ?? {}).map(([id, d]) => [id, { name: d.name, text: d.text, article: d.article }]),
    ),
  ),
};

/** The rule behind a warning: its Chinese name and text; an unknown id names itself. */
export function ruleInfo(id: string): RuleInfo & { id: string } {
  const r = RULES[id];
  if (r) return { id, ...r };
  // WEAK-1..10 are the national criteria of 软弱涣散 organizations, one name for all.
  if (/^WEAK-\d+$/.test(id)) return { id, name: '软弱涣散', text: '对照软弱涣散基层党组织的 10 条标准。' };
  return { id, name: id, text: '' };
}

/** Shown where a warning would otherwise say only “ORG-4”: 按期换届（ORG-4）. */
export function ruleLabel(id: string): string {
  const r = ruleInfo(id);
  return r.name === id ? id : `${r.name}（${id}）`;
}
