/**
 * 一份目标责任书: each target with its weight, the organization's report of how it was met (its own
 * organization writes it, kept on the device until the server has it) and, from 1 December, the score
 * the organization that set it gives, within the target's weight, with a comment (年底兑标).
 */
import { ArrowLeftOutlined, CheckOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, InputNumber, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateTimeText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { TargetItem, TargetSheet } from '../../app/types.ts';
import { beijingToday, Mark, SettledMark, scoreText } from './shared.tsx';

/** One target: its report (or the box to write it) and its score (or the boxes to give it). */
function ItemCard({
  sheet,
  item,
  n,
  onSaved,
}: {
  sheet: TargetSheet;
  item: TargetItem;
  n: number;
  onSaved: (s: TargetSheet) => void;
}) {
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const draftKey = `target.${me?.id ?? 'anon'}.${sheet.id}.${item.id}`;
  const [text, setText] = useState('');
  const [score, setScore] = useState<number | null>(item.score);
  const [comment, setComment] = useState(item.comment ?? '');
  const [busy, setBusy] = useState<'report' | 'score' | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    if (!sheet.can.report) return;
    const d = loadDraft<string>(draftKey)?.values;
    if (d) {
      setText(d);
      setEditing(true);
    } else setText(item.report ?? '');
  }, [draftKey, item.report, sheet.can.report]);

  const report = async () => {
    if (!text.trim()) {
      setErr(new Error('请填写完成情况'));
      return;
    }
    setBusy('report');
    setErr(null);
    try {
      const next = await api.post<TargetSheet>(`/api/targets/${sheet.id}/items/${item.id}/report`, {
        text: text.trim(),
      });
      clearDraft(draftKey);
      setEditing(false);
      onSaved(next);
      message.success('已报告完成情况');
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(null);
    }
  };

  const give = async () => {
    if (score === null) {
      setErr(new Error('请填写得分'));
      return;
    }
    if (score > item.weight) {
      setErr(new Error(`得分不能超过该项分值 ${item.weight}`));
      return;
    }
    setBusy('score');
    setErr(null);
    try {
      const next = await api.post<TargetSheet>(`/api/targets/${sheet.id}/items/${item.id}/score`, {
        score,
        comment: comment.trim() || undefined,
      });
      onSaved(next);
      message.success('已打分');
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(null);
    }
  };

  const reportOpen = sheet.can.report && (!item.report || editing);
  return (
    <Card size="small" className="target-item" data-testid="target-item">
      <div className="target-item-top">
        <b className="target-item-title">
          {n}. {item.text}
        </b>
        <span className="target-item-weight-mark">分值 {item.weight}</span>
      </div>
      <ErrorAlert err={err} style={{ margin: '8px 0' }} />

      <div className="target-part">
        <div className="target-part-label">完成情况</div>
        {item.report && !reportOpen ? (
          <div>
            <div className="target-report">{item.report}</div>
            <div className="muted target-meta">
              {dateTimeText(item.reportedAt)} 报告
              {sheet.can.report ? (
                <Button type="link" size="small" onClick={() => setEditing(true)}>
                  修改
                </Button>
              ) : null}
            </div>
          </div>
        ) : reportOpen ? (
          <div className="target-report-form">
            <Input.TextArea
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                saveDraft(draftKey, e.target.value);
              }}
              autoSize={{ minRows: 3, maxRows: 10 }}
              maxLength={2000}
              placeholder="这项目标做了什么、达到什么程度（如：全年召开党员大会 4 次，记录和照片已上传）"
              data-testid="target-report-text"
            />
            <div className="target-actions">
              <Button
                type="primary"
                icon={<SendOutlined />}
                loading={busy === 'report'}
                onClick={() => void report()}
                block={isMobile}
                size={isMobile ? 'large' : 'middle'}
                data-testid="target-report"
              >
                报告完成情况
              </Button>
              {editing && item.report ? (
                <Button
                  onClick={() => {
                    clearDraft(draftKey);
                    setText(item.report ?? '');
                    setEditing(false);
                  }}
                  block={isMobile}
                >
                  取消
                </Button>
              ) : null}
            </div>
          </div>
        ) : (
          <span className="muted">尚未报告</span>
        )}
      </div>

      <div className="target-part">
        <div className="target-part-label">得分</div>
        {item.score !== null && !sheet.can.score ? (
          <div>
            <span className="target-score">
              {scoreText(item.score)} / {item.weight}
            </span>
            {item.comment ? <div className="target-report">{item.comment}</div> : null}
            <div className="muted target-meta">
              {item.scoredByName} {dateTimeText(item.scoredAt)} 打分
            </div>
          </div>
        ) : sheet.can.score ? (
          <div className="target-score-form">
            <InputNumber
              value={score}
              onChange={(v) => setScore(typeof v === 'number' ? v : null)}
              min={0}
              max={item.weight}
              step={0.5}
              precision={1}
              inputMode="decimal"
              placeholder={`0–${item.weight}`}
              aria-label="得分"
              style={{ width: isMobile ? '100%' : 120 }}
              data-testid="target-score-input"
            />
            <Input
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={500}
              placeholder="评分说明（选填）"
              aria-label="评分说明"
              style={isMobile ? undefined : { flex: 1 }}
            />
            <Button
              type="primary"
              icon={<CheckOutlined />}
              loading={busy === 'score'}
              onClick={() => void give()}
              block={isMobile}
              size={isMobile ? 'large' : 'middle'}
              data-testid="target-score"
            >
              {item.score === null ? '打分' : '修改得分'}
            </Button>
            {item.score !== null ? (
              <div className="muted target-meta" style={{ width: '100%' }}>
                已打 {scoreText(item.score)} 分（{item.scoredByName} {dateTimeText(item.scoredAt)}）
              </div>
            ) : null}
          </div>
        ) : (
          <span className="muted">未打分</span>
        )}
      </div>
    </Card>
  );
}

