/** 组织生活: the records of an organization (and below), newest first; drafts waiting on this device; the year's ledger. */
import {
  CloudUploadOutlined,
  FileExcelOutlined,
  FileWordOutlined,
  PlusOutlined,
  ReloadOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, DatePicker, Modal, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, download } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { MEETING_KINDS } from '../../app/labels.ts';
import { OFFLINE_MESSAGE, useOfflineEvents, useOfflineItems } from '../../app/offline.ts';
import { useListParams } from '../../app/list-params.ts';
import type { Page } from '../../app/types.ts';
import { ListFilters } from '../../components/ListFilters.tsx';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { MEETING_KIND, type MeetingDraft, type MeetingPayload } from './meeting-drafts.ts';
import { kindLabel, type MeetingSummary, recentYears, ValidTag, wallText } from './shared.tsx';
import { shanghaiMinute } from '../../../../contract/calendar.ts';
import { useFeedback } from '../../app/feedback.tsx';

function when(m: MeetingSummary): string {
  return shanghaiMinute(m.startsAt);
}

/** Records kept on this device (app/offline.ts): waiting for the network, or left unfinished on the form. */
function DraftList({ drafts, syncing, retry }: { drafts: MeetingDraft[]; syncing: boolean; retry: () => void }) {
  const navigate = useNavigate();
  if (!drafts.length) return null;
  const pending = drafts.filter((d) => d.state === 'pending').length;
  return (
    <Card
      size="small"
      className="offline-drafts"
      style={{ marginBottom: 12, borderColor: '#ffd666' }}
      title={
        <span>
          <CloudUploadOutlined /> 待上传（{drafts.length}）
        </span>
      }
      extra={
        pending ? (
          <Button size="small" icon={<ReloadOutlined />} loading={syncing} onClick={retry} data-testid="drafts-retry">
            立即上传
          </Button>
        ) : null
      }
      data-testid="meeting-drafts"
    >
      {pending ? (
        <div className="muted" style={{ marginBottom: 8, fontSize: 13 }}>
          {OFFLINE_MESSAGE}
        </div>
      ) : null}
      {drafts.map((d) => {
        const { values, editOf } = d.payload;
        const photos = d.payload.photos.filter((p) => !p.uploaded && !p.refused).length;
        const to = editOf ? `/meetings/${editOf}/edit` : `/meetings/new?draft=${d.clientId}`;
        return (
          <button
            key={d.clientId}
            type="button"
            className="list-card"
            onClick={() => navigate(to)}
            data-testid="meeting-draft"
          >
            <div className="mc-top">
              <b>{values.kind ? kindLabel(values.kind) : '未选会议类型'}</b>
              <span className="muted">{values.startsAt ? wallText(values.startsAt) : ''}</span>
              <span style={{ flex: 1 }} />
              {d.state === 'pending' ? <Tag color="gold">等待网络</Tag> : <Tag>未保存{editOf ? '的修改' : ''}</Tag>}
            </div>
            <div className="mc-line">
              {values.orgName ?? ''} {values.topic ? `· ${values.topic}` : ''}
            </div>
            <div className="mc-line">
              {photos ? `${photos} 张照片在本机` : '没有待传照片'} · 本机保存于{' '}
              {dayjs(d.savedAt).format('M月D日 HH:mm')}
              {d.lastError && d.state !== 'pending' ? <span style={{ color: '#cf1322' }}> · {d.lastError}</span> : null}
            </div>
          </button>
        );
      })}
    </Card>
  );
}

function LedgerModal({ open, onClose, orgId }: { open: boolean; onClose: () => void; orgId?: string }) {
  const { message } = useFeedback();
  const [org, setOrg] = useState<string | undefined>(orgId);
  const [year, setYear] = useState(recentYears()[0]);
  const [busy, setBusy] = useState<string | null>(null);
  const get = async (format: 'xlsx' | 'docx') => {
    if (!org) return;
    setBusy(format);
    try {
      const name = await download(
        '/api/meetings/ledger',
        { orgId: org, year, format },
        `三会一课台账-${year}.${format}`,
      );
      message.success(`已下载：${name}`);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '下载失败');
    } finally {
      setBusy(null);
    }
  };
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title="年度台账"
      footer={null}
      destroyOnHidden
      afterOpenChange={(o) => o && setOrg(orgId)}
    >
      <div className="muted" style={{ marginBottom: 12 }}>
        按党组织和年度导出三会一课台账：会议时间、类型、主题、出席情况和决议事项。
      </div>
      <Space direction="vertical" style={{ width: '100%' }}>
        <OrgSelect value={org} onChange={setOrg} aria-label="台账的党组织" allowClear={false} />
        <Select
          value={year}
          onChange={setYear}
          options={recentYears().map((y) => ({ value: y, label: `${y} 年` }))}
          style={{ width: 160 }}
          aria-label="年度"
        />
        <Space wrap>
          <Button
            icon={<FileExcelOutlined />}
            disabled={!org}
            loading={busy === 'xlsx'}
            onClick={() => void get('xlsx')}
            data-testid="ledger-xlsx"
          >
            下载 Excel
          </Button>
          <Button
            icon={<FileWordOutlined />}
            disabled={!org}
            loading={busy === 'docx'}
            onClick={() => void get('docx')}
            data-testid="ledger-docx"
          >
            下载 Word
          </Button>
        </Space>
      </Space>
    </Modal>
  );
}

