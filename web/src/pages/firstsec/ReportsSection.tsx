/**
 * 定期汇报 on a person's page (FsDetailPage): the person's reports, newest first, each with its work
 * areas and the comments of the township, the dispatching unit and the county; whoever may comment on a
 * report (the view's `can.comment`: the township above the village, the person's dispatching unit, the
 * county) writes a comment under it.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Input, Skeleton } from 'antd';
import { useState } from 'react';
import { FS_REPORT_SIDE_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { thousands } from '../../app/format.ts';
import type { Page } from '../../app/types.ts';
import type { ReportView } from './report-drafts.ts';
import { ReportItem } from './report-shared.tsx';

const PAGE = 12;

function CommentBox({ r, onSaved }: { r: ReportView; onSaved: (v: ReportView) => void }) {
  const { message } = useFeedback();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  if (!r.can.comment) return null;
  const side = FS_REPORT_SIDE_LABELS[r.can.comment];
  if (!open)
    return (
      <div>
        <Button size="small" onClick={() => setOpen(true)} data-testid="fs-report-comment-open">
          批阅
        </Button>
      </div>
    );
  const save = async () => {
    if (text.trim().length < 2) return setErr(new Error('请填写批阅意见'));
    setBusy(true);
    setErr(null);
    try {
      onSaved(await api.post<ReportView>(`/api/first-secretaries/reports/${r.id}/comments`, { text: text.trim() }));
      message.success('已批阅');
      setText('');
      setOpen(false);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="fs-report-reply">
      <Input.TextArea
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={1000}
        autoSize={{ minRows: 2, maxRows: 6 }}
        placeholder={`以${side}名义写下批阅意见`}
        data-testid="fs-report-comment-text"
      />
      <ErrorAlert err={err} style={{ marginTop: 6 }} />
      <div style={{ display: 'flex', gap: 8, marginTop: 6 }}>
        <Button
          type="primary"
          size="small"
          loading={busy}
          onClick={() => void save()}
          data-testid="fs-report-comment-save"
        >
          提交批阅
        </Button>
        <Button size="small" onClick={() => setOpen(false)}>
          取消
        </Button>
      </div>
    </div>
  );
}

export default function ReportsSection({ fsId }: { fsId: string }) {
  const qc = useQueryClient();
  const [size, setSize] = useState(PAGE);
  const key = ['firstsec', 'reports', fsId, size];
  const q = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api.get<Page<ReportView>>('/api/first-secretaries/reports', { fsId, pageSize: size }, signal),
    placeholderData: keepPreviousData,
  });
  const items = q.data?.items ?? [];
  const saved = (v: ReportView) => {
    qc.setQueryData<Page<ReportView>>(key, (old) =>
      old ? { ...old, items: old.items.map((x) => (x.id === v.id ? v : x)) } : old,
    );
  };
  return (
    <Card
      size="small"
      className="mr-card"
      title={`定期汇报${q.data ? `（${thousands(q.data.total)}）` : ''}`}
      data-testid="fs-reports"
    >
      {q.error ? <ErrorAlert err={q.error} /> : null}
      {q.isLoading ? (
        <Skeleton active />
      ) : items.length ? (
        <div className="fs-rows">
          {items.map((r) => (
            <ReportItem key={r.id} r={r}>
              <CommentBox r={r} onSaved={saved} />
            </ReportItem>
          ))}
          {q.data && q.data.total > items.length ? (
            <Button type="link" onClick={() => setSize((n) => n + PAGE)}>
              查看更早的汇报
            </Button>
          ) : null}
        </div>
      ) : (
        <div className="muted fs-empty">还没有提交汇报</div>
      )}
    </Card>
  );
}
