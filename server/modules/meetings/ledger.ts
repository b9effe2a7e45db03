/**
 * The yearly ledger of 三会一课 (台账) of one organization: an .xlsx (one sheet, a row per record) and
 * a .docx (a table per quarter, then each record's minutes as plain paragraphs). Read with the pool,
 * written to the caller's stream.
 */
import type { Writable } from 'node:stream';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { sql } from 'drizzle-orm';
import { DECISION_TAG_LABELS, MEETING_KIND_LABELS, type MeetingKind } from '../../../contract/meetings.ts';
import type { Tx } from '../../db/index.ts';
import { childOf, inCounty, joinOrg, orgInScopeSql, requireOrgAccess } from '../../platform/access.ts';
import { addRow, addSheet, createStreamingWorkbook, setColumns } from '../../platform/xlsx-cells.ts';
import { minutesParagraphs } from './minutes.ts';
import type { U } from './service.ts';

export interface LedgerRow {
  heldOn: string;
  kind: MeetingKind;
  topic: string;
  place: string;
  chair: string;
  present: number;
  expected: number;
  decisions: string;
  evidence: number;
  valid: boolean;
  minutesHtml: string | null;
}

export const LEDGER_HEADERS = [
  '日期',
  '会议类型',
  '主题',
  '地点',
  '主持人',
  '实到/应到',
  '决议事项',
  '影像资料（个）',
  '备注',
];

/** The organization's live records of the year, in date order. */
export async function ledgerRows(
  tx: Tx,
  user: U,
  orgId: string,
  year: number,
): Promise<{ orgName: string; rows: LedgerRow[] }> {
  const org = await requireOrgAccess(tx, user, orgId);
  const r = await tx.execute<Record<string, unknown>>(sql`
    select to_char(mt.held_on, 'YYYY-MM-DD') as held_on, mt.kind, mt.topic, mt.place, coalesce(case when ${orgInScopeSql(user, 'co')} then ch.name end, mt.chair_name) as chair, mt.valid, mt.minutes_html,
      (select count(*)::int from meeting_attendance a where ${childOf('mt', 'a', 'meeting_id')} and a.status = 'present') as present,
      (select count(*)::int from meeting_attendance a where ${childOf('mt', 'a', 'meeting_id')}) as expected,
      (select count(*)::int from evidence e where ${childOf('mt', 'e', 'owner_id')} and e.owner_type = 'meeting' and e.deleted_at is null) as evidence,
      (select coalesce(json_agg(json_build_object('tag', d.tag, 'text', d.text) order by d.sort_order), '[]'::json)
         from meeting_decisions d where ${childOf('mt', 'd', 'meeting_id')}) as decisions
    from meetings mt
    left join members ch on ch.county_code = mt.county_code and ch.id = mt.chair_member_id
    ${joinOrg('ch', 'co', 'org_id', 'left join')}
    where ${inCounty(org.countyCode, 'mt')} and mt.org_id = ${org.id} and mt.deleted_at is null and mt.held_on between ${`${year}-01-01`} and ${`${year}-12-31`}
    order by mt.starts_at, mt.id`);
  return {
    orgName: org.name,
    rows: r.rows.map((x) => ({
      heldOn: String(x.held_on),
      kind: x.kind as MeetingKind,
      topic: (x.topic as string | null) ?? '',
      place: (x.place as string | null) ?? '',
      chair: (x.chair as string | null) ?? '',
      present: Number(x.present),
      expected: Number(x.expected),
      decisions: (x.decisions as { tag: keyof typeof DECISION_TAG_LABELS; text: string }[])
        .map((d) => `${DECISION_TAG_LABELS[d.tag] ?? d.tag}：${d.text}`)
        .join('\n'),
      evidence: Number(x.evidence),
      valid: Boolean(x.valid),
      minutesHtml: (x.minutes_html as string | null) ?? null,
    })),
  };
}

function cells(r: LedgerRow): string[] {
  return [
    r.heldOn,
    MEETING_KIND_LABELS[r.kind],
    r.topic,
    r.place,
    r.chair,
    r.expected ? `${r.present}/${r.expected}` : '',
    r.decisions,
    String(r.evidence),
    r.valid ? '' : '不计入（未超过半数）',
  ];
}

export async function writeLedgerXlsx(orgName: string, year: number, rows: LedgerRow[], out: Writable): Promise<void> {
  const wb = createStreamingWorkbook('ledger', out, { useStyles: true });
  const ws = addSheet(wb, `${year}年台账`);
  setColumns(
    ws,
    [12, 14, 30, 16, 10, 10, 40, 12, 18].map((width) => ({ width })),
  );
  // Every cell through addRow, the title too: it begins with the organization's name (SEC-20).
  const title = addRow(ws, [`${orgName} ${year} 年三会一课台账`]);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, LEDGER_HEADERS.length);
  title.commit();
  const head = addRow(ws, LEDGER_HEADERS);
  head.font = { bold: true };
  head.commit();
  for (const r of rows) {
    const row = addRow(ws, cells(r));
    row.getCell(7).alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  addRow(ws, [`共 ${rows.length} 条记录`]).commit();
  ws.commit();
  await wb.commit();
}

const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度'];

function cell(text: string, bold = false): TableCell {
  return new TableCell({
    children: text.split('\n').map((t) => new Paragraph({ children: [new TextRun({ text: t, bold })] })),
  });
}

export async function ledgerDocx(orgName: string, year: number, rows: LedgerRow[]): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      children: [new TextRun(`${orgName} ${year} 年三会一课台账`)],
    }),
  ];
  for (let q = 0; q < 4; q++) {
    const inQ = rows.filter((r) => Math.floor((Number(r.heldOn.slice(5, 7)) - 1) / 3) === q);
    children.push(
      new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`${QUARTERS[q]}（${inQ.length} 条）`)] }),
    );
    if (!inQ.length) {
      children.push(new Paragraph('本季度无记录。'));
      continue;
    }
    children.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({ tableHeader: true, children: LEDGER_HEADERS.map((h) => cell(h, true)) }),
          ...inQ.map((r) => new TableRow({ children: cells(r).map((c) => cell(c)) })),
        ],
      }),
    );
  }
  const withMinutes = rows.filter((r) => r.minutesHtml);
  if (withMinutes.length) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('会议记录')] }));
    for (const r of withMinutes) {
      children.push(
        new Paragraph({
          heading: HeadingLevel.HEADING_2,
          children: [new TextRun(`${r.heldOn} ${MEETING_KIND_LABELS[r.kind]}${r.topic ? `：${r.topic}` : ''}`)],
        }),
      );
      for (const p of minutesParagraphs(r.minutesHtml)) children.push(new Paragraph(p));
    }
  }
  const doc = new Document({
    creator: '党建平台',
    title: `${orgName} ${year} 年三会一课台账`,
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
