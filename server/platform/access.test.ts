/** Tree-path arithmetic lives in access.ts (issue 17 §2); these are its answers. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ancestorPath, childPath, isWithin, pathIds } from './access.ts';

describe('tree paths', () => {
  const village = '/c/t/v/';
  it('names the ids along a path and the ancestor at a depth', () => {
    expect(pathIds(village)).toEqual(['c', 't', 'v']);
    expect(ancestorPath(village, 0)).toBe('/c/');
    expect(ancestorPath(village, 1)).toBe('/c/t/');
    expect(ancestorPath('/c/', 1)).toBe('/c/');
    expect(childPath('/c/t/', 'v')).toBe(village);
  });
  it('tells a subtree by its path, the organization itself included', () => {
    expect(isWithin(village, '/c/t/')).toBe(true);
    expect(isWithin(village, village)).toBe(true);
    expect(isWithin('/c/t2/', '/c/t/')).toBe(false);
  });
});

describe('no module does path arithmetic by hand', () => {
  it('uses access.ts for subtrees, ancestors and path segments', () => {
    const dir = path.resolve(import.meta.dirname, '../modules');
    const offending: string[] = [];
    for (const f of fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      if (
        /path (not )?like|\.path \|\| |\.path\}\$\{|\.path\.split\(|split_part\([a-z0-9_]+\.path|path\.startsWith\(|\.path ~>=~|string_to_array\(trim\(both '\/' from [a-z0-9_]+\.path/.test(
          src,
        )
      )
        offending.push(f);
    }
    expect(offending).toEqual([]);
  });
});

describe('child rows through childOf (issue 17 §2)', () => {
  it('reads attendance, decisions and evidence of a meeting only through childOf, never by the meeting id by hand', () => {
    const dir = path.resolve(import.meta.dirname, '../modules');
    const offending: string[] = [];
    for (const f of fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      // `x.meeting_id = …`, `meeting_id = ${…}`, `x.owner_id = …`: a child row matched to its parent by hand.
      if (/\b[a-z0-9_]+\.(meeting_id|owner_id) = |\b(meeting_id|owner_id) = \$\{/.test(src)) offending.push(f);
    }
    expect(offending).toEqual([]);
  });
});
