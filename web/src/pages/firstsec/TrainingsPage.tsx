/**
 * 培训交流: the training and exchange sessions the county and the townships hold for first secretaries
 * (newest first), each with its attendance (出席、请假、缺席 of those called); filters kind and year in
 * the address. The county's and a township's managers organize one here; a first secretary on the phone
 * sees the sessions it was called to and whether it is recorded as present.
 */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Select } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { z } from 'zod';
import type { trainingSummary } from '../../../../contract/firstsec-trainings.ts';
import { FS_TRAINING_KIND_LABELS, FS_TRAINING_KINDS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { useFeedback } from '../../app/feedback.tsx';
import { dateText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { useListParams } from '../../app/list-params.ts';
import type { Page } from '../../app/types.ts';
import { ListFilters } from '../../components/ListFilters.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { Mark } from '../tasks/shared.tsx';
import { TrainingForm } from './TrainingForm.tsx';
import { AttendanceMark, Tally } from './trainings-shared.tsx';
import { beijingToday } from './roster-shared.tsx';

type Summary = z.infer<typeof trainingSummary>;
const PAGE_SIZES = [20, 50, 100];

export default function TrainingsPage() {
  useDocumentTitle('培训交流');
  const navigate = useNavigate();
  const can = useCan();
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const [adding, setAdding] = useState(false);
  const list = useListParams(['kind', 'year'], { pageSizes: PAGE_SIZES });
  // A first secretary's own account reads its own attendance; the roster's readers read the counts.
  const self = !can('firstsec.roster');
  const q = useQuery({
    queryKey: ['firstsec', 'trainings', list.filters, list.page, list.pageSize],
    queryFn: ({ signal }) =>
      api.get<Page<Summary>>(
        '/api/first-secretaries/trainings',
        {
          kind: list.get('kind') || undefined,
          year: list.get('year') || undefined,
          page: list.page,
          pageSize: list.pageSize,
        },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  // The year in Beijing, as the server judges it (not the browser's clock zone).
  const thisYear = Number(beijingToday().slice(0, 4));
  const half = 'calc(50% - 6px)';

  const columns: ColumnsType<Summary> = [
    { title: '日期', key: 'day', width: 130, render: (_, s) => dateText(s.heldOn) },
    {
      title: '类别',
      key: 'kind',
      width: 100,
      render: (_, s) => <Mark color={s.kind === 'training' ? 'blue' : 'green'}>{FS_TRAINING_KIND_LABELS[s.kind]}</Mark>,
    },
    {
      title: '名称',
      key: 'title',
      render: (_, s) => (
        <Link to={`/first-secretaries/trainings/${s.id}`} data-testid="training-title-link">
          {s.title}
        </Link>
      ),
    },
    { title: '组织者', key: 'org', width: 190, render: (_, s) => s.orgName },
    {
      title: '地点、学时',
      key: 'place',
      width: 200,
      render: (_, s) => (
        <span>
          {s.place || <span className="muted">未填地点</span>}
          {s.hours != null ? <span className="muted">，{s.hours} 学时</span> : null}
        </span>
      ),
    },
    self
      ? {
          title: '本人出勤',
          key: 'mine',
          width: 110,
          render: (_, s) => <AttendanceMark status={s.mine?.status ?? null} heldOn={s.heldOn} />,
        }
      : { title: '出勤', key: 'att', width: 240, render: (_, s) => <Tally s={s} /> },
  ];

  const card = (s: Summary) => (
    <Link to={`/first-secretaries/trainings/${s.id}`} className="list-card" data-testid="training-card">
      <div className="mc-top">
        <b style={{ flex: 1, minWidth: 0 }}>{s.title}</b>
        <Mark color={s.kind === 'training' ? 'blue' : 'green'}>{FS_TRAINING_KIND_LABELS[s.kind]}</Mark>
      </div>
      <div className="mc-line">
        {dateText(s.heldOn)} · {s.orgName}
      </div>
      {s.place || s.hours != null ? (
        <div className="mc-line muted">
          {s.place}
          {s.hours != null ? `${s.place ? '，' : ''}${s.hours} 学时` : ''}
        </div>
      ) : null}
      <div className="mc-line">
        {self ? (
          <>
            本人出勤：
            <AttendanceMark status={s.mine?.status ?? null} heldOn={s.heldOn} />
          </>
        ) : (
          <Tally s={s} />
        )}
      </div>
    </Link>
  );

  return (
    <div>
      <div className="page-head">
        <h1>培训交流</h1>
        <div className="page-actions">
          {can('firstsec.manage') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="training-new">
              组织培训、座谈
            </Button>
          ) : null}
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <Select
          value={list.get('kind') || ''}
          onChange={(v: string) => list.set({ kind: v || null })}
          options={[
            { value: '', label: '全部类别' },
            ...FS_TRAINING_KINDS.map((k) => ({ value: k, label: FS_TRAINING_KIND_LABELS[k] })),
          ]}
          style={{ width: isMobile ? half : 130 }}
          aria-label="类别"
          data-testid="training-kind"
        />
        <Select
          value={list.get('year') || ''}
          onChange={(v: string) => list.set({ year: v || null })}
          options={[
            { value: '', label: '全部年份' },
            ...[thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: String(y), label: `${y}年` })),
          ]}
          style={{ width: isMobile ? half : 120 }}
          aria-label="年份"
          data-testid="training-year"
        />
      </ListFilters>
      <ResponsiveList<Summary>
        testId="training-list"
        list={q}
        rowKey="id"
        columns={columns}
        card={card}
        empty={
          list.active
            ? '没有符合条件的培训、座谈交流'
            : self
              ? '还没有通知您参加的培训、座谈交流'
              : can('firstsec.manage')
                ? '还没有培训、座谈交流。点“组织培训、座谈”，选择参加人员并在举办后记录出勤'
                : '还没有培训、座谈交流'
        }
        pager={{ page: list.page, pageSize: list.pageSize, onChange: list.setPage, unit: '次', pageSizes: PAGE_SIZES }}
        table={{ onRow: (s) => ({ onDoubleClick: () => navigate(`/first-secretaries/trainings/${s.id}`) }) }}
      />
      {adding ? (
        <TrainingForm
          onClose={() => setAdding(false)}
          onSaved={(v) => {
            setAdding(false);
            void qc.invalidateQueries({ queryKey: ['firstsec', 'trainings'] });
            message.success('已保存，举办当天起可记录出勤');
            navigate(`/first-secretaries/trainings/${v.id}`);
          }}
        />
      ) : null}
    </div>
  );
}
