/**
 * Organization names short enough for a chart's axis and a phone's table (issue 18 §5): "兰阳街道" for
 * 中共兰考县兰阳街道工作委员会, not "兰阳街道工作". The county's name that every row shares and the
 * kind suffix go; what tells the organizations apart stays.
 */

import { withoutKindSuffix, withoutParty } from '../../../../contract/org-names.ts';

/** What people call the longest names. */
const ABBREVIATIONS: [RegExp, string][] = [[/非公有制经济组织和社会组织/, '两新组织']];

/**
 * Short names of sibling organizations: without 中共, the name of the organization above them (兰考县
 * for 中共兰考县委员会's children), the county they share (up to its 县/市/区/旗) and the kind suffix.
 */
export function shortNames(names: readonly string[], parentName?: string): string[] {
  const parent = parentName ? withoutKindSuffix(withoutParty(parentName)) : '';
  const bare = names.map((n) => {
    const b = withoutParty(n);
    return parent && b.startsWith(parent) && b.length > parent.length + 2 ? b.slice(parent.length) : b;
  });
  let common = bare.length > 1 ? bare[0] : '';
  for (const n of bare) while (common && !n.startsWith(common)) common = common.slice(0, -1);
  // Only a whole place name is shared: 兰考县, never half of 城关镇 and 城关乡.
  const cut = Math.max(...['县', '市', '区', '旗'].map((c) => common.lastIndexOf(c)));
  const prefix = cut >= 0 ? common.slice(0, cut + 1) : '';
  return bare.map((n, i) => {
    const rest = n.length > prefix.length ? n.slice(prefix.length) : n;
    let short = withoutKindSuffix(rest) || names[i];
    for (const [long, abbreviation] of ABBREVIATIONS) short = short.replace(long, abbreviation);
    return short;
  });
}
