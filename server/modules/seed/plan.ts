/**
 * The demo county in memory: organization tree (speech.md §1), members and leadership posts.
 * Pure: the same divisions, county code and `today` give the same plan, ids included, so it can be
 * tested without a database and written with a handful of multi-row INSERTs.
 */
import { ORG_KIND_LABELS, POST_LABELS } from '../../../contract/common.ts';
import { pinyinKey } from '../../platform/pinyin.ts';
import { addDays, addYears, dayOf, isoOf, isoToday } from './dates.ts';
import type { CountyDivisions, Township } from './divisions.ts';
import {
  dateBetween,
  makeName,
  makeOfficePhone,
  makePerson,
  type Person,
  type PersonContext,
  type Profile,
} from './people.ts';
import { Rng } from './prng.ts';

export type OrgKind = keyof typeof ORG_KIND_LABELS;
export type Field =
  | 'rural'
  | 'community'
  | 'organ'
  | 'institution'
  | 'nonPublicEnterprise'
  | 'socialOrganization'
  | 'soe'
  | 'school';
export type PostKind = keyof typeof POST_LABELS;

/** NAT-3 organization category codes by field. */
const CATEGORY: Record<Field, string> = {
  soe: '1',
  nonPublicEnterprise: '2',
  rural: '3',
  organ: '4',
  school: '5',
  institution: '6',
  community: '7',
  socialOrganization: '8',
};

export interface OrgPlan {
  id: string;
  parentId: string | null;
  path: string;
  depth: number;
  name: string;
  shortName: string | null;
  namePinyin: string;
  kind: OrgKind;
  field: Field | null;
  category: string | null;
  divisionCode: string | null;
  unitSituation: 'sameAsParent' | 'legalPerson' | 'joint' | null;
  unitName: string | null;
  foundedOn: string;
  termStart: string;
  termEnd: string;
  termYears: number;
  contactName: string | null;
  contactPhone: string | null;
  sortOrder: number;
  children: OrgPlan[];
  /** Members to generate here (leaf branches only) and what they look like. */
  size: number;
  profile: Profile | null;
  places: Place[];
  /** Where committee posts are drawn from: members of the subtree, of one organ branch, or invented names. */
  leaders: 'subtree' | 'names' | OrgPlan;
}

export interface MemberPlan extends Person {
  id: string;
  orgId: string;
  post: string | null;
}

export interface PostPlan {
  orgId: string;
  post: PostKind;
  memberId: string | null;
  personName: string | null;
  startDate: string | null;
  termEnd: string | null;
  vacantSince: string | null;
}

export interface CountyPlan {
  root: OrgPlan;
  /** Parents before children. */
  orgs: OrgPlan[];
  members: MemberPlan[];
  posts: PostPlan[];
}

/** An address without the house number, and whether it is a town street (flats) or a village (house numbers). */
interface Place {
  base: string;
  urban: boolean;
}

type TownshipType = 'town' | 'street' | 'zone' | 'farm';

const FARM =
  /(农场|林场|园艺场|农科所|牧场|茶场|渔场|盐场|苗圃|良种场|种畜场|垦殖场|原种场|繁育场|繁殖场|养殖场|林业局|[场所站])$/;

/** How a township-level entry enters the tree: 乡镇党委, 街道党工委, a zone's 党工委, or a farm's branch. */
export function townshipType(name: string): TownshipType {
  if (/(镇|乡|苏木)$/.test(name)) return 'town';
  if (/(街道|办事处|地区)$/.test(name)) return 'street';
  if (FARM.test(name)) return 'farm';
  return 'zone';
}

/**
 * The organization's unit name from a village-level entry: 王庄村委会 → 王庄村, 城中社区居委会 → 城中社区.
 * Placeholders such as 虚拟生活区 give null.
 */
export function villageUnit(raw: string): { name: string; community: boolean } | null {
  const name = raw.trim();
  if (!name || name.startsWith('虚拟')) return null;
  let m = /^(.*?)(居民委员会|居委会)$/.exec(name);
  if (m?.[1]) return { name: m[1].endsWith('社区') ? m[1] : `${m[1]}社区`, community: true };
  m = /^(.*?)(村民委员会|村委会)$/.exec(name);
  if (m?.[1]) return { name: m[1].endsWith('村') ? m[1] : `${m[1]}村`, community: false };
  if (/(社区|生活区|小区|居民区)$/.test(name)) return { name, community: true };
  return { name, community: false };
}

