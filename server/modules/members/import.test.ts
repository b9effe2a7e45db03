/** The roster parser reads every Chinese character as written, however large the file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseWorkbook } from './import.ts';

describe('parseWorkbook', () => {
  it('reads 5,000 Chinese names and organizations without a single replaced character (exceljs cut characters at its chunk boundaries)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['姓名', '身份证号', '所在党支部', '党员类别', '入党时间', '学历']);
    const fam = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜𠀋';
    const want: [string, string][] = [];
    for (let i = 0; i < 5000; i++) {
      const name = `${[...fam][i % 33]}${[...fam][(i * 7) % 33]}${[...fam][(i * 13) % 33]}同志${i}`;
      const org = `中共第${i}村支部委员会`;
      want.push([name, org]);
      ws.addRow([name, '410225198001011234', org, '正式党员', '2000年1月1日', '大专']);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-parse-'));
    const file = path.join(dir, 'roster.xlsx');
    try {
      await wb.xlsx.writeFile(file);
      const parsed = await parseWorkbook(file);
      expect(parsed.errors).toEqual([]);
      expect(parsed.rows).toHaveLength(5000);
      const got = parsed.rows.map((r) => [r.values.name, r.values.org]);
      const wrong = got.filter((g, i) => g[0] !== want[i][0] || g[1] !== want[i][1]);
      expect(wrong).toEqual([]);
      expect(parsed.rows.every((r) => r.values.education === '大专' && r.values.joinDate === '2000年1月1日')).toBe(
        true,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
