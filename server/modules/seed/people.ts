/**
 * Synthetic Party members: names, ID numbers and the NAT-2 facts, shaped by the field of the
 * organization they belong to. Every rule that the member service checks (MEM-6 ID number, join
 * date after the 18th birthday, 转正 at least one year after joining) holds by construction.
 */
import { makeIdNumber } from '../../platform/idcard.ts';
import { addDays, addMonths, addYears, dayOf, earlierOf, isoOf, laterOf, yearsBetween } from './dates.ts';
import type { Rng } from './prng.ts';

/** How members of an organization look: age, sex, schooling, occupation. */
export type Profile =
  | 'rural'
  | 'community'
  | 'organ'
  | 'institution'
  | 'school'
  | 'enterprise'
  | 'social'
  | 'soe'
  | 'retired';

// Roughly the national frequency ranking (per cent); a long tail keeps names varied.
const SURNAMES: [string, number][] = [
  ['王', 7.1],
  ['李', 7.0],
  ['张', 6.7],
  ['刘', 5.4],
  ['陈', 4.5],
  ['杨', 3.1],
  ['赵', 2.3],
  ['黄', 2.2],
  ['周', 2.1],
  ['吴', 2.0],
  ['徐', 1.7],
  ['孙', 1.5],
  ['胡', 1.3],
  ['朱', 1.3],
  ['高', 1.2],
  ['林', 1.0],
  ['何', 1.2],
  ['郭', 1.2],
  ['马', 1.1],
  ['罗', 0.9],
  ['梁', 0.8],
  ['宋', 0.8],
  ['郑', 0.8],
  ['谢', 0.7],
  ['韩', 0.7],
  ['唐', 0.6],
  ['冯', 0.6],
  ['于', 0.6],
  ['董', 0.6],
  ['萧', 0.3],
  ['程', 0.5],
  ['曹', 0.5],
  ['袁', 0.5],
  ['邓', 0.5],
  ['许', 0.5],
  ['傅', 0.4],
  ['沈', 0.4],
  ['曾', 0.4],
  ['彭', 0.4],
  ['吕', 0.4],
  ['苏', 0.4],
  ['卢', 0.4],
  ['蒋', 0.4],
  ['蔡', 0.4],
  ['贾', 0.4],
  ['丁', 0.4],
  ['魏', 0.4],
  ['薛', 0.3],
  ['叶', 0.3],
  ['闫', 0.3],
  ['余', 0.3],
  ['潘', 0.3],
  ['杜', 0.3],
  ['戴', 0.3],
  ['夏', 0.3],
  ['钟', 0.3],
  ['汪', 0.3],
  ['田', 0.3],
  ['任', 0.3],
  ['姜', 0.3],
  ['范', 0.3],
  ['方', 0.3],
  ['石', 0.3],
  ['姚', 0.3],
  ['谭', 0.2],
  ['廖', 0.2],
  ['邹', 0.2],
  ['熊', 0.2],
  ['金', 0.2],
  ['陆', 0.2],
  ['郝', 0.2],
  ['孔', 0.2],
  ['白', 0.2],
  ['崔', 0.2],
  ['康', 0.2],
  ['毛', 0.2],
  ['邱', 0.2],
  ['秦', 0.2],
  ['江', 0.2],
  ['史', 0.2],
  ['顾', 0.2],
  ['侯', 0.2],
  ['邵', 0.2],
  ['孟', 0.2],
  ['龙', 0.1],
  ['万', 0.1],
  ['段', 0.2],
  ['雷', 0.1],
  ['钱', 0.1],
  ['汤', 0.1],
  ['尹', 0.1],
  ['黎', 0.1],
  ['易', 0.1],
  ['常', 0.1],
  ['武', 0.1],
  ['乔', 0.1],
  ['贺', 0.1],
  ['赖', 0.1],
  ['龚', 0.1],
  ['文', 0.1],
  ['焦', 0.1],
  ['申', 0.1],
  ['牛', 0.1],
  ['岳', 0.1],
  ['翟', 0.1],
  ['葛', 0.1],
  ['耿', 0.1],
  ['祝', 0.1],
  ['齐', 0.1],
  ['聂', 0.1],
];
const SURNAME_CHARS = SURNAMES.map((s) => s[0]);
const SURNAME_WEIGHTS = SURNAMES.map((s) => s[1]);
const DOUBLE_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫'];

