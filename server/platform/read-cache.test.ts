import { describe, expect, it } from 'vitest';
import { ReadCache, scopedKey, setReadCaches } from './read-cache.ts';

describe('ReadCache', () => {
  it('answers only for the head an entry was kept for', () => {
    const c = new ReadCache<string>(10);
    c.set('k', '5:aa', 'at 5');
    expect(c.get('k', '5:aa')).toBe('at 5');
    expect(c.get('k', '4:bb')).toBeUndefined(); // a request that began before the entry's head
    expect(c.get('k', '6:cc')).toBeUndefined(); // a write committed since
    expect(c.get('k', '5:dd')).toBeUndefined(); // the same number in a chain restored from a backup
    c.set('k', '6:cc', 'at 6');
    expect(c.get('k', '6:cc')).toBe('at 6');
    expect(c.get('k', '5:aa')).toBeUndefined();
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const c = new ReadCache<number>(3);
    for (const k of ['a', 'b', 'c']) c.set(k, '1:x', k.charCodeAt(0));
    expect(c.get('a', '1:x')).toBe(97); // a is now the most recent
    c.set('d', '1:x', 100);
    expect(c.size).toBe(3);
    expect(c.get('b', '1:x')).toBeUndefined();
    expect([c.get('a', '1:x'), c.get('c', '1:x'), c.get('d', '1:x')]).toEqual([97, 99, 100]);
  });

  it('keeps and answers nothing while read caches are off', () => {
    const c = new ReadCache<string>(10);
    c.set('k', '1:x', 'kept');
    setReadCaches(false);
    try {
      expect(c.get('k', '1:x')).toBeUndefined();
      c.set('j', '1:x', 'not kept');
    } finally {
      setReadCaches(true);
    }
    expect(c.get('j', '1:x')).toBeUndefined();
    expect(c.get('k', '1:x')).toBe('kept');
  });

  it('reads through: loads once per head, and every time without one', async () => {
    const c = new ReadCache<string>(10);
    let loads = 0;
    const load = async () => `load ${++loads}`;
    const key = scopedKey({ countyCode: '410225', scopePath: '/a/' }, 'x');
    expect(await c.through(key, '1:a', load)).toBe('load 1');
    expect(await c.through(key, '1:a', load)).toBe('load 1');
    expect(await c.through(key, undefined, load)).toBe('load 2');
    expect(await c.through(key, '1:a', load)).toBe('load 1');
    expect(await c.through(key, '2:b', load)).toBe('load 3');
    expect(await c.through(scopedKey({ countyCode: '410225', scopePath: '/a/b/' }, 'x'), '2:b', load)).toBe('load 4');
  });
});
