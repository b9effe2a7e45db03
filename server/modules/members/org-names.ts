/**
 * Branch names as offices write them (issue 18 §1): "程庄村党支部" or "程庄村支部" for
 * 中共红庙镇程庄村支部委员会. A roster's text is matched to an organization in the importing scope by
 * its id, its full name, its short name, or its distinctive part with or without 党 (and without the
 * township's name in front); several matches are a question for the import wizard.
 */
import { distinctiveName } from '../orgs/api.ts';

/** An organization that can hold members, as the import matches it. */
export interface MatchOrg {
  id: string;
  name: string;
  county_code: string;
  short_name?: string | null;
  /** Names of the organizations above it (the township first or last: any order). */
  ancestors?: string[];
  /** What the wizard shows beside the name to tell two alike apart (the township). */
  unit?: string | null;
}

export type OrgMatch<O extends MatchOrg> = { org: O } | { candidates: O[] } | null;

const compact = (s: string) => s.replace(/\s+/g, '');

/** The distinctive part of a name as people say it: without 中共, the county, the kind suffix and a trailing 党. */
function spoken(name: string, countyName: string | null): string {
  const d = distinctiveName(compact(name), countyName);
  return d.length > 1 && d.endsWith('党') ? d.slice(0, -1) : d;
}

/**
 * The ways an organization is written: its distinctive part, that part without the name of an
 * organization above it (红庙镇程庄村 → 程庄村), and with it (甲一村 → 甲镇甲一村).
 */
function forms(o: MatchOrg, countyName: string | null): Set<string> {
  const out = new Set<string>();
  for (const n of [o.name, o.short_name]) {
    if (!n) continue;
    const d = spoken(n, countyName);
    out.add(d);
    for (const a of o.ancestors ?? []) {
      const above = spoken(a, countyName);
      if (!above || above === d) continue;
      if (d.startsWith(above)) out.add(d.slice(above.length));
      else out.add(above + d);
    }
  }
  out.delete('');
  return out;
}

/** A matcher over the organizations in scope: the organization a text names, the candidates when several do, or null. */
export function orgMatcher<O extends MatchOrg>(orgs: O[], countyName: string | null): (text: string) => OrgMatch<O> {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const index = (key: (o: O) => Iterable<string>) => {
    const m = new Map<string, O[]>();
    for (const o of orgs) for (const k of new Set(key(o))) m.set(k, [...(m.get(k) ?? []), o]);
    return m;
  };
  // Tiers from the most to the least exact: the first tier that knows the text decides.
  const tiers = [
    index((o) => [compact(o.name)]),
    index((o) => (o.short_name ? [compact(o.short_name)] : [])),
    index((o) => forms(o, countyName)),
  ];
  return (text) => {
    const t = compact(text);
    if (!t) return null;
    const byIdHit = byId.get(t);
    if (byIdHit) return { org: byIdHit };
    const keys = [[t], [t], [spoken(t, countyName)]];
    for (let i = 0; i < tiers.length; i++) {
      const hits = [...new Set(keys[i].flatMap((k) => tiers[i].get(k) ?? []))];
      if (hits.length === 1) return { org: hits[0] };
      if (hits.length > 1) return { candidates: hits };
    }
    return null;
  };
}
