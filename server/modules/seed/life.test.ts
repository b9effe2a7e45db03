import { beforeAll, describe, expect, it } from 'vitest';
import { loadCounty } from './divisions.ts';
import { type LifePlan, planLife } from './life.ts';
import { type CountyPlan, planCounty } from './plan.ts';

const TODAY = '2026-11-28';

describe('demo organizational life (seed/life.ts)', () => {
  let plan: CountyPlan;
  let life: LifePlan;
  beforeAll(async () => {
    const div = await loadCounty('410225');
    plan = planCounty({ ...div, townships: div.townships.slice(0, 4) }, new Date(`${TODAY}T04:00:00Z`));
    life = planLife(plan, new Date(`${TODAY}T12:00:00+08:00`), 12);
  });

  it('is deterministic for the same county and day', () => {
    const again = planLife(plan, new Date(`${TODAY}T12:00:00+08:00`), 12);
    expect(again.meetings.map((m) => m.id)).toEqual(life.meetings.map((m) => m.id));
    expect(again.attendance.length).toBe(life.attendance.length);
  });

  it('keeps every record inside the last twelve months, after the organization was founded, and attendance inside the organization', () => {
    const founded = new Map(plan.orgs.map((o) => [o.id, o.foundedOn]));
    for (const m of life.meetings) {
      expect(m.heldOn <= TODAY && m.heldOn >= '2025-12-01', m.heldOn).toBe(true);
      expect(m.heldOn >= (founded.get(m.orgId) ?? '')).toBe(true);
      expect(m.startsAt.startsWith(m.heldOn) && m.startsAt.endsWith('+08:00')).toBe(true);
    }
    const orgOfMeeting = new Map(life.meetings.map((m) => [m.id, m.orgId]));
    const orgOfMember = new Map(plan.members.map((m) => [m.id, m.orgId]));
    // A general branch's committee members sit in the branches below it.
    const parentOf = new Map(plan.orgs.map((o) => [o.id, o.parentId]));
    for (const a of life.attendance) {
      const memberOrg = orgOfMember.get(a.memberId) ?? '';
      expect([memberOrg, parentOf.get(memberOrg)]).toContain(orgOfMeeting.get(a.meetingId));
    }
  });

  it('writes nothing after the moment it runs: no meeting later today (issue 18 §3)', () => {
    // 07:00 in Beijing on the 15th: branches whose fixed themed day is the 15th would hold it later today.
    const now = new Date('2026-11-15T07:00:00+08:00');
    const early = planLife(plan, now, 12);
    const later = early.meetings.filter((m) => Date.parse(m.startsAt) > now.getTime());
    expect(later.map((m) => m.startsAt)).toEqual([]);
    // Earlier that day nothing had happened yet; the day before is there in full.
    expect(early.meetings.some((m) => m.heldOn === '2026-11-14')).toBe(true);
    const noon = planLife(plan, new Date('2026-11-15T12:00:00+08:00'), 12);
    for (const m of noon.meetings) expect(Date.parse(m.startsAt) <= Date.parse('2026-11-15T12:00:00+08:00')).toBe(true);
  });

  it('has the gaps a real county has: most branches hold every themed day, some miss months, some committee meetings lack a quorum', () => {
    const themed = new Map<string, number>();
    for (const m of life.meetings) if (m.kind === 'themedDay') themed.set(m.orgId, (themed.get(m.orgId) ?? 0) + 1);
    const counts = [...themed.values()];
    const full = counts.filter((n) => n >= 11).length;
    expect(full / counts.length).toBeGreaterThan(0.6);
    expect(counts.some((n) => n <= 9)).toBe(true);
    const committee = life.meetings.filter((m) => m.kind === 'committeeMeeting');
    const invalid = committee.filter((m) => !m.valid);
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.length / committee.length).toBeLessThan(0.15);
    for (const m of committee) expect(m.valid).toBe((m.committeePresent ?? 0) * 2 > (m.committeeSize ?? 0));
  });

  it('about two in five branches registered their fixed 主题党日 day, and hold it on that day (LIFE-5 has days to check)', () => {
    const days = life.themedDays ?? [];
    const branches = new Set(life.meetings.filter((m) => m.kind === 'themedDay').map((m) => m.orgId));
    expect(days.length / branches.size).toBeGreaterThan(0.25);
    expect(days.length / branches.size).toBeLessThan(0.55);
    const dayOf = new Map(days.map((d) => [d.orgId, d.day]));
    for (const m of life.meetings)
      if (m.kind === 'themedDay' && dayOf.has(m.orgId))
        expect(Number(m.heldOn.slice(8)), m.heldOn).toBe(dayOf.get(m.orgId));
  });

  it('grades every member of an appraising branch once, with a few over-generous branches and handled unqualified grades', () => {
    const seen = new Set<string>();
    for (const g of life.grades) {
      const key = `${g.memberId}:${g.year}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      if (g.handling === 'correct') expect(g.handlingEndsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(life.grades.length).toBeGreaterThan(0);
  });
});
