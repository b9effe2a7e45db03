import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { serializerCompiler } from './serialize.ts';

const compile = (schema: z.ZodType) =>
  serializerCompiler({ schema, method: 'GET', url: '/test', httpStatus: '200' } as never) as (d: unknown) => string;
const viaZod = (schema: z.ZodType, data: unknown) => JSON.stringify(z.encode(schema, data as never));

describe('answers serialized from the response schema', () => {
  const item = z.object({
    id: z.string(),
    name: z.string(),
    age: z.number().nullable(),
    kind: z.enum(['branch', 'committee']),
    flags: z.array(z.string()),
    counts: z.record(z.string(), z.number()),
    note: z.string().optional(),
    extra: z.unknown(),
  });
  const schema = z.object({ items: z.array(item), total: z.number(), ok: z.literal(true) });
  const data = {
    total: 2,
    ok: true,
    items: [
      {
        name: '张三 "引号" \\ 与换行\n',
        id: 'a',
        age: null,
        kind: 'branch',
        flags: ['x'],
        counts: { full: 3, probationary: 1 },
        extra: { any: [1, 'two'] },
        idNumber: '410225199001011234',
      },
      {
        id: 'b',
        name: '\u0001控制字符\ud800',
        age: 41,
        kind: 'committee',
        flags: [],
        counts: {},
        note: '备注',
        extra: null,
        phone: '13800000000',
      },
    ],
    secret: 'never',
  };

  it('writes what zod’s encode and JSON.stringify wrote (optional fields after the required ones), and nothing the schema does not name', () => {
    const out = compile(schema)(data);
    expect(JSON.parse(out)).toEqual(JSON.parse(viaZod(schema, data)));
    expect(out.length).toBe(viaZod(schema, data).length);
    for (const leak of ['410225199001011234', '13800000000', 'never', 'idNumber', 'phone', 'secret'])
      expect(out).not.toContain(leak);
  });

  it('fails an answer that lacks a required field', () => {
    expect(() => compile(schema)({ items: [], ok: true })).toThrow();
  });
});
