import {
  BranchesOutlined,
  CalendarOutlined,
  DeleteOutlined,
  EditOutlined,
  MergeCellsOutlined,
  PlusOutlined,
  PrinterOutlined,
  TeamOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { Breadcrumb, Button, Card, Descriptions, Empty, Space, Table, Tag, Timeline, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../../app/auth.ts';
import { dateText, orDash, thousands } from '../../app/format.ts';
import { useIsMobile } from '../../app/hooks.ts';
import {
  CHILD_KINDS,
  FIELD_LABELS,
  ORG_EVENT_LABELS,
  ORG_FIELD_LABELS,
  ORG_KIND_LABELS,
  POST_LABELS,
  UNIT_SITUATION_LABELS,
} from '../../app/labels.ts';
import type { OrgChild, OrgChildList, OrgDetail } from '../../app/types.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { ruleInfo } from '../../app/labels.ts';
import { RuleTag, RuleWarnings } from '../../components/RuleWarning.tsx';
import { OrgContactPhone } from './OrgContactPhone.tsx';
import { DissolveModal, MergeModal, MoveModal, type OrgAction, OrgFormModal, PostModal } from './OrgModals.tsx';

type Post = OrgDetail['leadership'][number];

function fieldLabel(f: string | null | undefined): string {
  if (!f) return '未分领域';
  return FIELD_LABELS[f as keyof typeof FIELD_LABELS] ?? f;
}

function historyText(h: OrgDetail['history'][number]): string {
  const d = h.detail as Record<string, unknown>;
  const s = (k: string) => (d[k] === undefined || d[k] === null ? '' : String(d[k]));
  const reason = s('reason') ? `；原因：${s('reason')}` : '';
  switch (h.kind) {
    case 'created':
      return s('parentName') ? `隶属于${s('parentName')}` : '';
    case 'renamed':
      return `由“${s('from')}”更名为“${s('to')}”`;
    case 'updated': {
      const fields = Array.isArray(d.fields) ? (d.fields as string[]) : [];
      return fields.length ? `修改了${fields.map((f) => ORG_FIELD_LABELS[f] ?? f).join('、')}` : '修改了组织信息';
    }
    case 'moved':
      return `隶属关系由“${s('fromParentName') || '—'}”调整到“${s('toParentName')}”${reason}`;
    case 'merged':
      return `并入“${s('intoName')}”，${s('members') || 0} 名党员随之转入${reason}`;
    case 'absorbed':
      return `“${s('fromName')}”并入本组织，转入党员 ${s('members') || 0} 名${reason}`;
    case 'dissolved':
      return `撤销${s('date') ? `（${s('date')}）` : ''}${reason}`;
    case 'postFilled':
      return `${POST_LABELS[s('post') as keyof typeof POST_LABELS] ?? s('post')}：${s('personName')} 任职`;
    case 'postVacated':
      return `${POST_LABELS[s('post') as keyof typeof POST_LABELS] ?? s('post')}登记为空缺`;
    default:
      return Object.keys(d).length ? JSON.stringify(d) : '';
  }
}

/** 下级组织: each active child with its member count and its checks (the first one named, the rest counted). */
function OrgChildren({ org, onShowOrg }: { org: OrgDetail; onShowOrg: (id?: string) => void }) {
  const isMobile = useIsMobile();
  const q = useQuery({
    queryKey: ['orgs', 'children-warnings', org.id, org.version],
    queryFn: ({ signal }) => api.get<OrgChildList>(`/api/orgs/${org.id}/children`, { warnings: true }, signal),
    staleTime: 30_000,
  });
  const withWarnings = (q.data?.items ?? []).filter((c) => c.warnings?.length).length;
  return (
    <>
      <div className="section-title">
        下级组织（{org.counts.children}）
        {withWarnings ? <span className="section-note">{withWarnings} 个有提醒</span> : null}
      </div>
      {q.error ? <ErrorAlert err={q.error} /> : null}
      <Table<OrgChild>
        className="no-print"
        size="small"
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small', showSizeChanger: false }}
        data-testid="org-children"
        columns={[
          {
            title: '组织名称',
            key: 'name',
            render: (_: unknown, c: OrgChild) => (
              <span>
                <a
                  href={`/orgs/${c.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    onShowOrg(c.id);
                  }}
                >
                  {c.name}
                </a>
                {isMobile ? null : (
                  <span className="org-title-kind" style={{ marginInlineStart: 6 }}>
                    {ORG_KIND_LABELS[c.kind] ?? c.kind}
                  </span>
                )}
              </span>
            ),
          },
          {
            title: '党员',
            dataIndex: 'memberCount',
            key: 'memberCount',
            width: 64,
            align: 'right' as const,
            render: (n: number) => thousands(n),
          },
          {
            title: '提醒',
            key: 'warnings',
            width: isMobile ? 110 : 260,
            render: (_: unknown, c: OrgChild) => {
              const w = c.warnings ?? [];
              if (!w.length) return <span className="muted">无</span>;
              return (
                <Tooltip title={w.map((x) => `${ruleInfo(x.rule).name}：${x.message}`).join('；')}>
                  <span>
                    {isMobile ? (
                      <Tag color="warning" style={{ whiteSpace: 'normal' }}>
                        {ruleInfo(w[0].rule).name}
                        {w.length > 1 ? ` 等 ${w.length} 条` : ''}
                      </Tag>
                    ) : (
                      <RuleTag rule={w[0].rule} />
                    )}
                    {!isMobile && w.length > 1 ? <span className="muted">等 {w.length} 条</span> : null}
                  </span>
                </Tooltip>
              );
            },
          },
        ]}
      />
      {/* On paper every child, not the 10 of the screen's first page. */}
      <table className="print-only print-children" data-testid="org-children-print">
        <thead>
          <tr>
            <th>组织名称</th>
            <th>类别</th>
            <th>党员</th>
            <th>提醒</th>
          </tr>
        </thead>
        <tbody>
          {(q.data?.items ?? []).map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{ORG_KIND_LABELS[c.kind] ?? c.kind}</td>
              <td>{thousands(c.memberCount)}</td>
              <td>{(c.warnings ?? []).map((x) => ruleInfo(x.rule).name).join('；') || '无'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function OrgCard({
  org,
  parentKind,
  onShowOrg,
}: {
  org: OrgDetail;
  parentKind?: string;
  onShowOrg: (id?: string) => void;
}) {
  const can = useCan();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const [action, setAction] = useState<OrgAction | null>(null);
  const canWrite = can('orgs.write') && org.status === 'active';
  const path =
    org.path.length && org.path[org.path.length - 1].id === org.id
      ? org.path
      : [...org.path, { id: org.id, name: org.name }];
  const canHaveChildren = (CHILD_KINDS[org.kind] ?? []).length > 0;
  const isTop = org.path.length <= 1;

  const close = () => setAction(null);
  const done = (id?: string) => {
    setAction(null);
    if (id && id !== org.id) onShowOrg(id);
    else if (!id) onShowOrg(undefined);
  };

  const today = dayjs().format('YYYY-MM-DD');
  const termExpired = !!org.termEnd && org.termEnd < today;

  const postColumns = [
    { title: '职务', dataIndex: 'post', key: 'post', width: 100, render: (p: Post['post']) => POST_LABELS[p] ?? p },
    {
      title: '姓名',
      key: 'person',
      render: (_: unknown, p: Post) =>
        p.personName ? (
          p.memberId ? (
            <Link to={`/members/${p.memberId}`}>{p.personName}</Link>
          ) : (
            p.personName
          )
        ) : (
          <Tag color="orange">空缺</Tag>
        ),
    },
    { title: '任职日期', dataIndex: 'startDate', key: 'startDate', render: dateText, responsive: ['sm' as const] },
    {
      title: '任期届满',
      dataIndex: 'termEnd',
      key: 'termEnd',
      render: (d: string | null) =>
        d && d < today ? <span style={{ color: '#cf1322' }}>{d}（已届满）</span> : dateText(d),
    },
    {
      title: '空缺',
      dataIndex: 'vacantSince',
      key: 'vacantSince',
      render: (d: string | null) => (d ? <span style={{ color: '#d46b08' }}>自 {d}</span> : '—'),
      responsive: ['sm' as const],
    },
  ];

  const byField = Object.entries(org.counts.byField).sort((a, b) => b[1] - a[1]);

  return (
    <Card data-testid="org-card" className="org-card">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={path.map((p, i) =>
          i === path.length - 1
            ? { key: p.id, title: p.name }
            : {
                key: p.id,
                title: (
                  <a
                    href={`/orgs/${p.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      onShowOrg(p.id);
                    }}
                  >
                    {p.name}
                  </a>
                ),
              },
        )}
      />
      <div className="page-head" style={{ alignItems: 'flex-start' }}>
        <div style={{ flex: '1 1 300px', minWidth: 0 }}>
          <h2 style={{ margin: 0, fontSize: isMobile ? 18 : 20, lineHeight: 1.4 }} data-testid="org-name">
            {org.name}
          </h2>
          <div className="print-only muted">党组织信息卡 · 打印日期：{new Date().toLocaleDateString('zh-CN')}</div>
          <Space size={[4, 4]} wrap style={{ marginTop: 6 }}>
            <Tag color="red">{ORG_KIND_LABELS[org.kind] ?? org.kind}</Tag>
            {org.field ? <Tag color="blue">{fieldLabel(org.field)}</Tag> : null}
            {org.status !== 'active' ? (
              <Tag color="default">
                {org.status === 'merged' ? '已合并' : org.status === 'dissolved' ? '已撤销' : org.status}
              </Tag>
            ) : null}
            {termExpired ? <Tag color="orange">届期已满</Tag> : null}
            {org.warnings.length ? <Tag color="warning">{org.warnings.length} 条提醒</Tag> : null}
          </Space>
        </div>
      </div>
      <div className="page-actions org-actions">
        <Button
          icon={<TeamOutlined />}
          onClick={() => navigate(`/members?orgId=${org.id}&subtree=true`)}
          data-testid="org-members"
        >
          查看党员
        </Button>
        {can('problems.read') ? (
          <Button
            icon={<CalendarOutlined />}
            onClick={() => navigate(`/problems/calendar/${org.id}`)}
            data-testid="org-calendar"
          >
            组织生活日历
          </Button>
        ) : null}
        {isMobile ? null : (
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="org-print">
            打印
          </Button>
        )}
        {canWrite ? (
          <>
            {canHaveChildren ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setAction('create')}
                data-testid="org-create-child"
              >
                新建下级组织
              </Button>
            ) : null}
            <Button icon={<EditOutlined />} onClick={() => setAction('edit')} data-testid="org-edit">
              编辑
            </Button>
            <Button icon={<UserAddOutlined />} onClick={() => setAction('post')} data-testid="org-post">
              任免班子
            </Button>
            <Button
              icon={<BranchesOutlined />}
              onClick={() => setAction('move')}
              disabled={isTop}
              data-testid="org-move"
            >
              调整隶属
            </Button>
            <Button
              icon={<MergeCellsOutlined />}
              onClick={() => setAction('merge')}
              disabled={isTop}
              data-testid="org-merge"
            >
              合并
            </Button>
            <Button
              danger
              icon={<DeleteOutlined />}
              onClick={() => setAction('dissolve')}
              disabled={isTop}
              data-testid="org-dissolve"
            >
              撤销
            </Button>
          </>
        ) : null}
      </div>

      <RuleWarnings warnings={org.warnings} testId="org-warnings" />

      <div className="section-title">党员人数</div>
      <div className="stat-grid">
        {[
          ['总人数', org.counts.total, '含下级组织'],
          ['正式党员', org.counts.full, ''],
          ['预备党员', org.counts.probationary, ''],
          ['直属党员', org.counts.direct, '直接编在本组织'],
          ['下级组织', org.counts.children, ''],
        ].map(([label, value, hint]) => (
          <Tooltip key={String(label)} title={hint || undefined}>
            <div className="stat-cell">
              <div className="stat-label">{label}</div>
              <div className="stat-value">{thousands(Number(value))}</div>
            </div>
          </Tooltip>
        ))}
      </div>
      {byField.length > 1 || (byField.length === 1 && byField[0][0] !== org.field) ? (
        <div style={{ marginTop: 10 }}>
          <span className="muted" style={{ marginRight: 8 }}>
            按领域：
          </span>
          <Space size={[6, 6]} wrap>
            {byField.map(([f, n]) => (
              <Tag key={f}>
                {fieldLabel(f === 'unknown' ? null : f)} {thousands(n)}
              </Tag>
            ))}
          </Space>
        </div>
      ) : null}

      {org.counts.children > 0 ? <OrgChildren org={org} onShowOrg={onShowOrg} /> : null}

      <div className="section-title">基本信息</div>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, xxl: 3 }}
        styles={{ label: { whiteSpace: 'nowrap', width: 110 } }}
        items={[
          { key: 'shortName', label: '简称', children: orDash(org.shortName) },
          {
            key: 'divisionCode',
            label: '行政区划代码',
            children: <span className="mono">{orDash(org.divisionCode)}</span>,
          },
          { key: 'foundedOn', label: '成立日期', children: dateText(org.foundedOn) },
          ...(org.themedDay ? [{ key: 'themedDay', label: '主题党日', children: `每月 ${org.themedDay} 日` }] : []),
          {
            key: 'term',
            label: '本届届期',
            children:
              org.termStart || org.termEnd
                ? `${dateText(org.termStart)} 至 ${dateText(org.termEnd)}${org.termYears ? `（${org.termYears} 年一届）` : ''}`
                : '—',
          },
          {
            key: 'unitSituation',
            label: '单位情况',
            children: org.unitSituation ? (UNIT_SITUATION_LABELS[org.unitSituation] ?? org.unitSituation) : '—',
          },
          { key: 'unitName', label: '单位名称', children: orDash(org.unitName) },
          { key: 'contact', label: '联系人', children: orDash(org.contactName) },
          { key: 'contactPhone', label: '联系电话', children: <OrgContactPhone org={org} /> },
        ]}
      />

      <div className="section-title">班子成员</div>
      <Table<Post>
        size="small"
        rowKey="id"
        columns={postColumns}
        dataSource={org.leadership}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未登记班子成员" /> }}
        data-testid="org-leadership"
      />

      <div className="section-title">组织沿革</div>
      {org.history.length ? (
        <Timeline
          style={{ marginTop: 8 }}
          items={org.history.map((h, i) => ({
            key: `${h.at}-${i}`,
            color: h.kind === 'dissolved' || h.kind === 'merged' ? 'gray' : h.kind === 'postVacated' ? 'orange' : 'red',
            content: (
              <div>
                <div>
                  <b>{ORG_EVENT_LABELS[h.kind] ?? h.kind}</b>
                  {historyText(h) ? `：${historyText(h)}` : ''}
                </div>
                <div className="muted mono" style={{ fontSize: 12 }}>
                  {h.at}
                </div>
              </div>
            ),
          }))}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无沿革记录" />
      )}

      <OrgFormModal mode="create" org={org} open={action === 'create'} onClose={close} onDone={done} />
      <OrgFormModal
        mode="edit"
        org={org}
        parentKind={parentKind}
        open={action === 'edit'}
        onClose={close}
        onDone={done}
      />
      <MoveModal org={org} open={action === 'move'} onClose={close} onDone={done} />
      <MergeModal org={org} open={action === 'merge'} onClose={close} onDone={done} />
      <DissolveModal org={org} open={action === 'dissolve'} onClose={close} onDone={done} />
      <PostModal org={org} open={action === 'post'} onClose={close} onDone={done} />
    </Card>
  );
}
