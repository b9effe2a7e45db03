/**
 * The parts of an organization's name that every name shares: a leading 中共 and a kind suffix
 * (支部委员会…). Read by the server's search initials (server/modules/orgs/initials.ts) and the web's
 * short names (web/src/pages/problems/org-short.ts): one list, so both cut a name the same way.
 */

/** Kind suffixes, longest first: 总支部委员会 before 支部委员会 before 委员会. */
export const ORG_KIND_SUFFIXES: readonly string[] = [
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

/** A name without its kind suffix (a name that is only a suffix stays as it is). */
export function withoutKindSuffix(name: string): string {
  const suffix = ORG_KIND_SUFFIXES.find((k) => name.endsWith(k) && name.length > k.length);
  return suffix ? name.slice(0, -suffix.length) : name;
}

/** A name without a leading 中共. */
export function withoutParty(name: string): string {
  return name.startsWith('中共') && name.length > 2 ? name.slice(2) : name;
}
