import { describe, expect, it } from 'vitest';
import { ReadCache, setReadCaches } from './read-cache.ts';

describe('ReadCache', () => {
  it('answers only for the head an entry was kept for', () => {
    const c = new ReadCache<string>(10);
    c.set('k', 5, 'at 5');
    expect(c.get('k', 5)).toBe('at 5');
    expect(c.get('k', 4)).toBeUndefined(); // a request that began before the entry's head
    expect(c.get('k', 5)).toBe('at 5'); // …does not drop it
    expect(c.get('k', 6)).toBeUndefined(); // a newer head: gone for good
    expect(c.get('k', 5)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('does not let a request that began earlier replace a newer entry', () => {
    const c = new ReadCache<string>(10);
    c.set('k', 7, 'at 7');
    c.set('k', 6, 'at 6');
    expect(c.get('k', 7)).toBe('at 7');
    c.set('k', 8, 'at 8');
    expect(c.get('k', 8)).toBe('at 8');
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const c = new ReadCache<number>(3);
    for (const k of ['a', 'b', 'c']) c.set(k, 1, k.charCodeAt(0));
    expect(c.get('a', 1)).toBe(97); // a is now the most recent
    c.set('d', 1, 100);
    expect(c.size).toBe(3);
    expect(c.get('b', 1)).toBeUndefined();
    expect([c.get('a', 1), c.get('c', 1), c.get('d', 1)]).toEqual([97, 99, 100]);
  });

  it('keeps and answers nothing while read caches are off', () => {
    const c = new ReadCache<string>(10);
    c.set('k', 1, 'kept');
    setReadCaches(false);
    try {
      expect(c.get('k', 1)).toBeUndefined();
      c.set('j', 1, 'not kept');
    } finally {
      setReadCaches(true);
    }
    expect(c.get('j', 1)).toBeUndefined();
    expect(c.get('k', 1)).toBe('kept');
  });
});
