import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { inCounty, inSubtree, joinOrg, sameCounty } from '../platform/access.ts';
import { members } from '../modules/members/schema.ts';
import { plainQuery } from './index.ts';

const dialect = new PgDialect();

describe('plainQuery gives what drizzle gives, or leaves the statement to drizzle', () => {
  it('builds the same text and parameters for text, nested fragments and plain values', () => {
    const at = new Date('2026-11-28T06:00:00Z');
    const cases = [
      sql`select 1`,
      sql`select s.created_at from sessions s join users u on ${sameCounty('u', 's')} and u.id = s.user_id ${joinOrg('u')} where ${inCounty('410225', 's')} and s.id_hash = ${'abc'}`,
      sql`select * from orgs o where ${inSubtree({ countyCode: '410225', path: '/a_b%/c\\/' })} and o.depth > ${3} and o.status = ${null} and ${true} and o.at < ${at}`,
      sql`${sql`a = ${1}`} and ${sql.raw('b')} and ${sql`${sql`c = ${'x'}`} or d = ${2}`}${undefined}`,
      sql``,
    ];
    for (const q of cases) {
      const { sql: text, params } = dialect.sqlToQuery(q); // its `typings` are for drivers that type parameters; node-postgres does not
      expect(plainQuery(q)).toEqual({ sql: text, params });
    }
  });

  it('leaves columns, arrays, placeholders and inlined parameters to drizzle', () => {
    expect(plainQuery(sql`select ${members.id} from members`)).toBeUndefined();
    expect(plainQuery(sql`select 1 where x in ${['a', 'b']}`)).toBeUndefined();
    expect(plainQuery(sql`select ${sql.placeholder('p')}`)).toBeUndefined();
    expect(plainQuery(sql`select ${'a'}`.inlineParams())).toBeUndefined();
    expect(plainQuery(sql`select 1 where ${sql`x = ${'a'}`.inlineParams()}`)).toBeUndefined();
  });
});