/** Village size: mostly 25–60 members, a fair share of 党总支-sized villages and some 村党委. */
export function villageSize(rng: Rng): number {
  const r = rng.float();
  if (r < 0.05) return rng.int(15, 24);
  if (r < 0.55) return Math.round(rng.triangular(25, 50, 60));
  if (r < 0.88) return Math.round(rng.triangular(61, 78, 99));
  return rng.int(100, 120);
}

/** Split `total` members into `n` branches of similar size, none above 50 (ORG-1) and none below 3. */
export function splitSizes(rng: Rng, total: number, n: number): number[] {
  const weights = Array.from({ length: n }, () => 0.75 + rng.float() * 0.5);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(3, Math.floor((total * w) / sum)));
  let diff = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % n) {
    if (diff > 0) {
      sizes[i]++;
      diff--;
    } else if (sizes[i] > 3) {
      sizes[i]--;
      diff++;
    }
  }
  for (;;) {
    const hi = sizes.indexOf(Math.max(...sizes));
    const lo = sizes.indexOf(Math.min(...sizes));
    if (sizes[hi] <= 50 || sizes[hi] - sizes[lo] <= 1) break;
    sizes[hi]--;
    sizes[lo]++;
  }
  return sizes;
}

const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

// County organs and their Party branches (县直机关); the county name is prefixed, "县" dropped where it repeats.
const ORGANS = [
  '委办公室',
  '人大常委会机关',
  '政府办公室',
  '政协机关',
  '纪委监委机关',
  '委组织部',
  '委宣传部',
  '委统战部',
  '委政法委员会',
  '发展和改革委员会',
  '工业和信息化局',
  '公安局',
  '民政局',
  '司法局',
  '财政局',
  '人力资源和社会保障局',
  '自然资源局',
  '住房和城乡建设局',
  '交通运输局',
  '水利局',
  '农业农村局',
  '商务局',
  '文化广电和旅游局',
  '卫生健康委员会',
  '退役军人事务局',
  '应急管理局',
  '审计局',
  '市场监督管理局',
  '统计局',
  '医疗保障局',
];
const INSTITUTIONS: { unit: string; size: [number, number]; parts?: string[] }[] = [
  { unit: '人民医院', size: [60, 95], parts: ['行政后勤', '内科', '外科', '医技'] },
  { unit: '中医院', size: [20, 45] },
  { unit: '妇幼保健院', size: [10, 30] },
  { unit: '疾病预防控制中心', size: [10, 25] },
  { unit: '融媒体中心', size: [10, 30] },
];
const BRANDS = [
  '恒达',
  '华瑞',
  '鑫源',
  '金穗',
  '绿源',
  '宏兴',
  '瑞丰',
  '永盛',
  '嘉禾',
  '泰昌',
  '鸿运',
  '天成',
  '富民',
  '兴旺',
  '亿佳',
  '博源',
  '汇通',
  '德润',
  '康达',
  '利民',
  '祥和',
  '众诚',
  '立信',
  '丰泽',
  '华鼎',
  '润禾',
  '长兴',
  '正阳',
];
const INDUSTRIES = [
  '食品',
  '木业',
  '乐器',
  '纺织',
  '农业科技',
  '建材',
  '电子商务',
  '物流',
  '家居',
  '机械制造',
  '新能源科技',
  '服饰',
  '包装材料',
  '生物科技',
  '畜牧',
  '电子科技',
  '医药',
  '汽车销售服务',
];
const SOCIAL_ORGS = [
  '个体劳动者协会',
  '慈善总会',
  '物流行业协会',
  '民办教育协会',
  '社会工作服务中心',
  '餐饮行业协会',
  '家政服务协会',
  '律师协会',
];
const SOES: { unit: string; parts: string[] }[] = [
  { unit: '投资集团有限公司', parts: ['工程建设', '资产运营', '融资担保', '项目管理'] },
  { unit: '城乡建设投资集团有限公司', parts: ['工程建设', '物业服务', '市政养护', '资产管理'] },
  { unit: '水务集团有限公司', parts: ['供水', '污水处理', '管网维护', '客户服务'] },
];
const COUNTY_SCHOOLS: { unit: string; big?: boolean }[] = [
  { unit: '第一高级中学', big: true },
  { unit: '第二高级中学', big: true },
  { unit: '第三高级中学', big: true },
  { unit: '职业教育中心', big: true },
  { unit: '第一初级中学' },
  { unit: '第二初级中学' },
  { unit: '实验中学' },
  { unit: '实验小学' },
  { unit: '第二实验小学' },
  { unit: '特殊教育学校' },
  { unit: '实验幼儿园' },
];

