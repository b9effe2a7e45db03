/**
 * One inquiry a visitor sent about the village's product (issue 20): the visitor's name, contact and
 * message (only the village's own accounts see them; each opening is audited) and the answer form.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Input, Tag } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { INQUIRY_STATUS_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateTimeText } from '../../app/format.ts';
import { useDocumentTitle } from '../../app/hooks.ts';
import type { InquiryView } from '../../app/types.ts';

export default function InquiryPage() {
  useDocumentTitle('意向咨询');
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const inquiry = useQuery({
    queryKey: ['showroom', 'inquiry', id],
    queryFn: ({ signal }) => api.get<InquiryView>(`/api/showroom/inquiries/${id}`, undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (inquiry.error) return <ErrorAlert err={inquiry.error} />;
  const i = inquiry.data;
  if (!i) return null;
  const send = async () => {
    setBusy(true);
    setErr(null);
    try {
      const saved = await api.post<InquiryView>(`/api/showroom/inquiries/${id}/answer`, { answer: answer.trim() });
      qc.setQueryData(['showroom', 'inquiry', id], saved);
      await qc.invalidateQueries({ queryKey: ['showroom', 'inquiries'] });
      message.success('已答复');
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <div className="page-head">
        <h1>
          意向咨询：{i.productName}{' '}
          <Tag color={i.status === 'open' ? 'red' : 'green'}>{INQUIRY_STATUS_LABELS[i.status]}</Tag>
        </h1>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions column={1} size="small" data-testid="inquiry-detail">
          <Descriptions.Item label="产品">
            <Link to={`/products/${i.productId}`}>{i.productName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="称呼">{i.name}</Descriptions.Item>
          <Descriptions.Item label="联系方式">{i.contact}</Descriptions.Item>
          <Descriptions.Item label="收到时间">{dateTimeText(i.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="咨询内容">
            <div style={{ whiteSpace: 'pre-wrap' }}>{i.message}</div>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title="答复">
        {i.status === 'answered' ? (
          <div data-testid="inquiry-answer">
            <div style={{ whiteSpace: 'pre-wrap' }}>{i.answer}</div>
            <div className="muted" style={{ marginTop: 8 }}>
              {i.answeredByName ?? ''} {dateTimeText(i.answeredAt)} 答复
            </div>
          </div>
        ) : (
          <>
            <Input.TextArea
              rows={4}
              maxLength={1000}
              showCount
              value={answer}
              onChange={(e) => setAnswer(e.target.value)}
              placeholder="写明如何答复了访客（如：已电话联系，约定看货时间），便于县里统计答复情况"
              data-testid="inquiry-answer-text"
            />
            {err ? <ErrorAlert err={err} style={{ marginTop: 12 }} /> : null}
            <Button
              type="primary"
              style={{ marginTop: 12 }}
              loading={busy}
              disabled={!answer.trim()}
              onClick={send}
              data-testid="inquiry-answer-send"
            >
              提交答复
            </Button>
          </>
        )}
      </Card>
      <Link to="/products?tab=inquiries" style={{ display: 'inline-block', marginTop: 12 }}>
        返回意向咨询
      </Link>
    </div>
  );
}
