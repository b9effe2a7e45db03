/** The spot-check draw: the same seed and population give the same sample; the sample follows the strata. */
import { describe, expect, it } from 'vitest';
import { allocate, type DrawUnit, draw } from './draw.ts';

/** 3 townships of 30, 12 and 6 villages. */
const population: DrawUnit[] = [
  ...Array.from({ length: 30 }, (_, i) => ({
    id: `a${String(i).padStart(2, '0')}`,
    stratum: 'A',
    stratumLabel: '甲镇',
  })),
  ...Array.from({ length: 12 }, (_, i) => ({
    id: `b${String(i).padStart(2, '0')}`,
    stratum: 'B',
    stratumLabel: '乙镇',
  })),
  ...Array.from({ length: 6 }, (_, i) => ({
    id: `c${String(i).padStart(2, '0')}`,
    stratum: 'C',
    stratumLabel: '丙镇',
  })),
];

describe('spot-check draw', () => {
  it('draws the same sample from the same seed and population, whatever order the population comes in', () => {
    const one = draw(population, 8, '2026-12督查');
    const two = draw([...population].reverse(), 8, '2026-12督查');
    expect(two.sample).toEqual(one.sample);
    expect(two.order).toEqual(one.order);
    expect(new Set(one.sample).size).toBe(8);
    // Another seed draws another sample (with these sizes a collision is vanishingly unlikely).
    expect(draw(population, 8, '另一个种子').sample).not.toEqual(one.sample);
  });

  it('gives each township its proportional share, and every township one when the sample allows it', () => {
    const r = draw(population, 8, 's');
    // 8 × 30/48 = 5, 8 × 12/48 = 2, 8 × 6/48 = 1.
    expect(r.strata).toEqual([
      { key: 'A', label: '甲镇', population: 30, sample: 5 },
      { key: 'B', label: '乙镇', population: 12, sample: 2 },
      { key: 'C', label: '丙镇', population: 6, sample: 1 },
    ]);
    expect(r.sample.filter((id) => id.startsWith('a'))).toHaveLength(5);
    expect(r.sample.filter((id) => id.startsWith('c'))).toHaveLength(1);
    // 3 of 48: proportionally C would get 0.375 and lose to A's and B's remainders; each township gets one.
    expect(allocate([30, 12, 6], 3)).toEqual([1, 1, 1]);
    // Fewer than the strata: the largest remainders.
    expect(allocate([30, 12, 6], 2)).toEqual([1, 1, 0]);
    // More than there is: everyone.
    expect(draw(population, 100, 's').sample).toHaveLength(48);
  });

  it('spreads its choices: over many seeds every village of a township is drawn about as often', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 600; i++)
      for (const id of draw(population, 8, `seed-${i}`).sample) counts.set(id, (counts.get(id) ?? 0) + 1);
    // Township C: one of 6 per draw → 100 each on average.
    const c = population.filter((u) => u.stratum === 'C').map((u) => counts.get(u.id) ?? 0);
    for (const n of c) expect(n).toBeGreaterThan(60);
    for (const n of c) expect(n).toBeLessThan(140);
  });
});
