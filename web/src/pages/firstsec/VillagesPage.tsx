/**
 * 重点村: every village in my scope the county marked for a first secretary (软弱涣散村, 脱贫村, 易地扶贫
 * 搬迁安置村, 乡村振兴任务重的村; FS-1) on the chosen day, with its township, the marks and their days, who
 * serves there and whether the requirement is met (red when not). Filters: township (any organization in
 * scope), mark and day, kept in the address; 导出 Excel gives the same list as a workbook. Those who
 * manage the roster mark a village here too (any village in scope, with or without anyone posted).
 */
import { DownloadOutlined, FlagOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Modal, Select, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { markedVillagesView, markedVillageView } from '../../../../contract/firstsec-trainings.ts';
import { FS_ROLE_LABELS, ORG_DESIGNATION_LABELS, ORG_DESIGNATIONS } from '../../../../contract/labels.ts';
import { api, urlOf } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { useListParams } from '../../app/list-params.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { ListFilters } from '../../components/ListFilters.tsx';
import { Mark, useDownload } from '../tasks/shared.tsx';
import DesignationsCard from './DesignationsCard.tsx';
import { beijingToday } from './roster-shared.tsx';

type Village = z.infer<typeof markedVillageView>;
type View = z.infer<typeof markedVillagesView>;

function Marks({ v }: { v: Village }) {
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
      {v.marks.map((m) => (
        <span key={`${m.kind}-${m.fromDate}`} className="mc-tag mc-tag-blue" title={`${dateText(m.fromDate)}起`}>
          {ORG_DESIGNATION_LABELS[m.kind]}
          <span style={{ opacity: 0.7 }}>
            （{m.fromDate.slice(0, 4)}年{Number(m.fromDate.slice(5, 7))}月起）
          </span>
        </span>
      ))}
    </span>
  );
}

function People({ v }: { v: Village }) {
  if (!v.people.length) return <span style={{ color: '#cf1322' }}>无在岗人员</span>;
  return (
    <span>
      {v.people.map((p, i) => (
        <span key={p.id}>
          {i ? '、' : ''}
          <Link to={`/first-secretaries/${p.id}`}>{p.name}</Link>
          <span className="muted">（{FS_ROLE_LABELS[p.role]}）</span>
        </span>
      ))}
    </span>
  );
}

function Met({ v }: { v: Village }) {
  return v.met ? (
    <Mark color="green">符合</Mark>
  ) : (
    <Mark color="red">{v.needs === 'firstSecretary' ? '缺第一书记' : '缺第一书记或工作队'}</Mark>
  );
}

