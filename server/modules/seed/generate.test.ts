/** Pure tests of the demo seed's helpers and plan: no database involved. */
import { describe, expect, it } from 'vitest';
import { parseIdNumber } from '../../platform/idcard.ts';
import { checkMember } from '../members/validate.ts';
import { CODE_LISTS } from './codelists.ts';
import { addYears, dayOf, isoOf, isoToday } from './dates.ts';
import { type CountyDivisions, loadCounty } from './divisions.ts';
import {
  dateBetween,
  joinWindow,
  makeName,
  makePerson,
  type PersonContext,
  type Profile,
  uniqueIdNumber,
} from './people.ts';
import { planCounty, splitSizes, townshipType, villageUnit } from './plan.ts';
import { Rng } from './prng.ts';

const TODAY = new Date('2026-11-27T08:00:00Z');

function ctx(used = new Set<string>()): PersonContext {
  return {
    today: isoToday(TODAY),
    countyCode: '410225',
    sameCity: ['410203', '410221'],
    sameProvince: ['411423'],
    elsewhere: ['330106'],
    usedIds: used,
    nativePlace: (code) => (code === '410225' ? '河南省兰考县' : null),
  };
}

describe('prng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = new Rng('410225');
    const b = new Rng('410225');
    const c = new Rng('330106');
    const seqA = Array.from({ length: 20 }, () => a.float());
    expect(Array.from({ length: 20 }, () => b.float())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.float())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('makes version-4-shaped UUIDs', () => {
    const r = new Rng(1);
    const ids = new Set(Array.from({ length: 1000 }, () => r.uuid()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('names', () => {
  it('are deterministic for the same seed', () => {
    const gen = (seed: string) => {
      const r = new Rng(seed);
      return Array.from({ length: 50 }, (_, i) => makeName(r, i % 3 ? '1' : '2', 1950 + i));
    };
    expect(gen('x')).toEqual(gen('x'));
    expect(gen('x')).not.toEqual(gen('y'));
  });

  it('are 2–4 Chinese characters, mostly 3, with single- and double-character given names', () => {
    const r = new Rng('names');
    const names = Array.from({ length: 5000 }, () => makeName(r, r.chance(0.3) ? '2' : '1', r.int(1940, 2003)));
    for (const n of names) expect(n).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    const lengths = names.map((n) => [...n].length);
    const two = lengths.filter((l) => l === 2).length;
    const three = lengths.filter((l) => l === 3).length;
    expect(three).toBeGreaterThan(names.length * 0.7);
    expect(two).toBeGreaterThan(names.length * 0.1);
    // 王, 李, 张 lead the surname ranking
    const wang = names.filter((n) => n.startsWith('王')).length;
    expect(wang).toBeGreaterThan(names.length * 0.05);
  });
});

describe('ID numbers', () => {
  it('are valid, unique and agree with sex and birth date', () => {
    const used = new Set<string>();
    const r = new Rng('ids');
    // Many people on the same birthday force the retry path.
    for (let i = 0; i < 2000; i++) {
      const sex = i % 2 ? '1' : '2';
      const { id, birthDate } = uniqueIdNumber(r, '410225', '1970-01-01', sex, used);
      const p = parseIdNumber(id);
      expect(p.ok).toBe(true);
      if (p.ok) {
        expect(p.info.sex).toBe(sex);
        expect(p.info.birthDate).toBe(birthDate);
      }
    }
    expect(used.size).toBe(2000);
  });
});

describe('dates', () => {
  it('converts day numbers and ISO dates like Date does', () => {
    for (let day = -30_000; day < 30_000; day += 7) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(isoOf(day)).toBe(iso);
      expect(dayOf(iso)).toBe(day);
    }
  });

  it('addYears maps 29 February to 28 February like the member checks do', () => {
    expect(addYears('2000-02-29', 18)).toBe('2018-02-28');
    expect(addYears('2000-02-29', 4)).toBe('2004-02-29');
    expect(addYears('1999-07-01', 1)).toBe('2000-07-01');
  });

  it('dateBetween stays inside its bounds', () => {
    const r = new Rng('between');
    for (let i = 0; i < 500; i++) {
      const d = dateBetween(r, '2020-01-30', '2020-03-02');
      expect(d >= '2020-01-30' && d <= '2020-03-02').toBe(true);
    }
  });

  it('members join after their 18th birthday and become full members at least a year later', () => {
    const r = new Rng('people');
    const c = ctx();
    const profiles: Profile[] = [
      'rural',
      'community',
      'organ',
      'institution',
      'school',
      'enterprise',
      'social',
      'soe',
      'retired',
    ];
    for (let i = 0; i < 3000; i++) {
      const probationary = i % 25 === 0;
      const p = makePerson(r, c, {
        profile: profiles[i % profiles.length],
        orgFounded: '1990-06-01',
        addressBase: '河南省开封市兰考县堌阳镇王庄村',
        urban: false,
        probationary,
      });
      expect(p.joinDate >= addYears(p.birthDate, 18)).toBe(true);
      expect(p.joinDate <= c.today).toBe(true);
      expect(p.historyFrom >= p.joinDate && p.historyFrom <= c.today).toBe(true);
      if (probationary) {
        expect(p.standing).toBe('probationary');
        expect(p.fullDate).toBeNull();
        expect(p.joinDate >= addYears(c.today, -1)).toBe(true);
      } else {
        expect(p.standing).toBe('full');
        expect(p.fullDate && p.fullDate >= addYears(p.joinDate, 1)).toBe(true);
        expect(p.fullDate && p.fullDate <= c.today).toBe(true);
      }
      // The member service's own entry checks accept every generated member.
      const check = checkMember({ ...p, fullDate: p.fullDate, phone: p.phone }, c.today);
      expect(check.issues).toEqual([]);
      expect(check.info?.sex).toBe(p.sex);
      expect(check.info?.birthDate).toBe(p.birthDate);
    }
  });

  it('the join window leaves room for 转正 by today', () => {
    const w = joinWindow('1980-05-05', '2026-11-27');
    expect(w.earliest).toBe('1998-05-05');
    expect(addYears(w.latest, 1) <= '2026-10-27').toBe(true);
  });
});

describe('tree helpers', () => {
  it('turns village committee names into unit names', () => {
    expect(villageUnit('王庄村委会')).toEqual({ name: '王庄村', community: false });
    expect(villageUnit('梵村委会')).toEqual({ name: '梵村', community: false });
    expect(villageUnit('新村村民委员会')).toEqual({ name: '新村', community: false });
    expect(villageUnit('城中社区居委会')).toEqual({ name: '城中社区', community: true });
    expect(villageUnit('南关居民委员会')).toEqual({ name: '南关社区', community: true });
    expect(villageUnit('胜利社区')).toEqual({ name: '胜利社区', community: true });
    expect(villageUnit('五爷庙村')).toEqual({ name: '五爷庙村', community: false });
    expect(villageUnit('虚拟生活区')).toBeNull();
  });

  it('classifies township-level entries', () => {
    expect(townshipType('堌阳镇')).toBe('town');
    expect(townshipType('三义寨乡')).toBe('town');
    expect(townshipType('兰阳街道')).toBe('street');
    expect(townshipType('仪封园艺场')).toBe('farm');
    expect(townshipType('固阳农科所')).toBe('farm');
    expect(townshipType('兰考县产业集聚区')).toBe('zone');
  });

  it('splits a membership into branches of at most 50 and at least 3', () => {
    const r = new Rng('split');
    for (let total = 51; total <= 130; total++) {
      for (const n of [2, 3, 4, 5, 6]) {
        if (total / n > 50) continue;
        const s = splitSizes(r, total, n);
        expect(s.length).toBe(n);
        expect(s.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...s)).toBeLessThanOrEqual(50);
        expect(Math.min(...s)).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('has 56 ethnic groups coded 01..56', () => {
    expect(CODE_LISTS.ethnicity).toHaveLength(56);
    expect(CODE_LISTS.ethnicity[0]).toEqual(['01', '汉族']);
    expect(CODE_LISTS.ethnicity[55]).toEqual(['56', '基诺族']);
  });
});

describe('county plan (from the real division data)', () => {
  let lankao: CountyDivisions;
  const load = async () => {
    lankao ??= await loadCounty('410225');
    return lankao;
  };

  it('refuses a code that is not a county-level division', async () => {
    await expect(loadCounty('123456')).rejects.toThrow('未找到县级行政区划代码 123456');
    await expect(loadCounty('4102')).rejects.toThrow('未找到县级行政区划代码');
  });

  it('is deterministic, and its structure does not depend on the day it runs', async () => {
    const div = await load();
    const a = planCounty(div, TODAY);
    const b = planCounty(div, TODAY);
    expect(b.orgs.map((o) => [o.id, o.name, o.kind, o.termStart])).toEqual(
      a.orgs.map((o) => [o.id, o.name, o.kind, o.termStart]),
    );
    expect(b.members.map((m) => [m.id, m.name, m.idNumber, m.joinDate])).toEqual(
      a.members.map((m) => [m.id, m.name, m.idNumber, m.joinDate]),
    );
    const later = planCounty(div, new Date('2027-03-15T00:00:00Z'));
    expect(later.orgs.map((o) => [o.name, o.kind])).toEqual(a.orgs.map((o) => [o.name, o.kind]));
    expect(later.members.length).toBe(a.members.length);
  }, 60_000);

  it('gives 兰考县 a plausible tree with at least 30,000 members', async () => {
    const plan = planCounty(await load(), TODAY);
    expect(plan.members.length).toBeGreaterThanOrEqual(30_000);
    expect(plan.orgs.length).toBeGreaterThan(600);
    expect(plan.orgs.length).toBeLessThan(1600);
    expect(plan.root.name).toBe('中共兰考县委员会');
    expect(plan.root.path).toBe(`/${plan.root.id}/`);
    const byId = new Map(plan.orgs.map((o) => [o.id, o]));
    for (const o of plan.orgs) {
      if (!o.parentId) continue;
      const parent = byId.get(o.parentId);
      expect(parent).toBeDefined();
      expect(o.path).toBe(`${parent?.path}${o.id}/`);
      expect(o.depth).toBe((parent?.depth ?? 0) + 1);
    }
    const holding = new Set(plan.members.map((m) => m.orgId));
    for (const id of holding) {
      const o = byId.get(id);
      expect(['branch', 'jointBranch']).toContain(o?.kind);
      expect(o?.children).toHaveLength(0);
    }
    expect(new Set(plan.members.map((m) => m.idNumber)).size).toBe(plan.members.length);
    const women = plan.members.filter((m) => m.sex === '2').length / plan.members.length;
    expect(women).toBeGreaterThan(0.22);
    expect(women).toBeLessThan(0.34);
    // Every post holder is a full member of the organization's subtree.
    const member = new Map(plan.members.map((m) => [m.id, m]));
    for (const p of plan.posts) {
      if (!p.memberId) continue;
      expect(member.get(p.memberId)?.standing).toBe('full');
    }
  }, 60_000);
});
