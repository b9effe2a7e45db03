/**
 * 目标责任书: the year's target sheets of my organization and those below it — whose sheet, its secretary
 * (the 第一责任人 on 1 January), who set it, the total weight, the score so far and whether every target
 * is scored (已兑标). A sheet opens TargetSheetPage; those who issue tasks set a new one
 * (TargetCreateModal, loaded when opened).
 */
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Select, Skeleton } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { useListParams } from '../../app/list-params.ts';
import type { TargetSheet } from '../../app/types.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { Table } from '../../components/LazyTable.tsx';
import { ListFilters } from '../../components/ListFilters.tsx';
import { beijingToday, SettledMark, scoreText } from './shared.tsx';

const TargetCreateModal = lazy(() => import('./TargetCreateModal.tsx'));

export default function TargetsPage() {
  useDocumentTitle('目标责任书');
  const navigate = useNavigate();
  const can = useCan();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const thisYear = Number(beijingToday().slice(0, 4));
  const list = useListParams(['orgId', 'year']);
  const year = Number(list.get('year')) || thisYear;
  const [creating, setCreating] = useState(false);
  const [opened, setOpened] = useState(false);
  const sheets = useQuery({
    queryKey: ['targets', 'list', list.filters],
    queryFn: ({ signal }) =>
      api.get<TargetSheet[]>('/api/targets', { orgId: list.get('orgId') || undefined, year }, signal),
  });
  const years = Array.from({ length: 6 }, (_, i) => thisYear + 1 - i);

  const columns: ColumnsType<TargetSheet> = [
    {
      title: '责任组织',
      key: 'org',
      ellipsis: true,
      render: (_, s) => <Link to={`/targets/${s.id}`}>{s.orgName}</Link>,
    },
    {
      title: '书记（第一责任人）',
      key: 'secretary',
      width: 170,
      render: (_, s) => s.secretary ?? <span className="muted">空缺</span>,
    },
    { title: '设定单位', dataIndex: 'issuerOrgName', width: 200, ellipsis: true },
    { title: '目标', key: 'items', width: 80, align: 'right', render: (_, s) => `${s.items.length} 项` },
    { title: '总分值', key: 'weight', width: 90, align: 'right', render: (_, s) => scoreText(s.weight) },
    { title: '得分', key: 'score', width: 90, align: 'right', render: (_, s) => scoreText(s.score) },
    { title: '兑标', key: 'settled', width: 100, render: (_, s) => <SettledMark s={s} /> },
  ];

  const data = sheets.data ?? [];
  return (
    <div>
      <div className="page-head">
        <h1>目标责任书</h1>
        <div className="page-actions">
          {can('lists.issue') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setOpened(true);
                setCreating(true);
              }}
              data-testid="target-new"
            >
              设定目标责任书
            </Button>
          ) : null}
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <Select
          style={{ width: isMobile ? '100%' : 140 }}
          value={year}
          options={years.map((y) => ({ value: y, label: `${y}年度` }))}
          onChange={(y) => list.set({ year: y === thisYear ? null : y })}
          showSearch={false}
          aria-label="年度"
          data-testid="target-year"
        />
        <LazyOrgSelect
          style={{ width: isMobile ? '100%' : 320 }}
          value={list.get('orgId') || me?.orgId}
          onChange={(id) => list.set({ orgId: id && id !== me?.orgId ? id : null })}
          allowClear={false}
          placeholder="选择党组织"
          aria-label="党组织"
          data-testid="target-org"
        />
      </ListFilters>
      <ErrorAlert err={sheets.error} style={{ marginBottom: 12 }} />
      {sheets.isLoading ? <Skeleton active /> : null}
      {sheets.data && !data.length ? (
        <Card size="small">
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={
              can('lists.issue')
                ? `${year}年度还没有目标责任书。点“设定目标责任书”，为下级组织设定年度目标及分值`
                : `${year}年度还没有目标责任书`
            }
          />
        </Card>
      ) : null}
      {data.length ? (
        isMobile ? (
          <div className="list-cards" data-testid="target-list">
            {data.map((s) => (
              <Link key={s.id} to={`/targets/${s.id}`} className="list-card" data-testid="target-card">
                <div className="mc-top">
                  <b style={{ flex: 1, minWidth: 0 }}>{s.orgName}</b>
                  <SettledMark s={s} />
                </div>
                <div className="mc-line">
                  书记 {s.secretary ?? '空缺'} · {s.issuerOrgName}设定
                </div>
                <div className="mc-line">
                  {s.items.length} 项目标 · 总分值 {scoreText(s.weight)} · 得分 {scoreText(s.score)}
                </div>
              </Link>
            ))}
          </div>
        ) : (
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <div data-testid="target-list">
              <Table<TargetSheet>
                rowKey="id"
                size="middle"
                columns={columns}
                dataSource={data}
                pagination={data.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                onRow={(s) => ({ onDoubleClick: () => navigate(`/targets/${s.id}`) })}
              />
            </div>
          </Card>
        )
      ) : null}
      <Suspense fallback={null}>
        {opened ? <TargetCreateModal open={creating} onClose={() => setCreating(false)} year={year} /> : null}
      </Suspense>
    </div>
  );
}
