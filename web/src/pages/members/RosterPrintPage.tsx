/**
 * 党员花名册 for printing: the members of the current search, one section per organization (each on a
 * new page), the organization's name and the print date repeated at the top of every printed page.
 */
import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Skeleton } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { api, type Query } from '../../app/api.ts';
import { useCodeLists } from '../../app/codes.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useDocumentTitle } from '../../app/hooks.ts';
import { joinDateText } from '../../app/join-date.ts';
import { SEX_LABELS, STANDING_LABELS } from '../../app/labels.ts';
import type { MemberView, Page } from '../../app/types.ts';

const MAX_ROWS = 3000;
const FILTERS = [
  'q',
  'orgId',
  'subtree',
  'field',
  'standing',
  'sex',
  'lostContact',
  'ageMin',
  'ageMax',
  'joinYearMin',
  'joinYearMax',
];

async function fetchAll(filters: Query, signal: AbortSignal): Promise<{ items: MemberView[]; total: number }> {
  const items: MemberView[] = [];
  let total = 0;
  for (let page = 1; items.length < MAX_ROWS; page++) {
    // The printed roster shows phone numbers: a secretary's own branch then comes with them (audited).
    const res = await api.get<Page<MemberView>>(
      '/api/members',
      { ...filters, sort: 'org', page, pageSize: 200, phones: 'true' },
      signal,
    );
    total = res.total;
    items.push(...res.items);
    if (res.items.length < 200) break;
  }
  return { items, total };
}

export default function RosterPrintPage() {
  useDocumentTitle('党员花名册');
  const [params] = useSearchParams();
  const codes = useCodeLists();
  const filters = useMemo(
    () => Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v)) as Query,
    [params],
  );
  const q = useQuery({ queryKey: ['members', 'print', filters], queryFn: ({ signal }) => fetchAll(filters, signal) });
  const printed = new Date().toLocaleDateString('zh-CN');
  const groups = useMemo(() => {
    const out = new Map<string, MemberView[]>();
    for (const m of q.data?.items ?? []) out.set(m.orgName, [...(out.get(m.orgName) ?? []), m]);
    return [...out];
  }, [q.data]);
  return (
    <div className="roster-print" data-testid="roster-print">
      <div className="no-print" style={{ display: 'flex', gap: 12, alignItems: 'center', marginBottom: 16 }}>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          disabled={!q.data}
          data-testid="roster-print-button"
        >
          打印
        </Button>
        <span className="muted">
          每个党组织从新的一页开始；每页顶部印有党组织名称和打印日期。身份证号码、电话按您的权限脱敏。
        </span>
      </div>
      <ErrorAlert err={q.error} />
      {q.isLoading ? <Skeleton active /> : null}
      {q.data && q.data.total > q.data.items.length ? (
        <Alert
          className="no-print"
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`共 ${q.data.total} 人，一次最多打印 ${MAX_ROWS} 人：请按党组织分别打印。`}
        />
      ) : null}
      {groups.map(([org, members]) => (
        <section key={org}>
          <table>
            <thead>
              <tr className="roster-title">
                <th colSpan={11}>{org}党员花名册</th>
              </tr>
              <tr className="roster-meta">
                <th colSpan={11}>
                  共 {members.length} 人 · 打印日期：{printed}
                </th>
              </tr>
              <tr>
                <th>序号</th>
                <th>姓名</th>
                <th>性别</th>
                <th>{members[0]?.birthDate ? '出生日期' : '年龄'}</th>
                <th>民族</th>
                <th>学历</th>
                <th>党员类别</th>
                <th>入党日期</th>
                <th>转正日期</th>
                <th>职务</th>
                <th>联系电话</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m, i) => (
                <tr key={m.id}>
                  <td>{i + 1}</td>
                  <td>{m.name}</td>
                  <td>{SEX_LABELS[m.sex]}</td>
                  <td>{m.birthDate ?? `${m.age} 岁`}</td>
                  <td>{codes.label('ethnicity', m.ethnicity) ?? ''}</td>
                  <td>{codes.label('education', m.education) ?? ''}</td>
                  <td>{STANDING_LABELS[m.standing]}</td>
                  <td>{joinDateText(m)}</td>
                  <td>{m.fullDate ?? ''}</td>
                  <td>{m.post ?? ''}</td>
                  <td>{m.phone ?? m.phoneMasked ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