// Given-name characters differ by generation: 建国 and 秀英 are born before 1975, 浩宇 and 欣怡 after.
const MALE_OLD = [
  ...'建国华军明德福强伟志文永金海林平庆成中长东红新保学俊忠宝生贵全胜荣发山安田玉祥兴振春卫民峰有光书仁义松',
];
const MALE_NEW = [...'浩宇杰涛鹏磊超飞博晨阳凯帅亮辉斌俊哲睿泽子豪航轩文明伟强旭龙昊鑫毅鸿然远'];
const FEMALE_OLD = [...'秀英兰芳桂凤珍玉霞红梅华琴云萍莲荣翠娥丽美淑敏香菊爱素'];
const FEMALE_NEW = [...'婷静丽娜敏燕晶雪琳欣怡佳倩颖璐蕾洁慧瑶丹雯莹悦梦思雨'];
const MALE_CLASSIC = [
  '建国',
  '国庆',
  '建军',
  '卫东',
  '援朝',
  '跃进',
  '红军',
  '长江',
  '解放',
  '振华',
  '卫国',
  '建华',
  '建设',
  '向东',
  '胜利',
  '和平',
  '爱民',
  '学军',
];
const FEMALE_CLASSIC = [
  '秀英',
  '桂兰',
  '玉兰',
  '凤英',
  '秀兰',
  '桂英',
  '淑珍',
  '桂芳',
  '秀珍',
  '玉珍',
  '秀云',
  '凤兰',
  '素珍',
  '玉梅',
  '秀梅',
  '桂珍',
  '红梅',
  '爱华',
];

/** A plausible Chinese name for the sex and birth year; deterministic for the same Rng state. */
export function makeName(rng: Rng, sex: '1' | '2', birthYear: number): string {
  const surname = rng.chance(0.002) ? rng.pick(DOUBLE_SURNAMES) : rng.weighted(SURNAME_CHARS, SURNAME_WEIGHTS);
  const old = birthYear < 1975;
  if (old && rng.chance(0.04)) return surname + rng.pick(sex === '1' ? MALE_CLASSIC : FEMALE_CLASSIC);
  const pool = sex === '1' ? (old ? MALE_OLD : MALE_NEW) : old ? FEMALE_OLD : FEMALE_NEW;
  // Single-character given names were common in the 1980s–90s cohorts, rarer before.
  if (rng.chance(old ? 0.12 : 0.25)) return surname + rng.pick(pool);
  const a = rng.pick(pool);
  let b = rng.pick(pool);
  if (b === a && !rng.chance(0.3)) b = rng.pick(pool);
  return surname + a + b;
}

const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '175',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];

/** Long-distance area codes by province (first two digits of the division code): the capital's, close enough for a demo. */
const AREA_CODES: Record<string, string> = {
  '11': '010',
  '12': '022',
  '13': '0311',
  '14': '0351',
  '15': '0471',
  '21': '024',
  '22': '0431',
  '23': '0451',
  '31': '021',
  '32': '025',
  '33': '0571',
  '34': '0551',
  '35': '0591',
  '36': '0791',
  '37': '0531',
  '41': '0371',
  '42': '027',
  '43': '0731',
  '44': '020',
  '45': '0771',
  '46': '0898',
  '50': '023',
  '51': '028',
  '52': '0851',
  '53': '0871',
  '54': '0891',
  '61': '029',
  '62': '0931',
  '63': '0971',
  '64': '0951',
  '65': '0991',
};

/**
 * An organization's office landline (区号-号码): organizations list their office, not a member's own
 * mobile (a seed that copied the secretary's phone there leaked it on every organization card).
 */
export function makeOfficePhone(rng: Rng, countyCode: string): string {
  const area = AREA_CODES[countyCode.slice(0, 2)] ?? '0371';
  const digits = area.length === 3 ? 8 : rng.chance(0.5) ? 8 : 7;
  return `${area}-${rng.int(2, 8)}${String(rng.int(0, 10 ** (digits - 1) - 1)).padStart(digits - 1, '0')}`;
}