const KIND_SHORT: Record<OrgKind, string> = ORG_KIND_LABELS;

interface NodeSpec {
  name: string;
  shortName?: string | null;
  kind: OrgKind;
  field: Field | null;
  category?: string | null;
  divisionCode?: string | null;
  unitSituation?: OrgPlan['unitSituation'];
  unitName?: string | null;
  /** A range of years, or an exact date. */
  founded: [number, number] | string;
  term?: { years: number; cycle?: { year: number; months: [number, number] }; overdue?: boolean } | OrgPlan;
  size?: number;
  profile?: Profile;
  places?: Place[];
  leaders?: OrgPlan['leaders'];
}

class Planner {
  /** Structure: sizes, kinds, invented unit names. Kept apart from dates so that the tree and the member
   * count of a county do not change with the day the seed runs. */
  readonly rng: Rng;
  /** Founding dates and terms (they depend on `today`). */
  private readonly dates: Rng;
  /** Members and posts. */
  readonly people: Rng;
  private readonly ids: Rng;
  readonly today: string;
  readonly orgs: OrgPlan[] = [];
  /** 兰考县 / 杭州市西湖区: the county as it appears in organization names. */
  readonly full: string;
  /** 县 / 区 / 市 / 旗: the level word used in 县直机关 and the like. */
  readonly level: string;
  /** 兰考 / 西湖: the county as a company name prefix. */
  readonly brand: string;
  readonly addressPrefix: string;

  constructor(
    readonly div: CountyDivisions,
    today: Date,
  ) {
    this.rng = new Rng(`dangjian-seed:${div.code}`);
    this.dates = new Rng(`dangjian-seed-dates:${div.code}`);
    this.people = new Rng(`dangjian-seed-people:${div.code}`);
    this.ids = new Rng(`dangjian-seed-ids:${div.code}`);
    this.today = isoToday(today);
    const name = div.name;
    // District names repeat across cities (西湖区, 城关区…), so districts carry their city, as on their seals.
    this.full = name.endsWith('区') ? `${div.cityName ?? div.provinceName}${name}` : name;
    this.level = /[县区市旗]$/.test(name) ? name.slice(-1) : '县';
    const stripped = name.replace(/(([\u4e00-\u9fff]{1,4}族)+自治)?[县区市旗]$/, '');
    this.brand = stripped.length >= 2 ? stripped : name;
    this.addressPrefix = `${div.provinceName}${div.cityName ?? ''}${name}`;
  }

  uuid(): string {
    return this.ids.uuid();
  }

  /** Term (届期, ORG-4): elected bodies follow the county's election cycle; ~8% are overdue. */
  private term(
    spec: NodeSpec['term'],
    allowOverdue: boolean,
  ): { termStart: string; termEnd: string; termYears: number } {
    if (spec && 'id' in spec) return { termStart: spec.termStart, termEnd: spec.termEnd, termYears: spec.termYears };
    const years = spec?.years ?? 3;
    const today = this.today;
    const overdue = allowOverdue && (spec?.overdue ?? this.dates.chance(0.08));
    if (overdue) {
      const end = addDays(today, -this.dates.int(15, 420));
      return { termStart: addYears(end, -years), termEnd: end, termYears: years };
    }
    let start: string;
    const cycle = spec?.cycle;
    if (cycle) {
      const y0 = Number(today.slice(0, 4));
      let y = cycle.year + Math.floor((y0 - cycle.year) / years) * years;
      const at = (year: number) =>
        `${year}-${String(this.dates.int(cycle.months[0], cycle.months[1])).padStart(2, '0')}-${String(this.dates.int(1, 28)).padStart(2, '0')}`;
      start = at(y);
      if (start > today) {
        y -= years;
        start = at(y);
      }
    } else {
      start = isoOf(dayOf(today) - this.dates.int(20, years * 365 - 20));
    }
    return { termStart: start, termEnd: addYears(start, years), termYears: years };
  }