export default function VillagesPage() {
  useDocumentTitle('重点村');
  const isMobile = useIsMobile();
  const me = useMe().data;
  const list = useListParams(['orgId', 'kind', 'on', 'unmet']);
  const today = beijingToday();
  const on = list.get('on') || today;
  const query = { orgId: list.get('orgId') || undefined, kind: list.get('kind') || undefined, on };
  const q = useQuery({
    queryKey: ['firstsec', 'villages', query],
    queryFn: ({ signal }) => api.get<View>('/api/first-secretaries/designations', query, signal),
    placeholderData: keepPreviousData,
  });
  const download = useDownload();
  const [exporting, setExporting] = useState(false);
  const unmetOnly = list.get('unmet') === '1';
  const rows = (q.data?.items ?? []).filter((v) => !unmetOnly || !v.met);
  const half = 'calc(50% - 6px)';
  const can = useCan();
  const qc = useQueryClient();
  /** The village whose marks are being changed (null: choosing one), or closed (undefined). */
  const [marking, setMarking] = useState<{ orgId: string; orgName: string } | null | undefined>(undefined);
  const closeMarking = () => {
    setMarking(undefined);
    void qc.invalidateQueries({ queryKey: ['firstsec', 'villages'] });
  };

  const columns: ColumnsType<Village> = [
    { title: '乡镇（街道）', key: 'town', width: 170, render: (_, v) => v.townshipName ?? '—' },
    { title: '村（社区）', key: 'org', width: 200, render: (_, v) => v.orgName },
    { title: '重点村标注', key: 'marks', render: (_, v) => <Marks v={v} /> },
    { title: '在岗的第一书记、工作队员', key: 'people', width: 260, render: (_, v) => <People v={v} /> },
    { title: '选派要求', key: 'met', width: 150, render: (_, v) => <Met v={v} /> },
  ];

  return (
    <div>
      <div className="page-head">
        <h1>重点村选派情况</h1>
        <div className="page-actions">
          {can('firstsec.manage') ? (
            <Button icon={<FlagOutlined />} onClick={() => setMarking(null)} data-testid="villages-mark">
              标注重点村
            </Button>
          ) : null}
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            disabled={!q.data?.total}
            onClick={async () => {
              setExporting(true);
              try {
                await download(urlOf('/api/first-secretaries/designations/export', query), '重点村选派情况.xlsx');
              } finally {
                setExporting(false);
              }
            }}
            data-testid="villages-export"
          >
            导出 Excel
          </Button>
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <LazyOrgSelect
          style={{ width: isMobile ? '100%' : 260 }}
          value={list.get('orgId') || me?.orgId}
          onChange={(id) => list.set({ orgId: id && id !== me?.orgId ? id : null })}
          allowClear={false}
          placeholder="选择乡镇（街道）"
          aria-label="乡镇（街道）"
          data-testid="villages-org"
        />
        <Select
          value={list.get('kind') || ''}
          onChange={(v: string) => list.set({ kind: v || null })}
          options={[
            { value: '', label: '全部标注' },
            ...ORG_DESIGNATIONS.map((k) => ({ value: k, label: ORG_DESIGNATION_LABELS[k] })),
          ]}
          style={{ width: isMobile ? half : 210 }}
          aria-label="重点村标注"
          data-testid="villages-kind"
        />
        <DatePicker
          value={dayjs(on)}
          format="YYYY年M月D日"
          allowClear={false}
          inputReadOnly={isMobile}
          disabledDate={(d) => d.format('YYYY-MM-DD') > today}
          onChange={(d) => {
            const v = d ? d.format('YYYY-MM-DD') : null;
            list.set({ on: v && v !== today ? v : null });
          }}
          style={{ width: isMobile ? half : 160 }}
          aria-label="日期"
          data-testid="villages-on"
        />
        <Select
          value={unmetOnly ? '1' : ''}
          onChange={(v: string) => list.set({ unmet: v || null })}
          options={[
            { value: '', label: '全部村' },
            { value: '1', label: '只看不符合要求的' },
          ]}
          style={{ width: isMobile ? half : 160 }}
          aria-label="是否符合"
          data-testid="villages-unmet"
        />
      </ListFilters>
      <ErrorAlert err={q.error} style={{ marginBottom: 12 }} />
      {q.data ? (
        <div style={{ margin: '4px 0 12px' }} data-testid="villages-summary">
          {on === today ? '今天' : dateText(on)}共 {q.data.total} 个重点村，符合选派要求 {q.data.met} 个
          {q.data.total - q.data.met ? (
            <span style={{ color: '#cf1322' }}>，不符合 {q.data.total - q.data.met} 个</span>
          ) : null}
          。
        </div>
      ) : null}
      {isMobile ? (
        <div className="list-cards" data-testid="villages-list">
          {rows.map((v) => (
            <div key={v.orgId} className="list-card" data-testid="village-card">
              <div className="mc-top">
                <b style={{ flex: 1, minWidth: 0 }}>{v.orgName}</b>
                <Met v={v} />
              </div>
              {v.townshipName ? <div className="mc-line muted">{v.townshipName}</div> : null}
              <div className="mc-line">
                <Marks v={v} />
              </div>
              <div className="mc-line">
                <People v={v} />
              </div>
            </div>
          ))}
          {q.data && !rows.length ? <div className="muted">没有符合条件的重点村</div> : null}
        </div>
      ) : (
        <Table<Village>
          size="small"
          rowKey="orgId"
          loading={q.isFetching}
          columns={columns}
          dataSource={rows}
          pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          locale={{
            emptyText: list.active
              ? '没有符合条件的重点村'
              : '还没有标注重点村。在第一书记的个人页面或组织页面标注软弱涣散村等重点村后在此汇总',
          }}
          data-testid="villages-list"
          onRow={(v) =>
            can('firstsec.manage') ? { onDoubleClick: () => setMarking({ orgId: v.orgId, orgName: v.orgName }) } : {}
          }
        />
      )}
      {marking !== undefined ? (
        <Modal
          open
          title="标注重点村"
          onCancel={closeMarking}
          footer={<Button onClick={closeMarking}>完成</Button>}
          width={isMobile ? '100%' : 560}
          style={isMobile ? { top: 8, maxWidth: 'calc(100vw - 16px)' } : undefined}
        >
          <LazyOrgSelect
            style={{ width: '100%', marginBottom: 12 }}
            value={marking?.orgId}
            onChange={(id, org) => setMarking(id ? { orgId: id, orgName: org?.name ?? '' } : null)}
            placeholder="选择村（社区）党组织"
            aria-label="村（社区）党组织"
            data-testid="villages-mark-org"
          />
          {marking ? (
            <DesignationsCard key={marking.orgId} orgId={marking.orgId} orgName={marking.orgName} />
          ) : (
            <span className="muted">先选择要标注的村（社区）党组织。</span>
          )}
        </Modal>
      ) : null}
    </div>
  );
}
