/**
 * Organization names short enough for a chart's axis and a phone's table (issue 18 §5): "兰阳街道" for
 * 中共兰考县兰阳街道工作委员会, not "兰阳街道工作". The county's name that every row shares and the
 * kind suffix go; what tells the organizations apart stays.
 */

// Longest first: 总支部委员会 before 支部委员会 before 委员会 (as server/modules/orgs/initials.ts).
const KIND_SUFFIXES = [
  '总支部委员会',
  '支部委员会',
  '工作委员会',
  '委员会',
  '联合党支部',
  '临时党支部',
  '党总支',
  '党支部',
  '党工委',
  '党小组',
  '党委',
  '总支',
  '支部',
];

function withoutSuffix(s: string): string {
  const suffix = KIND_SUFFIXES.find((k) => s.endsWith(k) && s.length > k.length);
  return suffix ? s.slice(0, -suffix.length) : s;
}

/** What people call the longest names. */
const ABBREVIATIONS: [RegExp, string][] = [[/非公有制经济组织和社会组织/, '两新组织']];

const bareOf = (n: string) => (n.startsWith('中共') && n.length > 2 ? n.slice(2) : n);

/**
 * Short names of sibling organizations: without 中共, the name of the organization above them (兰考县
 * for 中共兰考县委员会's children), the county they share (up to its 县/市/区/旗) and the kind suffix.
 */
export function shortNames(names: readonly string[], parentName?: string): string[] {
  const parent = parentName ? withoutSuffix(bareOf(parentName)) : '';
  const bare = names.map((n) => {
    const b = bareOf(n);
    return parent && b.startsWith(parent) && b.length > parent.length + 2 ? b.slice(parent.length) : b;
  });
  let common = bare.length > 1 ? bare[0] : '';
  for (const n of bare) while (common && !n.startsWith(common)) common = common.slice(0, -1);
  // Only a whole place name is shared: 兰考县, never half of 城关镇 and 城关乡.
  const cut = Math.max(...['县', '市', '区', '旗'].map((c) => common.lastIndexOf(c)));
  const prefix = cut >= 0 ? common.slice(0, cut + 1) : '';
  return bare.map((n, i) => {
    const rest = n.length > prefix.length ? n.slice(prefix.length) : n;
    let short = withoutSuffix(rest) || names[i];
    for (const [long, abbreviation] of ABBREVIATIONS) short = short.replace(long, abbreviation);
    return short;
  });
}
