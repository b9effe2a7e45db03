/**
 * The "五个一" of a two-new first secretary or instructor (FS-3) on the person's page: each half month,
 * each quarter and each yearly part of the chosen year as done, due, missed, excused or not judged, with
 * what the records show (the days checked in, the themed day, the item); the yearly items recorded by the
 * person or the roster's managers, confirmed by the township. Not shown for those FS-3 does not cover.
 */
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Input, Modal, Select, Skeleton, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { z } from 'zod';
import type { fiveItemView, fiveRowView, fiveView } from '../../../../contract/firstsec-five.ts';
import {
  FS_FIVE_KINDS,
  FS_FIVE_PART_LABELS,
  FS_FIVE_STATE_LABELS,
  type FsFiveKind,
  type FsFiveState,
} from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateText } from '../../app/format.ts';
import { useIsMobile } from '../../app/hooks.ts';
import { Mark } from '../tasks/shared.tsx';
import { beijingToday } from './roster-shared.tsx';

type FiveView = z.infer<typeof fiveView>;
type FiveRow = z.infer<typeof fiveRowView>;
type FiveItem = z.infer<typeof fiveItemView>;

const STATE_COLOR: Record<FsFiveState, 'green' | 'gold' | 'red' | 'blue' | 'grey'> = {
  done: 'green',
  due: 'gold',
  missed: 'red',
  excused: 'blue',
  notJudged: 'grey',
};

/** 1月上 / 第一季度: a span's short name on its chip. */
function chipText(r: FiveRow): string {
  if (r.part === 'half') {
    const [, m, h] = r.period.split('-');
    return `${Number(m)}月${h === '1' ? '上' : '下'}`;
  }
  if (r.part === 'quarter') return r.label.replace(/^\d+年/, '');
  return FS_FIVE_STATE_LABELS[r.state];
}

function Chip({ r }: { r: FiveRow }) {
  return (
    <Tooltip title={`${r.label}：${FS_FIVE_STATE_LABELS[r.state]}${r.note ? `（${r.note}）` : ''}`}>
      <span
        className={`mc-tag mc-tag-${STATE_COLOR[r.state]}`}
        data-testid={`five-${r.period}-${r.part}`}
        data-state={r.state}
        style={{ minWidth: 56, textAlign: 'center', cursor: 'default' }}
      >
        {chipText(r)}
      </span>
    </Tooltip>
  );
}

