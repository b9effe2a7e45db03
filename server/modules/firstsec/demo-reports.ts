/**
 * The demo county's periodic reports (定期汇报, FS-4): monthly work logs of the people with an account
 * for the months since their accounts (most in time, some a few days late, a few never filed, so FS-4
 * shows real problems), the last ended quarter's report from about half of them, and comments — the
 * township's (a demo account of the township's organization committee member), the dispatching unit's
 * (one county organ's Party organization put on the platform as the unit of two people, with its liaison's
 * account) and the county's. Texts are assembled from what village work logs say, per work area.
 * Deterministic from the county code; called by demo.ts inside the county's transaction, after the
 * people are in.
 */
import { sql } from 'drizzle-orm';
import { shanghaiDate } from '../../../contract/calendar.ts';
import { previousReportPeriod, reportBounds, reportDueOn } from '../../../contract/firstsec-reports.ts';
import { type FsArea, type FsReportKind, fsReportPeriodLabel } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { addDays, Rng } from '../seed/api.ts';

const DONE: Record<FsArea, string[]> = {
  organization: [
    '组织召开支部委员会 2 次、党员大会 1 次，讨论了村集体经济项目选址和今冬村级公益岗位人选。',
    '带领党员开展主题党日，重温入党誓词，学习了《中国共产党农村基层组织工作条例》有关村级组织职责的内容。',
    '对 3 名入党积极分子逐一谈话，确定培养联系人，指导支部规范填写发展党员纪实材料。',
    '走访慰问困难党员和老党员 6 户，送去米面油，收集对村“两委”工作的意见建议 9 条。',
  ],
  landTransfer: [
    '配合镇经管站核实土地流转合同 21 份，帮助 4 户农户补签了流转协议，流转面积共 180 余亩。',
    '召开村民代表会议，就村东片 300 亩耕地整片流转给种植合作社征求意见，同意率超过九成。',
  ],
  cropStructure: [
    '对接县农业农村局技术员入村，为种植大户讲解小麦冬前管理和病虫害防治，现场指导 40 余人次。',
    '引导 12 户农户试种高油酸花生和中药材，协调良种和地膜，落实种植面积 60 亩。',
  ],
  industry: [
    '跟进村集体光伏发电项目并网手续，本月发电收益到账 1.2 万元，已纳入村集体经济台账。',
    '陪同派出单位负责同志考察食用菌大棚项目，初步确定扩建 6 座大棚，资金来源和用工方案正在细化。',
    '协调冷库建设用地和用电增容，冷库主体已封顶，预计下月底投入使用，可解决周边三个村的果蔬储存问题。',
  ],
  povertyRelief: [
    '对脱贫户和监测户逐户走访 23 户，更新帮扶台账，发现 1 户因病返贫风险，已按程序申报纳入监测。',
    '协助落实脱贫人口小额信贷续贷 5 笔，帮 2 名脱贫劳动力联系到县城物流园就业。',
  ],
  prosperity: [
    '通过派出单位消费帮扶渠道销售村里的红薯粉条和小米，销售额约 3.6 万元，带动 17 户增收。',
    '组织村里 8 名年轻人参加电商直播培训，指导开通网店 2 家，上架本村土鸡蛋、石磨面粉等产品。',
  ],
  environment: [
    '带领党员志愿者开展人居环境整治，清理背街小巷垃圾和残垣断壁 14 处，村内主干道两侧实现无杂物堆放。',
    '协调解决 2 个自然村的生活污水管网接入问题，施工队已进场，预计两周完工。',
  ],
  customs: [
    '指导修订村规民约，增加婚事新办、丧事简办条款，经村民代表会议表决通过并张榜公布。',
    '组织开展“好媳妇、好婆婆”评选，村红白理事会本月劝导简办酒席 3 起。',
  ],
  stability: [
    '参与调解邻里宅基地纠纷 2 起、土地边界纠纷 1 起，均已当场化解，未出现越级上访。',
    '配合派出所开展防范电信诈骗宣传，入户发放宣传页 200 余份，在村微信群推送提醒 4 次。',
  ],
};
/** What the season brings to a village, by month (1–12): one line of each log. */
const SEASON: Record<number, string> = {
  1: '春节前走访慰问困难群众和老党员，排查农村用电、用火安全隐患。',
  2: '组织返乡人员座谈，登记外出务工意向，对接县人社局开展春季用工招聘。',
  3: '指导春耕备耕，协调化肥、种子统一采购，组织党员义务植树 300 余棵。',
  4: '配合开展春季防火巡查，督促落实麦田“一喷三防”。',
  5: '组织夏收准备，协调收割机械，排查沟渠堵塞点 6 处。',
  6: '“三夏”期间带领党员突击队帮助缺劳力农户抢收小麦，全村夏粮颗粒归仓。',
  7: '汛期前组织排查危房和低洼地带，落实防汛值守，转移安置预案逐户告知。',
  8: '督促落实秋作物田间管理，组织开展防溺水宣传进农户。',
  9: '组织秋收秋种，协调烘干设备，帮助 5 户困难群众完成玉米收储。',
  10: '秋种期间协调小麦良种统一供应，开展秸秆禁烧巡查。',
  11: '开展冬季安全生产和防火检查，排查独居老人取暖设施 20 余户。',
  12: '开展年终村级财务公开，组织党员冬训，筹备年度民主评议党员。',
};
const NEXT = [
  '下月打算：继续推进村集体经济项目，督促冷库按期完工，开好年终党员大会。',
  '下月打算：完成入冬前消防安全排查，走访留守老人和困难群众，落实冬季取暖帮扶。',
  '下月打算：配合镇里做好村级财务公开，筹备下一次主题党日，跟进土地流转合同兑付。',
  '下月打算：组织党员冬训，围绕产业发展开展一次村民议事会，梳理群众急难愁盼问题清单。',
];
const PROBLEMS = [
  '存在问题：村里年轻党员外出务工多，组织生活参加人数不稳定，准备试行线上参学登记。',
  '存在问题：部分农户对土地整片流转仍有顾虑，需要派出单位和镇里继续做好政策解释。',
  '存在问题：合作社销售渠道仍然单一，价格受收购商影响大。',
  '',
];
const QUARTER = [
  '本季度驻村在岗情况良好，按要求完成考勤和月度工作日志。重点做了三件事：一是抓支部规范化建设，组织生活按期召开，党员积分管理全面推开；二是推动村集体经济项目落地，光伏和冷库项目进展顺利，村集体收入预计比去年增加 4 万元以上；三是做好巩固脱贫成果，监测户帮扶措施全部落实。下季度将重点抓好年终党员评议和村级班子运行情况分析。',
  '本季度围绕“抓党建促乡村振兴”开展工作：帮助支部完善“三会一课”台账，发展入党积极分子 2 名；协调派出单位投入帮扶资金 8 万元用于村道亮化；通过消费帮扶销售农产品 5 万余元。不足是产业项目带动面还不够广，下季度准备再引进一家农产品加工企业。',
  '本季度主要工作：一是人居环境整治常态化，建立党员责任区 6 个；二是化解矛盾纠纷 5 起，全村无信访事项；三是指导村里修订村规民约并完成公示。派出单位领导来村调研 1 次，协调解决了饮水管网改造资金。下步重点是冬季安全和年终总结。',
];
const TOWN_COMMENTS = [
  '已阅。工作扎实，请继续抓好村集体经济项目，年底前形成收益。',
  '已阅。材料具体，望加强对入党积极分子的培养考察，下月向镇党委报告进展。',
  '阅。人居环境整治效果明显，注意建立长效机制，防止反弹。',
  '已阅，同意下月打算。冷库项目要注意安全生产，按时完工。',
];
const UNIT_COMMENTS = [
  '单位党组已阅，消费帮扶的需求请列出清单，单位工会统一组织采购。',
  '已阅。单位将协调技术人员再次入村，支持产业项目，有困难及时报告。',
];
const COUNTY_COMMENTS = ['县委组织部已阅。日志内容具体，可作为驻村工作纪实的范例。'];