  node(parent: OrgPlan | null, s: NodeSpec): OrgPlan {
    const id = this.uuid();
    const term = this.term(s.term, parent !== null);
    let founded =
      typeof s.founded === 'string'
        ? s.founded
        : dateBetween(this.dates, `${s.founded[0]}-01-01`, `${s.founded[1]}-12-28`);
    if (founded > term.termStart) founded = term.termStart;
    const org: OrgPlan = {
      id,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      name: s.name,
      shortName: s.shortName ?? null,
      namePinyin: pinyinKey(s.name).replace(/ /g, ''),
      kind: s.kind,
      field: s.field,
      category: s.category !== undefined ? s.category : s.field ? CATEGORY[s.field] : null,
      divisionCode: s.divisionCode ?? null,
      unitSituation: s.unitSituation ?? null,
      unitName: s.unitName ?? null,
      foundedOn: founded,
      ...term,
      contactName: null,
      contactPhone: null,
      sortOrder: parent ? parent.children.length : 0,
      children: [],
      size: s.size ?? 0,
      profile: s.profile ?? null,
      places: s.places ?? [],
      leaders: s.leaders ?? 'subtree',
    };
    parent?.children.push(org);
    this.orgs.push(org);
    return org;
  }

  /**
   * A unit whose Party organization grows with its membership (ORG-1, ORG-3): a branch up to 50,
   * a general branch above 50, a committee from 100, the latter two with branches holding the members.
   */
  unit(
    parent: OrgPlan,
    s: Omit<NodeSpec, 'name' | 'kind' | 'shortName'> & {
      prefix: string;
      unit: string;
      size: number;
      branchNames?: string[];
    },
  ): OrgPlan {
    const kind: OrgKind = s.size >= 100 ? 'committee' : s.size > 50 ? 'generalBranch' : 'branch';
    const suffix = kind === 'committee' ? '委员会' : kind === 'generalBranch' ? '总支部委员会' : '支部委员会';
    const top = this.node(parent, {
      ...s,
      name: `中共${s.prefix}${s.unit}${suffix}`,
      shortName: `${s.unit}${KIND_SHORT[kind]}`,
      kind,
      size: kind === 'branch' ? s.size : 0,
    });
    if (kind === 'branch') return top;
    const n =
      s.branchNames?.length ??
      (kind === 'committee'
        ? this.rng.int(Math.max(3, Math.ceil(s.size / 45)), 6)
        : this.rng.int(2, Math.min(4, Math.floor(s.size / 15))));
    const sizes = splitSizes(this.rng, s.size, Math.max(2, n));
    sizes.forEach((size, i) => {
      const part = s.branchNames ? `${s.branchNames[i]}` : `第${ORDINALS[i]}`;
      this.node(top, {
        ...s,
        name: `中共${s.prefix}${s.unit}${part}支部委员会`,
        shortName: `${s.unit}${part}党支部`,
        kind: 'branch',
        unitSituation: 'sameAsParent',
        founded: top.foundedOn,
        term: top,
        size,
      });
    });
    return top;
  }
}

/** Village and community places of a township, for members' addresses. */
function placesOf(p: Planner, t: Township): Place[] {
  const out: Place[] = [];
  for (const v of t.villages) {
    const u = villageUnit(v.name);
    if (u) out.push({ base: `${p.addressPrefix}${t.name}${u.name}`, urban: u.community });
  }
  return out.length ? out : [{ base: `${p.addressPrefix}${t.name}`, urban: true }];
}

function shortTownship(name: string): string {
  const s = name.replace(/(街道办事处|街道|办事处|镇|乡|苏木|地区)$/, '');
  return s.length >= 1 ? s : name;
}

