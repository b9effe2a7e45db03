/**
 * The leave request form of the check-in page (请假: from, to, reason), loaded when the person taps
 * 申请请假 — its date range picker is the heaviest part of the page, which opens without it.
 */
import { Button, DatePicker, Input } from 'antd';
import { useState } from 'react';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { newClientId } from '../../app/offline.ts';

export default function CheckinLeaveForm({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { message } = useFeedback();
  const [days, setDays] = useState<[string, string] | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [clientId] = useState(newClientId);
  const send = async () => {
    if (!days) return setErr(new Error('请选择请假的起止日期'));
    if (!reason.trim()) return setErr(new Error('请填写请假事由'));
    setBusy(true);
    setErr(null);
    try {
      await api.post('/api/first-secretaries/leaves', {
        fromDate: days[0],
        toDate: days[1],
        reason: reason.trim(),
        clientId,
      });
      message.success('已提交请假，等待乡镇党委和派出单位审批');
      onDone();
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="ci-leave-form">
      <DatePicker.RangePicker
        style={{ width: '100%' }}
        inputReadOnly
        onChange={(v) => setDays(v?.[0] && v[1] ? [v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')] : null)}
      />
      <Input.TextArea
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={300}
        autoSize={{ minRows: 2, maxRows: 5 }}
        placeholder="请假事由"
        style={{ marginTop: 8 }}
      />
      <ErrorAlert err={err} style={{ marginTop: 8 }} />
      <div style={{ marginTop: 8, display: 'flex', gap: 8 }}>
        <Button type="primary" loading={busy} onClick={() => void send()} data-testid="leave-send">
          提交
        </Button>
        <Button onClick={onClose}>取消</Button>
      </div>
    </div>
  );
}