export default function MeetingsPage() {
  useDocumentTitle('组织生活');
  const navigate = useNavigate();
  const can = useCan();
  const me = useMe().data;
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const [ledger, setLedger] = useState(false);
  const { items: drafts, syncing, retry } = useOfflineItems<MeetingPayload>(MEETING_KIND);
  // The shell says what was sent; the list shows it.
  useOfflineEvents((e) => {
    if (e.type === 'sent' && e.kind === MEETING_KIND) void qc.invalidateQueries({ queryKey: ['meetings'] });
  });

  const list = useListParams(['orgId', 'subtree', 'kind', 'from', 'to']);
  const { params, page, set: update } = list;
  const filters = useMemo(() => {
    const f: Record<string, string> = {};
    for (const k of ['orgId', 'kind', 'from', 'to']) if (list.filters[k]) f[k] = list.filters[k];
    if (f.orgId) f.subtree = list.filters.subtree === 'false' ? 'false' : 'true';
    return f;
  }, [list.filters]);

  const meetings = useQuery({
    queryKey: ['meetings', 'list', filters, page],
    queryFn: ({ signal }) => api.get<Page<MeetingSummary>>('/api/meetings', { ...filters, page, pageSize: 20 }, signal),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnsType<MeetingSummary> = [
    { title: '时间', key: 'when', width: 150, render: (_, m) => <Link to={`/meetings/${m.id}`}>{when(m)}</Link> },
    { title: '类型', dataIndex: 'kind', width: 120, render: (k: string) => kindLabel(k) },
    { title: '党组织', dataIndex: 'orgName', ellipsis: true },
    {
      title: '主题',
      dataIndex: 'topic',
      ellipsis: true,
      render: (t: string | null) => t ?? <span className="muted">未填写</span>,
    },
    { title: '出席/应到', key: 'att', width: 100, align: 'right', render: (_, m) => `${m.present}/${m.expected}` },
    {
      title: '照片',
      dataIndex: 'evidenceCount',
      width: 70,
      align: 'right',
      render: (n: number) => (n ? n : <span style={{ color: '#cf1322' }}>无</span>),
    },
    { title: '', key: 'flags', width: 110, render: (_, m) => <ValidTag valid={m.valid} warnings={m.warningCount} /> },
  ];

  const card = (m: MeetingSummary) => (
    <Link to={`/meetings/${m.id}`} className="list-card" data-testid="meeting-card">
      <div className="mc-top">
        <b>{kindLabel(m.kind)}</b>
        <span className="muted">{when(m)}</span>
        <span style={{ flex: 1 }} />
        <ValidTag valid={m.valid} warnings={m.warningCount} />
      </div>
      <div className="mc-line">{m.orgName}</div>
      {m.topic ? <div className="mc-line">{m.topic}</div> : null}
      <div className="mc-line">
        出席 {m.present}/应到 {m.expected} ·{' '}
        {m.evidenceCount ? `照片 ${m.evidenceCount} 张` : <span style={{ color: '#cf1322' }}>无照片</span>}
      </div>
    </Link>
  );

  return (
    <div>
      <div className="page-head">
        <h1>组织生活</h1>
        <div className="page-actions">
          {can('meetings.write') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/meetings/new')}
              data-testid="meeting-new"
            >
              记录组织生活
            </Button>
          ) : null}
          <Button icon={<FileExcelOutlined />} onClick={() => setLedger(true)} data-testid="meeting-ledger">
            年度台账
          </Button>
          <Button
            icon={<TeamOutlined />}
            onClick={() => navigate(`/meetings/appraisal${filters.orgId ? `?orgId=${filters.orgId}` : ''}`)}
          >
            民主评议与谈心谈话
          </Button>
        </div>
      </div>

      <DraftList drafts={drafts} syncing={syncing} retry={retry} />

      <ListFilters onClear={list.active ? list.clear : undefined}>
        <OrgSelect
          style={{ width: isMobile ? '100%' : 280 }}
          value={params.get('orgId') ?? undefined}
          onChange={(id) => update({ orgId: id, subtree: null })}
          placeholder="全部党组织"
          aria-label="党组织"
          data-testid="meetings-org"
        />
        <Checkbox
          checked={params.get('subtree') !== 'false'}
          disabled={!params.get('orgId')}
          onChange={(e) => update({ subtree: e.target.checked ? null : 'false' })}
        >
          含下级
        </Checkbox>
        <Select
          allowClear
          placeholder="全部会议类型"
          style={{ width: isMobile ? '100%' : 160 }}
          value={params.get('kind') ?? undefined}
          onChange={(v: string | undefined) => update({ kind: v })}
          options={MEETING_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
          aria-label="会议类型"
          data-testid="meetings-kind"
        />
        <DatePicker.RangePicker
          style={{ width: isMobile ? '100%' : 260 }}
          value={params.get('from') && params.get('to') ? [dayjs(params.get('from')), dayjs(params.get('to'))] : null}
          onChange={(r) => update({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })}
          placeholder={['开始日期', '结束日期']}
          inputReadOnly={isMobile}
          aria-label="日期范围"
        />
      </ListFilters>

      {meetings.data?.items.some((m) => !m.valid) ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title="标红的记录未达法定人数（支委会到会委员须超过半数）或有需要核实的提示，请打开查看。"
        />
      ) : null}

      <ResponsiveList<MeetingSummary>
        testId="meeting-list"
        list={meetings}
        rowKey="id"
        columns={columns}
        card={card}
        empty={list.active ? '没有符合条件的记录' : '还没有组织生活记录'}
        pager={{ page, pageSize: 20, onChange: (p) => list.setPage(p), unit: '条' }}
        table={{
          rowClassName: (m) => (m.valid ? '' : 'row-invalid'),
          onRow: (m) => ({ onDoubleClick: () => navigate(`/meetings/${m.id}`) }),
        }}
      />
      <LedgerModal open={ledger} onClose={() => setLedger(false)} orgId={filters.orgId ?? me?.orgId} />
    </div>
  );
}