export default function TargetSheetPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const key = ['targets', 'detail', id];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<TargetSheet>(`/api/targets/${id}`) });
  const s = q.data;
  useDocumentTitle('目标责任书');
  const today = beijingToday();

  if (q.isLoading) return <Skeleton active />;
  if (q.error || !s) return <ErrorAlert err={q.error ?? new Error('目标责任书不存在或不在您的管辖范围内')} />;

  const back = () => (location.key !== 'default' ? navigate(-1) : navigate('/targets'));
  const saved = (next: TargetSheet) => {
    qc.setQueryData(key, next);
    void qc.invalidateQueries({ queryKey: ['targets', 'list'] });
  };
  const scoringOpen = today >= `${s.year}-12-01`;
  const scored = s.items.filter((i) => i.score !== null).length;

  return (
    <div className="target-sheet" style={{ maxWidth: 960 }}>
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={back} />
          <span>
            {s.orgName} {s.year}年度目标责任书
          </span>
        </h1>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <div className="target-summary" data-testid="target-summary">
          <div>
            <div className="stat-label">书记（第一责任人）</div>
            <div className="target-summary-value">{s.secretary ?? '空缺'}</div>
          </div>
          <div>
            <div className="stat-label">设定单位</div>
            <div className="target-summary-value">{s.issuerOrgName}</div>
          </div>
          <div>
            <div className="stat-label">总分值</div>
            <div className="target-summary-value">{scoreText(s.weight)}</div>
          </div>
          <div>
            <div className="stat-label">得分</div>
            <div className="target-summary-value">
              {scoreText(s.score)}
              <span className="muted" style={{ fontSize: 13 }}>
                {' '}
                （已打分 {scored}/{s.items.length} 项）
              </span>
            </div>
          </div>
          <div>
            <div className="stat-label">兑标</div>
            <div className="target-summary-value">
              <SettledMark s={s} />
            </div>
          </div>
        </div>
      </Card>
      {!scoringOpen && !s.settled ? (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title="年底兑标自 12 月 1 日起进行" />
      ) : null}
      {s.can.report ? (
        <div className="muted" style={{ marginBottom: 8 }}>
          请逐项报告完成情况；填写的内容会自动保存在本机，报告后{s.issuerOrgName}年底据此打分。
        </div>
      ) : null}
      {s.items.map((item, i) => (
        <ItemCard key={item.id} sheet={s} item={item} n={i + 1} onSaved={saved} />
      ))}
      {s.settled ? (
        <div className="muted" style={{ marginTop: 8 }}>
          <Mark color="green">已兑标</Mark> 各项目标均已打分，合计 {scoreText(s.score)} 分。
        </div>
      ) : null}
    </div>
  );
}
