/**
 * 民主评议党员 (LIFE-8) and 谈心谈话 (LIFE-7) of one organization for a year: a grade per member
 * (default 合格) with the handling of 不合格, the 优秀 ≤ 1/3 warning live; and the committee's
 * heart-to-heart talk matrix with the members nobody on the committee has talked to yet.
 */
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Empty, Input, Select, Skeleton, Space, Table, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import {
  APPRAISAL_GRADE_LABELS,
  APPRAISAL_GRADES,
  HANDLING_LABELS,
  HANDLINGS,
  MEMBER_ORG_KINDS,
  POST_LABELS,
} from '../../app/labels.ts';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import type { OrgDetail } from '../../app/types.ts';
import { type AppraisalView, recentYears, type TalkMatrix } from './shared.tsx';
import { useFeedback } from '../../app/feedback.tsx';

type Grade = (typeof APPRAISAL_GRADES)[number];
type Handling = (typeof HANDLINGS)[number];
interface Row {
  grade: Grade;
  handling?: Handling;
  handlingNote?: string;
  handlingEndsOn?: string;
}

function Appraisal({ orgId, year }: { orgId: string; year: number }) {
  const qc = useQueryClient();
  const can = useCan();
  const me = useMe().data;
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const q = useQuery({
    queryKey: ['appraisals', orgId, year],
    queryFn: () => api.get<AppraisalView>(`/api/appraisals/${orgId}/${year}`),
  });
  const draftKey = `appraisal.${me?.id ?? 'anon'}.${orgId}.${year}`;
  const [rows, setRows] = useState<Record<string, Row>>({});
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!q.data) return;
    const base: Record<string, Row> = {};
    for (const m of q.data.members)
      base[m.memberId] = {
        grade: m.grade ?? 'qualified',
        handling: m.handling ?? undefined,
        handlingNote: m.handlingNote ?? undefined,
        handlingEndsOn: m.handlingEndsOn ?? undefined,
      };
    const d = loadDraft<Record<string, Row>>(draftKey);
    setRows(d ? { ...base, ...d.values } : base);
  }, [q.data, draftKey]);
  const set = (id: string, patch: Partial<Row>) =>
    setRows((prev) => {
      const next = { ...prev, [id]: { ...prev[id], ...patch } };
      saveDraft(draftKey, next);
      return next;
    });
  const members = q.data?.members ?? [];
  const excellent = members.filter((m) => rows[m.memberId]?.grade === 'excellent').length;
  const ratio = q.data?.excellentLimit || 1 / 3;
  // The limit is a share (1/3 by default; a county may change it); the count it allows, rounded down.
  const limit = ratio > 1 ? ratio : Math.floor(members.length * ratio + 1e-9);
  const over = members.length > 0 && excellent > limit;
  const share = ratio > 1 ? '' : Math.abs(ratio - 1 / 3) < 0.001 ? '三分之一' : `${Math.round(ratio * 100)}%`;
  const missingHandling = members.filter(
    (m) => rows[m.memberId]?.grade === 'unqualified' && !rows[m.memberId]?.handling,
  );

  const save = async () => {
    setErr(null);
    if (missingHandling.length)
      return setErr(new Error(`请为评为不合格的党员选择处置方式：${missingHandling.map((m) => m.name).join('、')}`));
    setBusy(true);
    try {
      await api.put(`/api/appraisals/${orgId}/${year}`, {
        grades: members.map((m) => {
          const r = rows[m.memberId] ?? { grade: 'qualified' };
          const bad = r.grade === 'unqualified';
          return {
            memberId: m.memberId,
            grade: r.grade,
            handling: bad ? r.handling : undefined,
            handlingNote: bad && r.handlingNote?.trim() ? r.handlingNote.trim() : undefined,
            handlingEndsOn: bad && r.handling === 'correct' ? r.handlingEndsOn : undefined,
          };
        }),
      });
      clearDraft(draftKey);
      await qc.invalidateQueries({ queryKey: ['appraisals', orgId, year] });
      message.success('已保存评议结果');
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  if (q.isLoading) return <Skeleton active />;
  if (q.error) return <ErrorAlert err={q.error} />;
  if (!members.length) return <Empty description="该组织没有党员" />;
  const writable = can('meetings.write');
  return (
    <div>
      <div style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}>
        <Alert
          type={over ? 'error' : 'info'}
          showIcon
          data-testid="appraisal-share"
          title={`评为优秀 ${excellent} 人，占 ${((excellent / members.length) * 100).toFixed(0)}%${over ? `，超过${share || '上限'}（最多 ${limit} 人）` : `（最多 ${limit} 人）`}`}
        />
        {q.data?.warnings.map((w) => (
          <Alert key={w.code} type="warning" showIcon title={w.message} />
        ))}
        <ErrorAlert err={err} />
      </div>
      <Table
        size="small"
        rowKey="memberId"
        pagination={false}
        dataSource={members}
        scroll={{ x: isMobile ? 560 : undefined }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 100, fixed: 'left' },
          {
            title: '评议等次',
            key: 'grade',
            width: 150,
            render: (_, m) => (
              <Select
                size="small"
                style={{ width: 130 }}
                disabled={!writable}
                value={rows[m.memberId]?.grade ?? 'qualified'}
                onChange={(grade: Grade) => set(m.memberId, { grade })}
                options={APPRAISAL_GRADES.map((g) => ({ value: g, label: APPRAISAL_GRADE_LABELS[g] }))}
                aria-label={`${m.name}的评议等次`}
              />
            ),
          },
          {
            title: '不合格党员处置',
            key: 'handling',
            render: (_, m) => {
              const r = rows[m.memberId];
              if (r?.grade !== 'unqualified') return <span className="muted">—</span>;
              return (
                <Space wrap size={4}>
                  <Select
                    size="small"
                    style={{ width: 120 }}
                    status={r.handling ? undefined : 'error'}
                    placeholder="处置方式"
                    value={r.handling}
                    onChange={(handling: Handling) => set(m.memberId, { handling })}
                    options={HANDLINGS.map((h) => ({ value: h, label: HANDLING_LABELS[h] }))}
                    aria-label={`${m.name}的处置方式`}
                  />
                  {r.handling === 'correct' ? (
                    <DatePicker
                      size="small"
                      placeholder="改正期限"
                      value={r.handlingEndsOn ? dayjs(r.handlingEndsOn) : null}
                      onChange={(d) => set(m.memberId, { handlingEndsOn: d?.format('YYYY-MM-DD') })}
                      aria-label="限期改正截止日期"
                    />
                  ) : null}
                  <Input
                    size="small"
                    style={{ width: 180 }}
                    placeholder="说明（可选）"
                    maxLength={500}
                    value={r.handlingNote}
                    onChange={(e) => set(m.memberId, { handlingNote: e.target.value })}
                  />
                </Space>
              );
            },
          },
          {
            title: '登记情况',
            key: 'reviewedOn',
            width: 110,
            render: (_, m) =>
              m.reviewedOn ? `${m.reviewedOn} 评议` : m.grade ? <Tag color="green">已登记</Tag> : <Tag>未登记</Tag>,
          },
        ]}
      />
      {writable ? (
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 12 }}>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            loading={busy}
            onClick={() => void save()}
            data-testid="appraisal-save"
          >
            保存评议结果
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function Talks({ orgId, year }: { orgId: string; year: number }) {
  const q = useQuery({
    queryKey: ['talks', orgId, year],
    queryFn: () => api.get<TalkMatrix>('/api/meetings/talks', { orgId, year }),
  });
  const pairs = useMemo(() => {
    const s = new Map<string, string>();
    for (const t of q.data?.talks ?? []) {
      s.set(`${t.fromId}|${t.toId}`, t.meetingId);
      if (!s.has(`${t.toId}|${t.fromId}`)) s.set(`${t.toId}|${t.fromId}`, t.meetingId);
    }
    return s;
  }, [q.data]);
  if (q.isLoading) return <Skeleton active />;
  if (q.error) return <ErrorAlert err={q.error} />;
  const c = q.data?.committee ?? [];
  if (!c.length) return <Empty description="该组织没有登记班子成员，谈心谈话按班子成员统计" />;
  const missingPairs = c.flatMap((a, i) =>
    c
      .slice(i + 1)
      .filter((b) => !pairs.has(`${a.memberId}|${b.memberId}`))
      .map((b) => `${a.name}—${b.name}`),
  );
  return (
    <div>
      <Alert
        type={missingPairs.length ? 'warning' : 'success'}
        showIcon
        style={{ marginBottom: 12 }}
        title={
          missingPairs.length
            ? `班子成员之间还有 ${missingPairs.length} 对未谈心谈话：${missingPairs.slice(0, 10).join('、')}${missingPairs.length > 10 ? ' 等' : ''}`
            : '班子成员之间已两两谈心谈话'
        }
      />
      <div className="grid-scroll" style={{ marginBottom: 16 }}>
        <table className="life-grid" data-testid="talk-matrix">
          <thead>
            <tr>
              <th>谈话人＼对象</th>
              {c.map((b) => (
                <th key={b.memberId}>{b.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.map((a) => (
              <tr key={a.memberId}>
                <th>
                  {a.name}
                  <div className="muted" style={{ fontSize: 11 }}>
                    {(POST_LABELS as Record<string, string>)[a.post] ?? '委员'}
                  </div>
                </th>
                {c.map((b) => {
                  if (a.memberId === b.memberId) return <td key={b.memberId} className="cal-running" />;
                  const mid = pairs.get(`${a.memberId}|${b.memberId}`);
                  return mid ? (
                    <td key={b.memberId} className="cal-ok">
                      <Link to={`/meetings/${mid}`} title="查看谈话记录" style={{ color: 'inherit' }}>
                        ✓
                      </Link>
                    </td>
                  ) : (
                    <td key={b.memberId} className="cal-miss">
                      未谈
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Card size="small" title={`班子成员尚未谈话的党员（${q.data?.membersNotTalkedTo.length ?? 0}）`}>
        {q.data?.membersNotTalkedTo.length ? (
          q.data.membersNotTalkedTo.map((m) => <Tag key={m.memberId}>{m.name}</Tag>)
        ) : (
          <span className="muted">每名党员都已和班子成员谈心谈话</span>
        )}
      </Card>
    </div>
  );
}

export default function AppraisalPage() {
  const location = useLocation();
  const talksFirst = location.pathname.endsWith('/talks');
  useDocumentTitle(talksFirst ? '谈心谈话' : '民主评议党员');
  const navigate = useNavigate();
  const me = useMe().data;
  const [params, setParams] = useSearchParams();
  const orgId = params.get('orgId') ?? me?.orgId;
  const year = Number(params.get('year')) || recentYears()[0];
  const set = (k: string, v: string | undefined) =>
    setParams((cur) => {
      const n = new URLSearchParams(cur);
      if (v) n.set(k, v);
      else n.delete(k);
      return n;
    });
  const org = useQuery({
    queryKey: ['orgs', 'detail', orgId],
    enabled: !!orgId,
    queryFn: () => api.get<OrgDetail>(`/api/orgs/${orgId}`),
  });
  const notBranch = org.data && !MEMBER_ORG_KINDS.has(org.data.kind);
  return (
    <div>
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={() => navigate('/meetings')} />
          民主评议与谈心谈话
        </h1>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <div className="filter-bar">
          <OrgSelect
            value={orgId}
            onChange={(id) => set('orgId', id)}
            allowClear={false}
            style={{ maxWidth: 360 }}
            aria-label="党组织"
          />
          <Select
            value={year}
            onChange={(y: number) => set('year', String(y))}
            options={recentYears().map((y) => ({ value: y, label: `${y} 年` }))}
            style={{ width: 120 }}
            aria-label="年度"
          />
        </div>
      </Card>
      {notBranch ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="民主评议和谈心谈话以党支部为单位开展，请选择具体的党支部。"
        />
      ) : null}
      {orgId && !notBranch ? (
        <Card size="small">
          <Tabs
            activeKey={talksFirst ? 'talks' : 'appraisal'}
            onChange={(k) =>
              navigate(
                { pathname: k === 'talks' ? '/meetings/talks' : '/meetings/appraisal', search: params.toString() },
                { replace: true },
              )
            }
            items={[
              { key: 'appraisal', label: '民主评议党员', children: <Appraisal orgId={orgId} year={year} /> },
              { key: 'talks', label: '谈心谈话', children: <Talks orgId={orgId} year={year} /> },
            ]}
          />
        </Card>
      ) : null}
    </div>
  );
}
