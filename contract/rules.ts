/**
 * The national rules the checks cite (shared/domain/rules.md), by id: a Chinese name to show in place
 * of the bare id, and the rule in one sentence for a tooltip. The server keeps sending `rule` (the id).
 */
export interface RuleInfo {
  /** Short Chinese name shown on a warning (“按期换届”). */
  name: string;
  /** The rule in one sentence, for a tooltip. */
  text: string;
}

export const RULES: Record<string, RuleInfo> = {
  'ORG-1': { name: '支部设置与规模', text: '有正式党员 3 人以上的单位单独建立党支部，不足 3 人的建立联合党支部；党支部党员一般不超过 50 人。' },
  'ORG-2': { name: '支部委员会设置', text: '正式党员 7 人以上的党支部设立支部委员会（3 至 5 人，最多不超过 7 人），设书记和组织、宣传、纪检委员；不足 7 人的设书记。' },
  'ORG-3': { name: '组织形式与人数', text: '党员 50 人以上可设党总支，100 人以上可设党委（村级须经县级党委批准）。' },
  'ORG-4': { name: '按期换届', text: '村、社区党组织和乡镇党委每届 5 年，其他党支部、党总支每届 3 年；届满应按期换届，延期须经批准且不超过 1 年。' },
  'ORG-5': { name: '班子职务空缺', text: '班子职务空缺应及时补齐；书记空缺超过 3 个月是软弱涣散信号。' },
  'ORG-6': { name: '书记党龄', text: '党支部书记一般应具有 1 年以上党龄（党龄自转正之日算起）。' },
  'ORG-7': { name: '选举权利', text: '预备党员和受留党察看处分的党员没有表决权、选举权和被选举权。' },
  'ORG-8': { name: '一肩挑与交叉任职', text: '村党组织书记一般兼任村委会主任和集体经济组织负责人；国有企业党组织书记、董事长一般由一人担任。' },
  'ORG-9': { name: '组织设立审批', text: '村级及以下党组织的设立、撤销须经乡镇党委批准；村、社区党委和党总支无权审批预备党员。' },
  'LIFE-1': { name: '支部党员大会', text: '支部党员大会每季度召开 1 次。' },
  'LIFE-2': { name: '支委会', text: '支委会每月召开 1 次，到会委员须超过半数。' },
  'LIFE-3': { name: '党小组会', text: '党小组会每月召开 1 次。' },
  'LIFE-4': { name: '党课', text: '党组织书记每年至少讲 1 次党课；支部党课每季度 1 次。' },
  'LIFE-5': { name: '主题党日', text: '每月相对固定 1 天开展主题党日。' },
  'LIFE-6': { name: '组织生活会', text: '组织生活会每年至少召开 1 次，会前谈心谈话，会后整改。' },
  'LIFE-7': { name: '谈心谈话', text: '班子成员之间、班子成员与党员之间每年至少谈心谈话 1 次。' },
  'LIFE-8': { name: '民主评议党员', text: '每年开展 1 次民主评议党员；评为不合格的党员须有组织处置记录。' },
  'LIFE-9': { name: '基层党建专题会议', text: '党委每年至少召开 2 次基层党建专题会议。' },
  'LIFE-10': { name: '会议主持', text: '会议由书记（或受委托的委员）主持，党小组会由党小组长主持。' },
  'MEM-1': { name: '党员教育培训', text: '党员每年集中学习培训不少于 32 学时，书记和班子成员不少于 56 学时。' },
  'MEM-2': { name: '编入支部与关系转接', text: '每名党员都编入党支部或党小组；外出 6 个月以上且地点固定的应转接组织关系。' },
  'MEM-3': { name: '失联党员', text: '失联超过 6 个月的停止党籍，再满 2 年的按自行脱党除名。' },
  'MEM-4': { name: '自行脱党', text: '连续 6 个月无正当理由不参加组织生活、不交党费或不做分配的工作，按自行脱党处理。' },
  'MEM-5': { name: '毕业生与出国党员', text: '毕业生党员组织关系在学校保留不超过 2 年；出国（境）党员每 6 个月联系 1 次。' },
  'MEM-6': { name: '公民身份号码', text: '公民身份号码校验位正确，且与出生日期、性别一致。' },
  'DEV-1': { name: '入党申请', text: '申请人须年满 18 岁；收到入党申请 1 个月内派人谈话。' },
  'DEV-2': { name: '入党积极分子', text: '积极分子经党员推荐或群团推优、支委会研究确定，每半年考察 1 次。' },
  'DEV-3': { name: '发展对象', text: '培养 1 年以上方可列为发展对象；须有 2 名正式党员作入党介绍人，经短期集中培训和政治审查。' },
  'DEV-4': { name: '支部大会表决', text: '接收预备党员须经支部大会表决，上级党委 3 个月内审批，最长不超过 6 个月。' },
  'DEV-5': { name: '预备期与转正', text: '预备期 1 年，自支部大会通过之日算起；可延长一次（6 至 12 个月）；党龄自转正之日算起。' },
  'DUES-1': { name: '党费收缴', text: '按月交纳党费，标准每年核定一次，补交一般不超过 6 个月。' },
  'FS-1': { name: '第一书记选派', text: '软弱涣散村、脱贫村等应选派第一书记。' },
  'FS-2': { name: '第一书记任期与驻村', text: '第一书记任期 1 至 3 年，驻村时间不少于工作日的 2/3。' },
  'FS-3': { name: '五个一', text: '两新组织第一书记和党建指导员落实“五个一”。' },
  'VIL-1': { name: '四议两公开', text: '村级重大事项按党组织提议、两委会商议、党员大会审议、村民（代表）会议决议的顺序办理，决议和实施结果公开。' },
  'VIL-2': { name: '村委会换届', text: '村民委员会每届 5 年。' },
  'NAT-1': { name: '组织信息采集', text: '党组织信息包括名称、书记、联系人、电话、组织类别和单位情况。' },
  'NAT-2': { name: '党员信息采集', text: '党员信息包括入党日期、转正日期、入党方式、党籍状态等，正式党员须有转正日期。' },
  'NAT-3': { name: '代码表', text: '组织类别、失联原因等使用统一代码。' },
  'NAT-4': { name: '党员基本信息采集表', text: '采集表包括籍贯、参加工作时间、学历学位等。' },
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