function buildTree(p: Planner): OrgPlan {
  const { rng, div } = p;
  const y = Number(p.today.slice(0, 4));
  const root = p.node(null, {
    name: `中共${p.full}委员会`,
    shortName: `${p.full}委`,
    kind: 'committee',
    field: null,
    category: null,
    divisionCode: div.code,
    founded: [1947, 1952],
    term: { years: 5, cycle: { year: 2021, months: [6, 9] } },
    leaders: 'names',
  });

  const types = div.townships.map((t) => ({ t, type: townshipType(t.name) }));
  const farms = types.filter((x) => x.type === 'farm').map((x) => x.t);
  const streetPlaces = types.filter((x) => x.type === 'street').flatMap((x) => placesOf(p, x.t));
  const firstTown = types.find((x) => x.type !== 'farm');
  // County units sit in the county seat: its street communities, or the first township's places.
  const seat: Place[] = streetPlaces.length
    ? streetPlaces
    : firstTown
      ? placesOf(p, firstTown.t)
      : [{ base: p.addressPrefix, urban: true }];

  for (const { t, type } of types) {
    if (type === 'farm') continue;
    const places = placesOf(p, t);
    const units = t.villages.map((v) => ({ v, u: villageUnit(v.name) })).filter((x) => x.u !== null);
    const communities = units.filter((x) => x.u?.community).length;
    const field: Field =
      type === 'town'
        ? 'rural'
        : type === 'street'
          ? 'community'
          : communities * 2 >= units.length && units.length
            ? 'community'
            : 'rural';
    const kind: OrgKind = type === 'town' ? 'committee' : 'workingCommittee';
    const name =
      type === 'town'
        ? `中共${t.name}委员会`
        : type === 'street' || t.name.startsWith(p.brand)
          ? `中共${t.name}工作委员会`
          : `中共${p.full}${t.name}工作委员会`;
    const township = p.node(root, {
      name,
      shortName: `${t.name}${KIND_SHORT[kind]}`,
      kind,
      field,
      divisionCode: t.code,
      unitSituation: 'legalPerson',
      unitName: t.name,
      founded: type === 'town' ? [1950, 1986] : [1985, 2015],
      term: { years: 5, cycle: { year: 2021, months: [6, 9] } },
    });
    const organ = p.node(township, {
      name: `中共${t.name}机关支部委员会`,
      shortName: `${t.name}机关党支部`,
      kind: 'branch',
      field: 'organ',
      divisionCode: t.code,
      unitSituation: 'sameAsParent',
      unitName: t.name,
      founded: township.foundedOn,
      size: rng.int(25, 50),
      profile: 'organ',
      places,
    });
    township.leaders = organ;
    // Township health centres are usually led by the township committee (属地管理).
    if (type === 'town') {
      p.node(township, {
        name: `中共${t.name}卫生院支部委员会`,
        shortName: `${t.name}卫生院党支部`,
        kind: 'branch',
        field: 'institution',
        divisionCode: t.code,
        unitSituation: 'legalPerson',
        unitName: `${p.full}${t.name}卫生院`,
        founded: [1958, 1995],
        size: rng.int(8, 20),
        profile: 'institution',
        places,
      });
    }
    for (const { v, u } of units) {
      if (!u) continue;
      p.unit(township, {
        prefix: t.name,
        unit: u.name,
        field: u.community ? 'community' : 'rural',
        divisionCode: v.code,
        unitSituation: 'sameAsParent',
        unitName: u.name,
        founded: u.community ? [1990, 2018] : [1950, 1978],
        term: { years: 5, cycle: { year: 2021, months: [1, 4] } },
        size: u.community ? Math.round(rng.triangular(20, 50, 80)) : villageSize(rng),
        profile: u.community ? 'community' : 'rural',
        places: [{ base: `${p.addressPrefix}${t.name}${u.name}`, urban: u.community }],
      });
    }
  }

  // County organs working committee (县直机关工委): organs, public institutions, farms, retired cadres.
  const organWc = p.node(root, {
    name: `中共${p.full}${p.level}直机关工作委员会`,
    shortName: `${p.level}直机关工委`,
    kind: 'workingCommittee',
    field: 'organ',
    founded: [1984, 1995],
    term: { years: 5 },
  });
  const organs = ORGANS.filter((_, i) => i < 10 || rng.chance(0.75));
  for (const o of organs) {
    const unit = `${p.full}${o}`;
    const isOrgan = o.endsWith('机关');
    p.node(organWc, {
      name: `中共${unit}${isOrgan ? '' : '机关'}支部委员会`,
      shortName: `${p.level}${o}${isOrgan ? '' : '机关'}党支部`,
      kind: 'branch',
      field: 'organ',
      unitSituation: 'legalPerson',
      unitName: unit,
      founded: [1955, 1995],
      size: Math.round(rng.triangular(10, 22, 40)),
      profile: 'organ',
      places: seat,
    });
  }
  for (const inst of INSTITUTIONS) {
    p.unit(organWc, {
      prefix: p.full,
      unit: inst.unit,
      field: 'institution',
      unitSituation: 'legalPerson',
      unitName: `${p.full}${inst.unit}`,
      founded: [1955, 1995],
      size: rng.int(inst.size[0], inst.size[1]),
      branchNames: inst.parts?.slice(0, rng.int(2, inst.parts.length)),
      profile: 'institution',
      places: seat,
    });
  }
  for (const f of farms) {
    const unit = f.name.startsWith(p.brand) ? f.name : `${p.full}${f.name}`;
    const soe = f.name.endsWith('公司');
    p.node(organWc, {
      name: `中共${unit}支部委员会`,
      shortName: `${f.name}党支部`,
      kind: 'branch',
      field: soe ? 'soe' : 'institution',
      divisionCode: f.code,
      unitSituation: 'legalPerson',
      unitName: unit,
      founded: [1955, 1978],
      size: rng.int(8, 25),
      profile: soe ? 'soe' : 'institution',
      places: [{ base: `${p.addressPrefix}${f.name}`, urban: true }],
    });
  }
  for (let i = 0; i < 2; i++) {
    p.node(organWc, {
      name: `中共${p.full}${p.level}直机关离退休干部第${ORDINALS[i]}支部委员会`,
      shortName: `离退休干部第${ORDINALS[i]}党支部`,
      kind: 'branch',
      field: 'organ',
      unitSituation: 'sameAsParent',
      founded: [1995, 2010],
      size: rng.int(25, 48),
      profile: 'retired',
      places: seat,
    });
  }

  // Two-new working committee (两新工委): non-public enterprises, joint branches, social organizations.
  const twoNew = p.node(root, {
    name: `中共${p.full}非公有制经济组织和社会组织工作委员会`,
    shortName: `${p.level}两新工委`,
    kind: 'workingCommittee',
    field: 'nonPublicEnterprise',
    founded: [2012, 2017],
    term: { years: 5 },
    leaders: 'names',
  });
  const companies = new Set<string>();
  const company = (): string => {
    for (;;) {
      const c = `${p.brand}${rng.pick(BRANDS)}${rng.pick(INDUSTRIES)}${rng.chance(0.15) ? '股份有限公司' : '有限公司'}`;
      if (!companies.has(c)) {
        companies.add(c);
        return c;
      }
    }
  };
  for (let i = 0; i < 12; i++) {
    const c = company();
    p.node(twoNew, {
      name: `中共${c}支部委员会`,
      shortName: `${c.replace(/(股份)?有限公司$/, '')}党支部`,
      kind: 'branch',
      field: 'nonPublicEnterprise',
      unitSituation: 'legalPerson',
      unitName: c,
      founded: [2005, y - 2],
      size: Math.round(rng.triangular(3, 10, 25)),
      profile: 'enterprise',
      places: seat,
    });
  }
  const towns = types.filter((x) => x.type === 'town' || x.type === 'street').map((x) => x.t);
  const jointTowns = rng.shuffle([...towns]).slice(0, 3);
  for (const t of jointTowns.length ? jointTowns : [null, null, null]) {
    const where = t ? shortTownship(t.name) : p.brand;
    const firms = rng.int(3, 5);
    const name = `中共${p.full}${where}非公有制企业联合支部委员会`;
    if (p.orgs.some((o) => o.name === name)) continue;
    p.node(twoNew, {
      name,
      shortName: `${where}非公企业联合党支部`,
      kind: 'jointBranch',
      field: 'nonPublicEnterprise',
      unitSituation: 'joint',
      unitName: `${company()}等${firms}家企业`,
      founded: [2012, y - 2],
      size: rng.int(5, 15),
      profile: 'enterprise',
      places: t ? placesOf(p, t) : seat,
    });
  }
  for (const s of rng.shuffle([...SOCIAL_ORGS]).slice(0, 6)) {
    p.node(twoNew, {
      name: `中共${p.full}${s}支部委员会`,
      shortName: `${s}党支部`,
      kind: 'branch',
      field: 'socialOrganization',
      unitSituation: 'legalPerson',
      unitName: `${p.full}${s}`,
      founded: [2010, y - 2],
      size: rng.int(3, 15),
      profile: 'social',
      places: seat,
    });
  }

  // State-owned enterprises: 2–3 group companies, each a Party committee with its branches.
  for (const soe of SOES.slice(0, rng.int(2, 3))) {
    const c = `${p.full}${soe.unit}`;
    const top = p.node(root, {
      name: `中共${c}委员会`,
      shortName: `${p.brand}${soe.unit.replace(/(集团)?有限公司$/, '')}党委`,
      kind: 'committee',
      field: 'soe',
      unitSituation: 'legalPerson',
      unitName: c,
      founded: [2008, 2019],
      term: { years: 5 },
    });
    const parts = ['机关', ...rng.shuffle([...soe.parts]).slice(0, rng.int(2, 4))];
    for (const part of parts) {
      p.node(top, {
        name: `中共${c}${part}支部委员会`,
        shortName: `${part}党支部`,
        kind: 'branch',
        field: 'soe',
        unitSituation: 'sameAsParent',
        unitName: c,
        founded: [Number(top.foundedOn.slice(0, 4)), y - 1],
        size: rng.int(6, 25),
        profile: 'soe',
        places: seat,
      });
    }
  }

  // Education bureau committee (教育局党委): the bureau's own branch, county schools, township schools.
  const edu = p.node(root, {
    name: `中共${p.full}教育局委员会`,
    shortName: `${p.level}教育局党委`,
    kind: 'committee',
    field: 'school',
    unitSituation: 'legalPerson',
    unitName: `${p.full}教育局`,
    founded: [1985, 2005],
    term: { years: 5 },
  });
  p.node(edu, {
    name: `中共${p.full}教育局机关支部委员会`,
    shortName: '教育局机关党支部',
    kind: 'branch',
    field: 'organ',
    unitSituation: 'sameAsParent',
    unitName: `${p.full}教育局`,
    founded: [1985, 2005],
    size: rng.int(10, 25),
    profile: 'organ',
    places: seat,
  });
  const schools: { unit: string; big: boolean; places: Place[] }[] = COUNTY_SCHOOLS.map((s) => ({
    unit: `${p.full}${s.unit}`,
    big: !!s.big,
    places: seat,
  }));
  for (const t of towns) {
    if (schools.length >= 20) break;
    const unit =
      t.name.endsWith('镇') || t.name.endsWith('乡')
        ? `${p.full}${t.name}中心学校`
        : `${p.full}${shortTownship(t.name)}小学`;
    schools.push({ unit, big: false, places: placesOf(p, t) });
  }
  for (const s of schools) {
    p.node(edu, {
      name: `中共${s.unit}支部委员会`,
      shortName: `${s.unit.slice(p.full.length)}党支部`,
      kind: 'branch',
      field: 'school',
      unitSituation: 'legalPerson',
      unitName: s.unit,
      founded: [1952, 2005],
      size: s.big ? rng.int(25, 40) : Math.round(rng.triangular(8, 20, 40)),
      profile: 'school',
      places: s.places,
    });
  }
  return root;
}