export default function FiveOnesCard({ fsId }: { fsId: string }) {
  // The year in Beijing, as the server judges it (not the browser's clock zone).
  const thisYear = Number(beijingToday().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const key = ['fs-five', fsId, year];
  const q = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<FiveView>(`/api/first-secretaries/${fsId}/five-ones`, { year }, signal),
  });
  if (q.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (q.error) return <ErrorAlert err={q.error} />;
  const v = q.data;
  if (!v.applies) return null;

  const act = async (item: FiveItem, what: 'confirm' | 'remove') => {
    setBusy(`${what}-${item.id}`);
    setErr(null);
    try {
      const next =
        what === 'confirm'
          ? await api.post<FiveView>(`/api/first-secretaries/five-items/${item.id}/confirm`)
          : await api.del<FiveView>(`/api/first-secretaries/five-items/${item.id}`);
      qc.setQueryData(key, next);
      void qc.invalidateQueries({ queryKey: ['problems'] });
      message.success(what === 'confirm' ? '已确认' : '已删除');
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(null);
    }
  };
  const halves = v.rows.filter((r) => r.part === 'half');
  const quarters = v.rows.filter((r) => r.part === 'quarter');
  const yearly = (k: FsFiveKind) => v.rows.find((r) => r.part === k);
  const counted = (['done', 'missed', 'due', 'excused'] as const).filter((s) => v.summary[s] > 0);

  return (
    <Card
      size="small"
      className="mr-card"
      title={`“五个一”落实情况（${year}年）`}
      data-testid="five-ones"
      extra={
        <Select
          size="small"
          value={year}
          onChange={setYear}
          aria-label="年份"
          options={[thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: `${y}年` }))}
        />
      }
    >
      <ErrorAlert err={err} style={{ marginBottom: 8 }} />
      <div style={{ marginBottom: 8 }} data-testid="five-summary">
        {counted.length
          ? counted.map((s) => `${FS_FIVE_STATE_LABELS[s]} ${v.summary[s]} 项`).join('，')
          : `${year}年尚无需要检查的事项。`}
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, fontSize: 12 }} data-testid="five-legend">
        {(['done', 'missed', 'due', 'excused', 'notJudged'] as const).map((s) => (
          <Mark key={s} color={STATE_COLOR[s]}>
            {FS_FIVE_STATE_LABELS[s]}
          </Mark>
        ))}
      </div>
      <div className="muted" style={{ fontSize: 13, margin: '8px 0 4px' }}>
        {FS_FIVE_PART_LABELS.half}（以在联系的组织打卡计）
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
        {halves.length ? halves.map((r) => <Chip key={r.period} r={r} />) : <span className="muted">无</span>}
      </div>
      <div className="muted" style={{ fontSize: 13, margin: '12px 0 4px' }}>
        {FS_FIVE_PART_LABELS.quarter}（以联系的组织的组织生活记录计）
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
        {quarters.length ? quarters.map((r) => <Chip key={r.period} r={r} />) : <span className="muted">无</span>}
      </div>
      {FS_FIVE_KINDS.map((k) => {
        const r = yearly(k);
        const items = v.items.filter((i) => i.kind === k);
        return (
          <div key={k} style={{ marginTop: 12 }} data-testid={`five-${k}`}>
            <div>
              {FS_FIVE_PART_LABELS[k]}{' '}
              {r ? (
                <Mark color={STATE_COLOR[r.state]}>{FS_FIVE_STATE_LABELS[r.state]}</Mark>
              ) : (
                <Mark color="grey">{FS_FIVE_STATE_LABELS.notJudged}</Mark>
              )}
              {r?.state === 'notJudged' && r.note ? <span className="muted">（{r.note}）</span> : null}
            </div>
            {items.map((i) => (
              <div key={i.id} style={{ marginLeft: 12, marginTop: 4 }}>
                <span>
                  {dateText(i.doneOn)}　{i.title}
                </span>{' '}
                {i.confirmedAt ? (
                  <span className="muted">（{i.confirmedByName ?? ''}已确认）</span>
                ) : (
                  <span className="muted">（待乡镇确认）</span>
                )}
                {i.body ? (
                  <div className="muted" style={{ whiteSpace: 'pre-wrap', fontSize: 13 }}>
                    {i.body}
                  </div>
                ) : null}
                {i.can.confirm ? (
                  <Button
                    size="small"
                    type="link"
                    loading={busy === `confirm-${i.id}`}
                    onClick={() => void act(i, 'confirm')}
                  >
                    确认
                  </Button>
                ) : null}
                {i.can.remove ? (
                  <Button
                    size="small"
                    type="link"
                    danger
                    loading={busy === `remove-${i.id}`}
                    onClick={() =>
                      modal.confirm({
                        title: `删除“${i.title}”？`,
                        okText: '删除',
                        cancelText: '取消',
                        onOk: () => act(i, 'remove'),
                      })
                    }
                  >
                    删除
                  </Button>
                ) : null}
              </div>
            ))}
          </div>
        );
      })}
      {v.can.record ? (
        <Button
          icon={<PlusOutlined />}
          style={{ marginTop: 12 }}
          onClick={() => setAdding(true)}
          data-testid="five-add"
        >
          记录经验做法、解决的问题或心得体会
        </Button>
      ) : null}
      {adding ? (
        <ItemModal
          fsId={fsId}
          onClose={() => setAdding(false)}
          onSaved={(next) => {
            setAdding(false);
            setYear(next.year);
            qc.setQueryData(['fs-five', fsId, next.year], next);
            void qc.invalidateQueries({ queryKey: ['problems'] });
            message.success('已记录，待乡镇（街道）确认');
          }}
        />
      ) : null}
    </Card>
  );
}

function ItemModal({ fsId, onClose, onSaved }: { fsId: string; onClose: () => void; onSaved: (v: FiveView) => void }) {
  const isMobile = useIsMobile();
  const [kind, setKind] = useState<FsFiveKind>('practice');
  const [doneOn, setDoneOn] = useState(() => dayjs(beijingToday()));
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const save = async () => {
    setBusy(true);
    setErr(null);
    try {
      onSaved(
        await api.post<FiveView>(`/api/first-secretaries/${fsId}/five-items`, {
          kind,
          doneOn: doneOn.format('YYYY-MM-DD'),
          title,
          body,
        }),
      );
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title="记录“五个一”事项"
      onCancel={busy ? undefined : onClose}
      width={isMobile ? '100%' : 560}
      style={isMobile ? { top: 8, maxWidth: 'calc(100vw - 16px)' } : undefined}
      footer={[
        <Button key="c" size="large" onClick={onClose} disabled={busy}>
          取消
        </Button>,
        <Button key="ok" size="large" type="primary" loading={busy} onClick={() => void save()} data-testid="five-save">
          保存
        </Button>,
      ]}
    >
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <div className="fs-form-row">
        <div className="muted">事项</div>
        <Select
          value={kind}
          onChange={setKind}
          style={{ width: '100%' }}
          options={FS_FIVE_KINDS.map((k) => ({ value: k, label: FS_FIVE_PART_LABELS[k] }))}
        />
      </div>
      <div className="fs-form-row" style={{ marginTop: 12 }}>
        <div className="muted">完成日期</div>
        <DatePicker
          value={doneOn}
          onChange={(d) => d && setDoneOn(d)}
          allowClear={false}
          disabledDate={(d) => d.isAfter(dayjs(beijingToday()), 'day')}
          style={{ width: '100%' }}
        />
      </div>
      <div className="fs-form-row" style={{ marginTop: 12 }}>
        <div className="muted">标题</div>
        <Input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          maxLength={100}
          placeholder="如：“党建+生产”车间班组融合做法"
          data-testid="five-title"
        />
      </div>
      <div className="fs-form-row" style={{ marginTop: 12 }}>
        <div className="muted">内容（可粘贴文章全文）</div>
        <Input.TextArea value={body} onChange={(e) => setBody(e.target.value)} rows={6} maxLength={20000} />
      </div>
    </Modal>
  );
}
