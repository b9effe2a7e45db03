/**
 * 培训交流 on a person's page: the training and exchange sessions the person was called to (newest first)
 * and whether they came, with the year's count of attended sessions and hours.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Skeleton } from 'antd';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { trainingSummary } from '../../../../contract/firstsec-trainings.ts';
import { FS_TRAINING_KIND_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateText } from '../../app/format.ts';
import type { Page } from '../../app/types.ts';
import { AttendanceMark } from './trainings-shared.tsx';

type Summary = z.infer<typeof trainingSummary>;

export default function FsTrainingsCard({ fsId }: { fsId: string }) {
  const q = useQuery({
    queryKey: ['firstsec', 'trainings', 'of', fsId],
    queryFn: ({ signal }) =>
      api.get<Page<Summary>>('/api/first-secretaries/trainings', { fsId, pageSize: 100 }, signal),
  });
  const items = q.data?.items ?? [];
  const present = items.filter((s) => s.mine?.status === 'present');
  const hours = present.reduce((n, s) => n + (s.hours ?? 0), 0);
  return (
    <Card size="small" className="mr-card" title="培训交流" data-testid="fs-trainings">
      {q.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : q.error ? (
        <ErrorAlert err={q.error} />
      ) : !items.length ? (
        <span className="muted">尚未被通知参加培训、座谈交流</span>
      ) : (
        <>
          <div style={{ marginBottom: 8 }}>
            通知参加 {q.data?.total ?? items.length} 次，出席 {present.length} 次
            {hours ? `，共 ${Math.round(hours * 10) / 10} 学时` : ''}
          </div>
          {items.map((s) => (
            <div
              key={s.id}
              style={{ display: 'flex', gap: 8, alignItems: 'baseline', flexWrap: 'wrap', padding: '4px 0' }}
            >
              <span className="muted" style={{ minWidth: 108 }}>
                {dateText(s.heldOn)}
              </span>
              <span className="muted">{FS_TRAINING_KIND_LABELS[s.kind]}</span>
              <Link to={`/first-secretaries/trainings/${s.id}`} style={{ flex: 1, minWidth: 160 }}>
                {s.title}
              </Link>
              <AttendanceMark status={s.mine?.status ?? null} heldOn={s.heldOn} />
              {s.mine?.note ? <span className="muted">（{s.mine.note}）</span> : null}
            </div>
          ))}
        </>
      )}
    </Card>
  );
}