/** Members of every leaf branch, in tree order. */
function buildMembers(p: Planner, ctx: PersonContext): MemberPlan[] {
  const out: MemberPlan[] = [];
  const rng = p.people;
  for (const org of p.orgs) {
    if (!org.size || !org.profile) continue;
    for (let i = 0; i < org.size; i++) {
      const place = org.places.length ? rng.pick(org.places) : null;
      const person = makePerson(rng, ctx, {
        profile: org.profile,
        orgFounded: org.foundedOn,
        addressBase: place?.base ?? null,
        urban: place?.urban ?? true,
        probationary: rng.chance(0.03),
      });
      out.push(Object.assign(person, { id: p.uuid(), orgId: org.id, post: null }));
    }
  }
  return out;
}

/** Leadership posts (ORG-2, ORG-5, ORG-6), secretaries as contacts (NAT-1). */
function buildPosts(p: Planner, members: MemberPlan[]): PostPlan[] {
  const { people: rng, today } = p;
  const byOrg = new Map<string, MemberPlan[]>();
  for (const m of members) {
    const list = byOrg.get(m.orgId) ?? [];
    list.push(m);
    byOrg.set(m.orgId, list);
  }
  const subtree = (org: OrgPlan): MemberPlan[] => {
    const own = byOrg.get(org.id) ?? [];
    return org.children.length ? [...own, ...org.children.flatMap(subtree)] : own;
  };
  const fiveYearsAgo = addYears(today, -5);
  const oneYearAgo = addYears(today, -1);
  const age = (m: MemberPlan) => Number(today.slice(0, 4)) - Number(m.birthDate.slice(0, 4));

  const posts: PostPlan[] = [];
  for (const org of p.orgs) {
    const isBranch = org.children.length === 0;
    const start = () => (rng.chance(0.8) ? org.termStart : dateBetween(rng, org.termStart, addDays(today, -20)));
    const add = (post: PostKind, who: MemberPlan | string | null) => {
      const m = typeof who === 'object' ? who : null;
      posts.push({
        orgId: org.id,
        post,
        memberId: m?.id ?? null,
        personName: m ? m.name : typeof who === 'string' ? who : null,
        startDate: who ? start() : null,
        termEnd: org.termEnd,
        vacantSince: who ? null : isoOf(dayOf(today) - rng.int(30, 240)),
      });
      if (m && !m.post) m.post = `${KIND_SHORT[org.kind]}${POST_LABELS[post]}`;
    };

    if (org.leaders === 'names') {
      const names = [
        'secretary',
        'deputySecretary',
        'organizationMember',
        'propagandaMember',
        'disciplineMember',
      ] as const;
      for (const post of names) {
        const sex = rng.chance(0.15) ? '2' : '1';
        add(post, makeName(rng, sex, rng.int(1966, 1980)));
      }
      org.contactName = posts[posts.length - names.length].personName;
      org.contactPhone = makeOfficePhone(rng, p.div.code);
      continue;
    }

    const pool = (org.leaders === 'subtree' ? subtree(org) : subtree(org.leaders)).filter((m) => m.standing === 'full');
    const taken = new Set<string>();
    const choose = (pred: (m: MemberPlan) => boolean): MemberPlan | null => {
      const c = pool.filter((m) => !taken.has(m.id) && pred(m));
      if (!c.length) return null;
      const m = rng.pick(c);
      taken.add(m.id);
      return m;
    };
    const maxAge = org.field === 'rural' ? 68 : 62;
    // Prefer a secretary with ≥5 years of standing and of working age; fall back to the ORG-6 minimum.
    const secretary =
      isBranch && rng.chance(0.03)
        ? null
        : (choose((m) => !m.lostContact && (m.fullDate ?? today) <= fiveYearsAgo && age(m) >= 30 && age(m) <= maxAge) ??
          choose((m) => !m.lostContact && (m.fullDate ?? today) <= oneYearAgo) ??
          choose(() => true));
    add('secretary', secretary);

    let others: PostKind[] = [];
    if (!isBranch)
      others = [
        ...(rng.chance(0.7) ? (['deputySecretary'] as const) : []),
        'organizationMember',
        'propagandaMember',
        'disciplineMember',
      ];
    else if (pool.length >= 7) {
      const r = rng.float();
      others =
        r < 0.05
          ? ['organizationMember', 'propagandaMember']
          : r < 0.2
            ? ['deputySecretary', 'organizationMember', 'propagandaMember', 'disciplineMember']
            : ['organizationMember', 'propagandaMember', 'disciplineMember'];
    }
    let contact = secretary;
    for (const post of others) {
      const m = choose((x) => !x.lostContact && (x.fullDate ?? today) <= oneYearAgo) ?? choose(() => true);
      if (!m) break;
      add(post, m);
      contact ??= m;
    }
    org.contactName = contact?.name ?? null;
    org.contactPhone = makeOfficePhone(rng, p.div.code);
  }
  return posts;
}

/** Plan the whole county. */
export function planCounty(div: CountyDivisions, today: Date): CountyPlan {
  const p = new Planner(div, today);
  const root = buildTree(p);
  const ctx: PersonContext = {
    today: p.today,
    countyCode: div.code,
    sameCity: div.sameCity,
    sameProvince: div.sameProvince,
    elsewhere: div.elsewhere,
    usedIds: new Set(),
    nativePlace: (code) => {
      const a = div.areaNames.get(code);
      return a ? `${a.provinceName}${a.name}` : null;
    },
  };
  const members = buildMembers(p, ctx);
  const posts = buildPosts(p, members);
  return { root, orgs: p.orgs, members, posts };
}
