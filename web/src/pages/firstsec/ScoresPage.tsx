/**
 * 年度考核: the yearly score of every first secretary, work-team member and instructor posted in my scope,
 * best first — each part's points as the county weighs them (the weights are county settings), the parts
 * with nothing to judge shown as 不计, and whether the township's and the dispatching unit's marks are in.
 * The person's page gives the marks.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Select, Table, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { scoreView } from '../../../../contract/firstsec-score.ts';
import { FS_ROLE_LABELS, FS_SCORE_PART_LABELS, FS_SCORE_PARTS } from '../../../../contract/labels.ts';
import { api, urlOf } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { useListParams } from '../../app/list-params.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { ListFilters } from '../../components/ListFilters.tsx';
import { Mark, useDownload } from '../tasks/shared.tsx';
import { beijingToday } from './roster-shared.tsx';

type ScoreView = z.infer<typeof scoreView>;

function PartCell({ s, part }: { s: ScoreView; part: (typeof FS_SCORE_PARTS)[number] }) {
  const p = s.parts.find((x) => x.part === part);
  if (!p) return null;
  return (
    <Tooltip title={p.note}>
      {p.points === null ? <span className="muted">不计</span> : <span>{p.points.toFixed(1)}</span>}
    </Tooltip>
  );
}

function Total({ s }: { s: ScoreView }) {
  if (s.total === null) return <span className="muted">无可计分项</span>;
  return (
    <span>
      <b style={{ fontSize: 16 }}>{s.total.toFixed(1)}</b>{' '}
      {s.final ? <Mark color="green">已定</Mark> : <Mark color="gold">暂计</Mark>}
    </span>
  );
}

export default function ScoresPage() {
  useDocumentTitle('第一书记年度考核');
  const isMobile = useIsMobile();
  const me = useMe().data;
  const list = useListParams(['orgId', 'year']);
  // The year in Beijing, as the server judges it (not the browser's clock zone).
  const thisYear = Number(beijingToday().slice(0, 4));
  const year = Number(list.get('year')) || thisYear;
  const q = useQuery({
    queryKey: ['firstsec', 'scores', year, list.get('orgId')],
    queryFn: ({ signal }) =>
      api.get<{ year: number; items: ScoreView[] }>(
        '/api/first-secretaries/scores',
        { year, orgId: list.get('orgId') || undefined },
        signal,
      ),
  });
  const items = q.data?.items ?? [];
  const download = useDownload();
  const [exporting, setExporting] = useState(false);
  const columns: ColumnsType<ScoreView> = [
    { title: '名次', key: 'rank', width: 60, render: (_, s, i) => (s.total === null ? '—' : i + 1) },
    {
      title: '姓名',
      key: 'name',
      width: 100,
      render: (_, s) => <Link to={`/first-secretaries/${s.fsId}`}>{s.name}</Link>,
    },
    { title: '类别', key: 'role', width: 100, render: (_, s) => FS_ROLE_LABELS[s.role] },
    {
      title: '驻村（联系）组织',
      key: 'org',
      width: 200,
      render: (_, s) => (
        <span>
          {s.orgName}
          {s.townshipName ? <div className="muted insp-sub">{s.townshipName}</div> : null}
        </span>
      ),
    },
    ...FS_SCORE_PARTS.map((part) => ({
      title: `${FS_SCORE_PART_LABELS[part]}（${items[0]?.parts.find((x) => x.part === part)?.weight ?? ''}）`,
      key: part,
      width: 96,
      render: (_: unknown, s: ScoreView) => <PartCell s={s} part={part} />,
    })),
    { title: '总分', key: 'total', width: 110, render: (_, s) => <Total s={s} /> },
  ];

  return (
    <div>
      <div className="page-head">
        <h1>第一书记年度考核</h1>
        <div className="page-actions">
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            disabled={!items.length}
            onClick={async () => {
              setExporting(true);
              try {
                await download(
                  urlOf('/api/first-secretaries/scores/export', { year, orgId: list.get('orgId') || undefined }),
                  `第一书记年度考核-${year}年.xlsx`,
                );
              } finally {
                setExporting(false);
              }
            }}
            data-testid="scores-export"
          >
            导出 Excel
          </Button>
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <LazyOrgSelect
          style={{ width: isMobile ? '100%' : 280 }}
          value={list.get('orgId') || me?.orgId}
          onChange={(id) => list.set({ orgId: id && id !== me?.orgId ? id : null })}
          allowClear={false}
          placeholder="选择党组织"
          aria-label="驻村（联系）组织"
        />
        <Select
          value={year}
          onChange={(y: number) => list.set({ year: y === thisYear ? null : String(y) })}
          options={[thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: `${y}年` }))}
          style={{ width: isMobile ? '100%' : 120 }}
          aria-label="年度"
          data-testid="score-year"
        />
      </ListFilters>
      <div className="muted" style={{ margin: '8px 0' }}>
        括号内为县里设定的各项分值，各项得分按完成比例计；没有可评的项目（如当年没有到期任务）不计，总分按计入项目的分值合计折算为百分制。乡镇（街道）和派出单位在人员页面评分；年度结束且两方均已评分后为“已定”。
      </div>
      <ErrorAlert err={q.error} />
      {isMobile ? (
        <div data-testid="score-list">
          {items.map((s, i) => (
            <Link key={s.fsId} to={`/first-secretaries/${s.fsId}`} className="list-card">
              <div className="mc-top">
                <b style={{ flex: 1 }}>
                  {s.total === null ? '' : `${i + 1}. `}
                  {s.name}
                </b>
                <Total s={s} />
              </div>
              <div className="mc-line">
                {FS_ROLE_LABELS[s.role]} · {s.orgName}
              </div>
              <div className="mc-line muted">
                {s.parts
                  .filter((p) => p.points !== null)
                  .map((p) => `${FS_SCORE_PART_LABELS[p.part]} ${p.points?.toFixed(1)}`)
                  .join('　')}
              </div>
            </Link>
          ))}
          {!q.isPending && !items.length ? <div className="muted">该范围内当年没有在任的人员</div> : null}
        </div>
      ) : (
        <Table<ScoreView>
          data-testid="score-list"
          rowKey="fsId"
          size="small"
          loading={q.isPending}
          columns={columns}
          dataSource={items}
          pagination={false}
          scroll={{ x: 1200 }}
          locale={{ emptyText: '该范围内当年没有在任的人员' }}
        />
      )}
    </div>
  );
}
