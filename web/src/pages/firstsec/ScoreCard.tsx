/**
 * The yearly score on a person's page: each part with what the records show and its points, the total,
 * and — for the township or the dispatching unit (or the county on its behalf) — their mark out of 100.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Input, InputNumber, Select, Skeleton } from 'antd';
import { useState } from 'react';
import type { z } from 'zod';
import type { scoreView } from '../../../../contract/firstsec-score.ts';
import { FS_SCORE_PART_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { Mark } from '../tasks/shared.tsx';
import { beijingToday } from './roster-shared.tsx';

type ScoreView = z.infer<typeof scoreView>;
const SIDE_LABEL = { town: '乡镇（街道）评价', unit: '派出单位评价' } as const;

function MarkForm({ v, side, onSaved }: { v: ScoreView; side: 'town' | 'unit'; onSaved: (s: ScoreView) => void }) {
  const given = v[side];
  const [score, setScore] = useState<number | null>(given?.score ?? null);
  const [comment, setComment] = useState(given?.comment ?? '');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const { message } = useFeedback();
  const save = async () => {
    setBusy(true);
    setErr(null);
    try {
      onSaved(
        await api.put<ScoreView>(`/api/first-secretaries/${v.fsId}/score/${side}`, {
          year: v.year,
          score: score ?? -1,
          comment,
        }),
      );
      message.success('已保存评价');
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ marginTop: 10 }} data-testid={`score-mark-${side}`}>
      <ErrorAlert err={err} style={{ marginBottom: 6 }} />
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
        <span>{SIDE_LABEL[side]}（百分制）</span>
        <InputNumber min={0} max={100} step={1} value={score} onChange={setScore} aria-label="分数" />
        <Input
          style={{ flex: 1, minWidth: 180 }}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={500}
          placeholder="评语（可不填）"
        />
        <Button type="primary" loading={busy} onClick={() => void save()} disabled={score === null}>
          {given ? '修改评价' : '保存评价'}
        </Button>
      </div>
    </div>
  );
}

export default function ScoreCard({ fsId }: { fsId: string }) {
  // The year in Beijing, as the server judges it (not the browser's clock zone).
  const thisYear = Number(beijingToday().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const qc = useQueryClient();
  const key = ['fs-score', fsId, year];
  const q = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<ScoreView>(`/api/first-secretaries/${fsId}/score`, { year }, signal),
  });
  if (q.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (q.error) return <ErrorAlert err={q.error} />;
  const v = q.data;
  const saved = (s: ScoreView) => {
    qc.setQueryData(key, s);
    void qc.invalidateQueries({ queryKey: ['firstsec', 'scores'] });
  };
  return (
    <Card
      size="small"
      className="mr-card"
      title={`${year}年度考核`}
      data-testid="fs-score"
      extra={
        <Select
          size="small"
          value={year}
          onChange={setYear}
          aria-label="年度"
          options={[thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: `${y}年` }))}
        />
      }
    >
      <div style={{ marginBottom: 8 }}>
        总分{' '}
        {v.total === null ? (
          <span className="muted">暂无可计分项</span>
        ) : (
          <>
            <b style={{ fontSize: 18 }} data-testid="fs-score-total">
              {v.total.toFixed(1)}
            </b>{' '}
            {v.final ? <Mark color="green">已定</Mark> : <Mark color="gold">暂计</Mark>}
            <span className="muted" style={{ fontSize: 13 }}>
              {' '}
              （计入的 {v.parts.filter((p) => p.points !== null).length} 项分值合计{' '}
              {v.parts.filter((p) => p.points !== null).reduce((s, p) => s + p.weight, 0)} 分，折算为百分制）
            </span>
          </>
        )}
      </div>
      <table className="fs-score-table" style={{ width: '100%', borderCollapse: 'collapse' }}>
        <tbody>
          {v.parts.map((p) => (
            <tr key={p.part} style={{ borderTop: '1px solid #f0f0f0' }}>
              <td style={{ padding: '6px 4px', whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                {FS_SCORE_PART_LABELS[p.part]}
                <div className="muted" style={{ fontSize: 12 }}>
                  分值 {p.weight}
                </div>
              </td>
              <td style={{ padding: '6px 4px', fontSize: 13 }}>{p.note}</td>
              <td style={{ padding: '6px 4px', textAlign: 'right', whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                {p.points === null ? <span className="muted">不计</span> : p.points.toFixed(1)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {v.can.town ? <MarkForm key={`t-${year}`} v={v} side="town" onSaved={saved} /> : null}
      {v.can.unit ? <MarkForm key={`u-${year}`} v={v} side="unit" onSaved={saved} /> : null}
    </Card>
  );
}