/** The months from `first` (YYYY-MM) to `last` inclusive. */
function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last; m = addDays(`${m}-28`, 7).slice(0, 7)) out.push(m);
  return out;
}

function pick<T>(rng: Rng, list: T[]): T {
  return list[rng.int(0, list.length - 1)];
}

/** The demo's reports and comments of a county (demo.ts `seedCounty`, after the people). */
export async function seedReports(
  tx: Tx,
  county: string,
  now: Date,
  opts: { by: string; hash: string },
): Promise<Record<string, number>> {
  const rng = new Rng(`fs-reports:${county}`);
  const today = shanghaiDate(now);
  const people = await tx.execute<{
    id: string;
    org_id: string;
    areas: FsArea[];
    user_id: string;
    account_from: string;
    town_id: string | null;
    town_name: string | null;
    path: string;
  }>(sql`select f.id, f.org_id, f.areas, f.user_id,
      to_char(date_trunc('month', (u.created_at at time zone 'Asia/Shanghai') - interval '1 day') + interval '1 month', 'YYYY-MM') as account_from,
      t.id as town_id, t.name as town_name, o.path
    from first_secretaries f join users u on u.county_code = f.county_code and u.id = f.user_id
    join orgs o on o.county_code = f.county_code and o.id = f.org_id
    left join orgs t on t.county_code = o.county_code and t.id = o.parent_id and t.parent_id is not null
    where f.county_code = ${county} and f.status = 'serving' order by o.path, f.id`);
  if (!people.rows.length) return {};

  // The townships' organization committee members who read the logs (one demo account each; its password is unknown: the county resets it).
  const townUser = new Map<string, string>();
  for (const p of people.rows) {
    if (!p.town_id || townUser.has(p.town_id)) continue;
    const u = await tx.execute<{
      id: string;
    }>(sql`insert into users (county_code, username, display_name, password_hash, roles, org_id, must_change_password, created_by)
      values (${county}, ${`zzwy${String(townUser.size + 1).padStart(2, '0')}`}, ${`${(p.town_name ?? '').replace(/^中共/, '').replace(/(工作)?委员会$/, '')}组织委员`},
        ${opts.hash}, array['orgAdmin']::text[], ${p.town_id}, true, ${opts.by})
      on conflict do nothing returning id`);
    if (u.rows[0]) townUser.set(p.town_id, u.rows[0].id);
  }
  // One county organ's Party organization as the dispatching unit of two people, with its liaison's account.
  const organ = await tx.execute<{ id: string; name: string }>(sql`select o.id, o.name from orgs o
    where o.county_code = ${county} and o.status = 'active' and o.field = 'organ' and o.kind <> 'partyGroup'
      and not exists (select 1 from first_secretaries f where f.county_code = o.county_code and f.org_id = o.id)
    order by o.depth, o.path limit 1`);
  const unitOf = new Map<string, string>();
  if (organ.rows[0]) {
    const u = await tx.execute<{
      id: string;
    }>(sql`insert into users (county_code, username, display_name, password_hash, roles, org_id, must_change_password, created_by)
      values (${county}, 'pcdw01', '派出单位联络员', ${opts.hash}, array['orgAdmin']::text[], ${organ.rows[0].id}, true, ${opts.by})
      on conflict do nothing returning id`);
    if (u.rows[0])
      for (const p of people.rows.slice(0, 2)) {
        await tx.execute(sql`update first_secretaries set dispatch_org_id = ${organ.rows[0].id}
          where county_code = ${county} and id = ${p.id}`);
        unitOf.set(p.id, u.rows[0].id);
      }
  }

  const lastMonth = previousReportPeriod('monthly', today);
  const lastQuarter = previousReportPeriod('quarterly', today);
  let logs = 0;
  let late = 0;
  let missing = 0;
  let quarters = 0;
  let comments = 0;
  const write = async (
    p: (typeof people.rows)[number],
    kind: FsReportKind,
    period: string,
    body: string,
    areas: FsArea[],
    madeAt: Date,
  ) => {
    const r = await tx.execute<{
      id: string;
    }>(sql`insert into fs_reports (county_code, fs_id, org_id, kind, period, body, areas, made_at, submitted_at, created_by)
      values (${county}, ${p.id}, ${p.org_id}, ${kind}, ${period}, ${body}, ${JSON.stringify(areas)}::jsonb, ${madeAt.toISOString()}::timestamptz,
        ${new Date(Math.min(now.getTime(), madeAt.getTime() + (rng.chance(0.15) ? rng.int(40, 600) : rng.int(0, 3)) * 60_000)).toISOString()}::timestamptz, ${p.user_id})
      on conflict do nothing returning id`);
    const id = r.rows[0]?.id;
    if (!id) return;
    // Comments a day or two later, never after the demo's moment.
    const say = async (side: 'town' | 'unit' | 'county', by: string, text: string, after: number) => {
      const at = new Date(madeAt.getTime() + after * 3600_000);
      if (at > now) return;
      await tx.execute(sql`insert into fs_report_comments (county_code, report_id, side, text, created_by, created_at)
        values (${county}, ${id}, ${side}, ${text}, ${by}, ${at.toISOString()}::timestamptz)`);
      comments++;
    };
    const town = p.town_id ? townUser.get(p.town_id) : undefined;
    if (town && rng.chance(0.6)) await say('town', town, pick(rng, TOWN_COMMENTS), rng.int(18, 60));
    const unit = unitOf.get(p.id);
    if (unit && rng.chance(0.7)) await say('unit', unit, pick(rng, UNIT_COMMENTS), rng.int(30, 90));
    if (kind === 'quarterly' && rng.chance(0.3))
      await say('county', opts.by, pick(rng, COUNTY_COMMENTS), rng.int(48, 120));
  };

  for (const [i, p] of people.rows.entries()) {
    const areas: FsArea[] = p.areas?.length ? p.areas : ['organization'];
    // One person in six lets a log slip now and then; the county's last month misses a few.
    const careless = i % 6 === 4;
    for (const month of monthsBetween(p.account_from, lastMonth)) {
      const due = reportDueOn('monthly', month, 5);
      const isLast = month === lastMonth;
      if ((careless && rng.chance(isLast ? 0.9 : 0.4)) || rng.chance(0.04)) {
        missing++;
        continue;
      }
      const lateBy = careless || rng.chance(0.12) ? rng.int(1, 6) : 0;
      const day = lateBy ? addDays(due, lateBy) : addDays(reportBounds('monthly', month)?.end ?? due, rng.int(-3, 4));
      let madeAt = new Date(`${day}T${String(rng.int(19, 22))}:${String(rng.int(10, 59))}:00+08:00`);
      if (madeAt > now) {
        // Not written yet: one meant to be late and already past its due date came in this morning.
        const earlier = new Date(now.getTime() - rng.int(1, 3) * 3600_000);
        if (!lateBy || shanghaiDate(earlier) <= due) {
          if (today > due) missing++;
          continue;
        }
        madeAt = earlier;
      }
      const tags = [
        ...new Set([
          areas[0],
          pick(rng, areas),
          ...(rng.chance(0.4) ? [pick(rng, [...areas, 'stability'] as FsArea[])] : []),
        ]),
      ];
      const lines = [
        `${fsReportPeriodLabel(month)}在村工作情况：`,
        SEASON[Number(month.slice(5, 7))],
        ...[...new Set(tags.map((a) => pick(rng, DONE[a])))],
        pick(rng, PROBLEMS),
        pick(rng, NEXT),
      ].filter(Boolean);
      await write(p, 'monthly', month, lines.join('\n'), tags, madeAt);
      logs++;
      if (lateBy) late++;
    }
    // The last ended quarter's report, from about half of them.
    const q = reportBounds('quarterly', lastQuarter);
    if (q && rng.chance(0.5)) {
      const madeAt = new Date(`${addDays(q.end, rng.int(2, 9))}T20:${String(rng.int(10, 59))}:00+08:00`);
      if (madeAt <= now) {
        await write(p, 'quarterly', lastQuarter, pick(rng, QUARTER), areas.slice(0, 3), madeAt);
        quarters++;
      }
    }
  }
  return {
    月度工作日志: logs,
    其中逾期提交: late,
    未交的月度日志: missing,
    季度工作报告: quarters,
    汇报批阅意见: comments,
  };
}
