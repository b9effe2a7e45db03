/**
 * The spot-check draw (随机抽查): stratified, reproducible. The population is read in the order of the
 * organizations' ids; each stratum's share of the sample is proportional to its size (largest
 * remainders, every stratum at least one when the sample is as large as the number of strata); within a
 * stratum the organizations are drawn by a partial Fisher–Yates shuffle driven by SHA-256 of the seed,
 * the stratum and a counter. The same seed over the same population draws the same sample, on any
 * machine, and anyone holding the seed and the list can redo it.
 */
import { newSeed, uniform } from '../../platform/seeded.ts';

export interface DrawUnit {
  id: string;
  /** The stratum's key (a township's id, a field's code) and its name. */
  stratum: string;
  stratumLabel: string;
}

export interface Stratum {
  key: string;
  label: string;
  population: number;
  sample: number;
}

export { newSeed };

/** How many of `size` each stratum gets (sizes in `counts`, keys in order). */
export function allocate(counts: readonly number[], size: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const n = Math.min(size, total);
  if (n === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * n) / total);
  const out = exact.map(Math.floor);
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    if (out[i] < counts[i]) {
      out[i]++;
      left--;
    }
  }
  // Every stratum is visited when the sample allows it: one is moved from the stratum with the most.
  const nonEmpty = counts.filter((c) => c > 0).length;
  if (n >= nonEmpty) {
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0 || out[i] > 0) continue;
      let from = -1;
      for (let j = 0; j < counts.length; j++) if (out[j] > 1 && (from < 0 || out[j] > out[from])) from = j;
      if (from < 0) break;
      out[from]--;
      out[i]++;
    }
  }
  return out;
}

/** Draw `size` units of `population` by strata. The population's order does not matter: it is read by id. */
export function draw(
  population: readonly DrawUnit[],
  size: number,
  seed: string,
): { order: string[]; sample: string[]; strata: Stratum[] } {
  const units = [...population].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byStratum = new Map<string, { label: string; ids: string[] }>();
  for (const u of units) {
    const s = byStratum.get(u.stratum) ?? { label: u.stratumLabel, ids: [] };
    s.ids.push(u.id);
    byStratum.set(u.stratum, s);
  }
  const keys = [...byStratum.keys()].sort();
  const shares = allocate(
    keys.map((k) => byStratum.get(k)?.ids.length ?? 0),
    size,
  );
  const sample: string[] = [];
  const strata: Stratum[] = [];
  keys.forEach((key, i) => {
    const s = byStratum.get(key);
    if (!s) return;
    const ids = [...s.ids];
    for (let k = 0; k < shares[i]; k++) {
      const j = k + Math.floor(uniform(seed, key, k) * (ids.length - k));
      [ids[k], ids[j]] = [ids[j], ids[k]];
      sample.push(ids[k]);
    }
    strata.push({ key, label: s.label, population: s.ids.length, sample: shares[i] });
  });
  return { order: units.map((u) => u.id), sample, strata };
}