export function makeMobile(rng: Rng): string {
  return rng.pick(PHONE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

const ROADS = [...'人民建设解放文化中山和平新华胜利光明幸福迎宾车站健康团结民主东风振兴工业育才滨河'];

/** A street address inside a community: road, number and often a flat. */
export function urbanAddressTail(rng: Rng): string {
  const i = rng.int(0, ROADS.length / 2 - 1);
  const road = `${ROADS[i * 2]}${ROADS[i * 2 + 1]}${rng.pick(['路', '路', '街', '大道'])}`;
  const no = `${rng.int(1, 380)}号`;
  return rng.chance(0.6)
    ? `${road}${no}${rng.int(1, 24)}号楼${rng.int(1, 4)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`
    : road + no;
}

interface Band {
  min: number;
  max: number;
  weight: number;
}
const AGE_BANDS: Partial<Record<Profile, Band[]>> = {
  // Village members skew old: many joined in the 1970s–90s and stayed.
  rural: [
    { min: 22, max: 35, weight: 14 },
    { min: 35, max: 50, weight: 24 },
    { min: 50, max: 65, weight: 30 },
    { min: 65, max: 88, weight: 32 },
  ],
  community: [
    { min: 24, max: 40, weight: 25 },
    { min: 40, max: 60, weight: 33 },
    { min: 60, max: 86, weight: 42 },
  ],
};
// [min, mode, max] of age for the working profiles (retirement at 60 bounds them).
const AGE_TRI: Record<Profile, [number, number, number]> = {
  rural: [22, 55, 88],
  community: [24, 50, 86],
  organ: [23, 42, 59.9],
  institution: [23, 38, 59.9],
  school: [23, 40, 59.9],
  enterprise: [22, 35, 58],
  soe: [23, 40, 59.9],
  social: [25, 42, 68],
  retired: [60, 68, 90],
};
const JOIN_AGE: Record<Profile, [number, number, number]> = {
  rural: [19, 28, 50],
  community: [18.5, 26, 45],
  organ: [19, 24, 38],
  institution: [19, 25, 40],
  school: [19, 23, 38],
  enterprise: [19, 28, 45],
  soe: [19, 25, 40],
  social: [19, 28, 45],
  retired: [19, 26, 45],
};
const FEMALE_SHARE: Record<Profile, number> = {
  rural: 0.26,
  community: 0.44,
  organ: 0.34,
  institution: 0.52,
  school: 0.55,
  enterprise: 0.3,
  soe: 0.28,
  social: 0.42,
  retired: 0.3,
};
// Share of members who came by transfer (组织关系转入) rather than joining here.
const TRANSFER_SHARE: Record<Profile, number> = {
  rural: 0.04,
  community: 0.22,
  organ: 0.3,
  institution: 0.2,
  school: 0.25,
  enterprise: 0.35,
  soe: 0.25,
  social: 0.35,
  retired: 1,
};

/** GB/T 4658 codes by profile and birth cohort: older villagers mostly finished primary or junior school. */
function education(rng: Rng, profile: Profile, age: number): string {
  const w = (pairs: [string, number][]) =>
    rng.weighted(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  switch (profile) {
    case 'rural':
      if (age >= 60)
        return w([
          ['81', 35],
          ['71', 44],
          ['61', 15],
          ['41', 5],
          ['31', 1],
        ]);
      if (age >= 40)
        return w([
          ['81', 5],
          ['71', 42],
          ['61', 30],
          ['41', 10],
          ['31', 9],
          ['21', 4],
        ]);
      return w([
        ['71', 10],
        ['61', 20],
        ['41', 15],
        ['31', 33],
        ['21', 22],
      ]);
    case 'community':
      if (age >= 60)
        return w([
          ['81', 10],
          ['71', 30],
          ['61', 30],
          ['41', 15],
          ['31', 10],
          ['21', 5],
        ]);
      return w([
        ['71', 8],
        ['61', 17],
        ['41', 10],
        ['31', 32],
        ['21', 30],
        ['14', 3],
      ]);
    case 'organ':
      return age >= 50
        ? w([
            ['61', 5],
            ['41', 5],
            ['31', 35],
            ['21', 50],
            ['14', 5],
          ])
        : w([
            ['31', 15],
            ['21', 65],
            ['14', 19],
            ['11', 1],
          ]);
    case 'institution':
      return w([
        ['41', 10],
        ['31', 30],
        ['21', 48],
        ['14', 11],
        ['11', 1],
      ]);
    case 'school':
      return age >= 50
        ? w([
            ['41', 15],
            ['31', 45],
            ['21', 38],
            ['14', 2],
          ])
        : w([
            ['31', 18],
            ['21', 70],
            ['14', 12],
          ]);
    case 'enterprise':
      return w([
        ['71', 6],
        ['61', 20],
        ['41', 15],
        ['47', 4],
        ['31', 33],
        ['21', 21],
        ['14', 1],
      ]);
    case 'soe':
      return w([
        ['61', 8],
        ['41', 7],
        ['31', 30],
        ['21', 50],
        ['14', 5],
      ]);
    case 'social':
      return w([
        ['61', 15],
        ['31', 30],
        ['21', 44],
        ['14', 11],
      ]);
    case 'retired':
      return w([
        ['71', 10],
        ['61', 22],
        ['41', 20],
        ['31', 28],
        ['21', 20],
      ]);
  }
}

/** Person category (人员类别) consistent with profile and age. */
function personCategory(rng: Rng, profile: Profile, age: number): string {
  switch (profile) {
    case 'rural':
      return rng.weighted(['2', '5', '9'], [92, 5, 3]);
    case 'community':
      if (age >= 60) return rng.chance(0.88) ? '3' : '9';
      return rng.weighted(['1', '5', '6', '9'], [45, 25, 15, 15]);
    case 'social':
      if (age >= 60) return '3';
      return rng.chance(0.65) ? '1' : '5';
    case 'retired':
      return '3';
    default:
      return age >= 60 ? '3' : '1';
  }
}

function ethnicity(rng: Rng): string {
  const r = rng.float();
  if (r < 0.963) return '01';
  if (r < 0.99) return '03'; // 回族 live in most counties of the central plains
  return rng.pick(['02', '06', '08', '11', '15']);
}

export interface Person {
  name: string;
  sex: '1' | '2';
  birthDate: string;
  idNumber: string;
  ethnicity: string;
  education: string;
  personCategory: string;
  joinMethod: string;
  standing: 'probationary' | 'full';
  joinDate: string;
  fullDate: string | null;
  phone: string | null;
  address: string | null;
  nativePlace: string | null;
  workStartDate: string | null;
  lostContact: boolean;
  lastContactDate: string | null;
  mobile: boolean;
  migrantWorker: boolean;
  hardship: boolean;
  /** First membership in the organization: when and why (member_org_history). */
  historyFrom: string;
  historyReason: '入党' | '组织关系转入';
}

export interface PersonContext {
  today: string;
  countyCode: string;
  sameCity: string[];
  sameProvince: string[];
  elsewhere: string[];
  /** ID numbers already handed out in this county (they must be unique per county). */
  usedIds: Set<string>;
  /** 籍贯 text for a county code, e.g. 河南省兰考县. */
  nativePlace(regionCode: string): string | null;
}

export interface PersonOptions {
  profile: Profile;
  /** When the organization was founded: members who joined earlier came by transfer. */
  orgFounded: string;
  /** Address without the house number, e.g. 河南省开封市兰考县堌阳镇王庄村; null = no address. */
  addressBase: string | null;
  urban: boolean;
  probationary?: boolean;
}

function regionCode(rng: Rng, ctx: PersonContext): string {
  const r = rng.float();
  if (r < 0.08 && ctx.sameCity.length) return rng.pick(ctx.sameCity);
  if (r < 0.13 && ctx.sameProvince.length) return rng.pick(ctx.sameProvince);
  if (r < 0.15 && ctx.elsewhere.length) return rng.pick(ctx.elsewhere);
  return ctx.countyCode;
}

/** A unique, valid ID number (odd sequence = male, GB 11643); nudges the birth day on the rare clash. */
export function uniqueIdNumber(
  rng: Rng,
  region: string,
  birthDate: string,
  sex: '1' | '2',
  used: Set<string>,
): { id: string; birthDate: string } {
  let birth = birthDate;
  for (let attempt = 0; ; attempt++) {
    const seq = rng.int(0, 499) * 2 + (sex === '1' ? 1 : 0);
    const id = makeIdNumber(region, birth.replace(/-/g, ''), seq);
    if (!used.has(id)) {
      used.add(id);
      return { id, birthDate: birth };
    }
    if (attempt % 20 === 19) birth = addDays(birth, -1);
  }
}

/** A date uniformly between two ISO dates (inclusive). */
export function dateBetween(rng: Rng, from: string, to: string): string {
  const a = dayOf(from);
  const b = dayOf(to);
  return isoOf(b <= a ? a : rng.int(a, b));
}

/** The earliest and latest join date a full member can have: 18th birthday, and 转正 (+1 year +≤30 days) by today. */
export function joinWindow(birthDate: string, today: string): { earliest: string; latest: string } {
  return { earliest: addYears(birthDate, 18), latest: addDays(addYears(today, -1), -31) };
}

export function makePerson(rng: Rng, ctx: PersonContext, opt: PersonOptions): Person {
  const { profile, today } = { profile: opt.profile, today: ctx.today };
  const probationary = opt.probationary ?? false;
  const sex: '1' | '2' = rng.chance(FEMALE_SHARE[profile]) ? '2' : '1';

  // Probationary members joined within the last year, so they are mostly young.
  let age: number;
  const bands = AGE_BANDS[profile];
  if (probationary) age = rng.triangular(22, 28, profile === 'rural' ? 45 : 40);
  else if (bands) {
    const band = rng.weighted(
      bands,
      bands.map((b) => b.weight),
    );
    age = band.min + rng.float() * (band.max - band.min);
  } else {
    const [lo, mode, hi] = AGE_TRI[profile];
    age = rng.triangular(lo, mode, hi);
  }
  const birthGuess = isoOf(dayOf(today) - Math.floor(age * 365.25) - rng.int(0, 200));
  const region = regionCode(rng, ctx);
  const { id: idNumber, birthDate } = uniqueIdNumber(rng, region, birthGuess, sex, ctx.usedIds);
  const years = yearsBetween(birthDate, today);
  const name = makeName(rng, sex, Number(birthDate.slice(0, 4)));

  let joinDate: string;
  let fullDate: string | null;
  if (probationary) {
    joinDate = isoOf(dayOf(today) - rng.int(10, 360));
    if (joinDate < addYears(birthDate, 18)) joinDate = addYears(birthDate, 18);
    fullDate = null;
  } else {
    const win = joinWindow(birthDate, today);
    const [lo, mode, hi] = JOIN_AGE[profile];
    joinDate = isoOf(dayOf(birthDate) + Math.floor(rng.triangular(lo, mode, hi) * 365.25));
    if (joinDate < win.earliest || joinDate > win.latest) joinDate = dateBetween(rng, win.earliest, win.latest);
    // 转正 one year after joining, sometimes a few weeks later when the branch meeting falls later.
    fullDate = addDays(addYears(joinDate, 1), rng.chance(0.6) ? 0 : rng.int(1, 30));
  }

  // Came by transfer: joined before this organization existed, or moved here later (retirees always).
  let historyFrom = joinDate;
  let historyReason: Person['historyReason'] = '入党';
  let joinMethod = '1';
  const settled = fullDate ?? joinDate;
  if (!probationary && (joinDate < opt.orgFounded || rng.chance(TRANSFER_SHARE[profile]))) {
    const earliest = laterOf(settled, opt.orgFounded);
    const latest = addDays(today, -30);
    const retirement = addYears(birthDate, 60);
    historyFrom =
      profile === 'retired' && retirement >= earliest && retirement <= latest
        ? retirement
        : dateBetween(rng, earliest, latest);
    historyReason = '组织关系转入';
    joinMethod = '2';
  } else if (!probationary && rng.chance(0.002)) joinMethod = '3'; // 恢复党籍: rare, kept for realism

  const phone = rng.chance(years >= 75 ? 0.7 : 0.94) ? makeMobile(rng) : null;
  const address =
    opt.addressBase && rng.chance(0.7)
      ? opt.addressBase + (opt.urban ? urbanAddressTail(rng) : `${rng.int(1, 260)}号`)
      : null;
  const working = profile !== 'rural' && profile !== 'community';
  const workStartDate = working
    ? dateBetween(rng, addYears(birthDate, 18), earlierOf(addYears(birthDate, 24), today))
    : null;

  const lostContact =
    years < 65 && !probationary && rng.chance(profile === 'rural' || profile === 'community' ? 0.022 : 0.006);
  const lastContactDate = lostContact ? addDays(addMonths(today, -rng.int(7, 29)), -rng.int(0, 27)) : null;
  const rural = profile === 'rural';
  return {
    name,
    sex,
    birthDate,
    idNumber,
    ethnicity: ethnicity(rng),
    education: education(rng, profile, years),
    personCategory: personCategory(rng, profile, years),
    joinMethod,
    standing: probationary ? 'probationary' : 'full',
    joinDate,
    fullDate,
    phone,
    address,
    nativePlace: ctx.nativePlace(region),
    workStartDate,
    lostContact,
    lastContactDate,
    mobile: lostContact || (rural && years < 50 && rng.chance(0.06)),
    migrantWorker: rural && years < 55 && rng.chance(0.1),
    hardship: (rural || profile === 'community') && years >= 70 && rng.chance(0.07),
    historyFrom,
    historyReason,
  };
}
