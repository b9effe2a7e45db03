/**
 * 管理制度: the county's management systems for first secretaries, in order, read by everyone who works
 * with them (first secretaries on the phone too). Until the county writes its own, the seven the county
 * plan names are shown as names without text. The county's own accounts edit the list here (names, text,
 * order; emptying it returns to the seven); a township reads.
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Collapse, Input, Skeleton } from 'antd';
import { useState } from 'react';
import type { z } from 'zod';
import type { systemsView } from '../../../../contract/firstsec-trainings.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateTimeText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';

type SystemsView = z.infer<typeof systemsView>;
type Item = { key: number; name: string; content: string };

let nextKey = 1;

export default function SystemsPage() {
  useDocumentTitle('管理制度');
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const key = ['firstsec', 'systems'];
  const q = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<SystemsView>('/api/first-secretaries/systems', {}, signal),
  });
  const [draft, setDraft] = useState<Item[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);

  if (q.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (q.error) return <ErrorAlert err={q.error} />;
  const v = q.data;

  const put = async (items: { name: string; content: string }[], done: string) => {
    setBusy(true);
    setErr(null);
    try {
      qc.setQueryData(key, await api.put<SystemsView>('/api/first-secretaries/systems', { items }));
      setDraft(null);
      message.success(done);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  const move = (i: number, by: number) =>
    setDraft((cur) => {
      if (!cur) return cur;
      const next = [...cur];
      const [x] = next.splice(i, 1);
      next.splice(i + by, 0, x);
      return next;
    });
  const change = (i: number, patch: Partial<Item>) =>
    setDraft((cur) => cur?.map((x, n) => (n === i ? { ...x, ...patch } : x)) ?? null);

  const head = (
    <div className="page-head">
      <h1>第一书记管理制度</h1>
      <div className="page-actions">
        {v.can.edit && !draft ? (
          <Button
            type="primary"
            icon={<EditOutlined />}
            onClick={() => {
              setErr(null);
              setDraft(v.items.map((i) => ({ key: nextKey++, name: i.name, content: i.content })));
            }}
            data-testid="systems-edit"
          >
            修改制度
          </Button>
        ) : null}
      </div>
    </div>
  );

  if (draft)
    return (
      <div>
        {head}
        <ErrorAlert err={err} style={{ marginBottom: 12 }} />
        {draft.map((x, i) => (
          <Card
            key={x.key}
            size="small"
            className="mr-card"
            title={`第 ${i + 1} 项`}
            extra={
              <span style={{ display: 'flex', gap: 4 }}>
                <Button
                  size="small"
                  icon={<ArrowUpOutlined />}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label="上移"
                />
                <Button
                  size="small"
                  icon={<ArrowDownOutlined />}
                  disabled={i === draft.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label="下移"
                />
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => setDraft(draft.filter((_, n) => n !== i))}
                  aria-label="删除"
                />
              </span>
            }
          >
            <Input
              value={x.name}
              maxLength={50}
              placeholder="制度名称，如：考勤管理制度"
              onChange={(e) => change(i, { name: e.target.value })}
              style={{ marginBottom: 8 }}
              aria-label={`第 ${i + 1} 项制度名称`}
              data-testid="system-name"
            />
            <Input.TextArea
              value={x.content}
              maxLength={20000}
              autoSize={{ minRows: 3, maxRows: 16 }}
              placeholder="制度的具体内容"
              onChange={(e) => change(i, { content: e.target.value })}
              aria-label={`第 ${i + 1} 项制度内容`}
              data-testid="system-content"
            />
          </Card>
        ))}
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 12 }}>
          <Button
            icon={<PlusOutlined />}
            onClick={() => setDraft([...draft, { key: nextKey++, name: '', content: '' }])}
            data-testid="system-add"
          >
            添加一项
          </Button>
          <span style={{ flex: 1 }} />
          {!v.defaults ? (
            <Button
              danger
              disabled={busy}
              onClick={() =>
                modal.confirm({
                  title: '恢复为方案所列的七项制度？',
                  content: '本县录入的制度名称和内容将被清空。',
                  okText: '恢复',
                  cancelText: '取消',
                  onOk: () => put([], '已恢复为方案所列的七项制度'),
                })
              }
            >
              恢复默认
            </Button>
          ) : null}
          <Button onClick={() => setDraft(null)} disabled={busy}>
            取消
          </Button>
          <Button
            type="primary"
            loading={busy}
            onClick={() =>
              void put(
                draft.map((x) => ({ name: x.name.trim(), content: x.content.trim() })),
                '管理制度已保存',
              )
            }
            data-testid="systems-save"
          >
            保存
          </Button>
        </div>
      </div>
    );

  return (
    <div>
      {head}
      {v.defaults ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="县委组织部尚未录入本县的管理制度，以下是县抓基层党建工作方案所列的七项制度名称。"
          data-testid="systems-defaults"
        />
      ) : v.updatedAt ? (
        <div className="muted" style={{ marginBottom: 12 }}>
          {v.updatedByName ? `${v.updatedByName}` : ''}更新于 {dateTimeText(v.updatedAt)}
        </div>
      ) : null}
      <Collapse
        defaultActiveKey={v.items.filter((i) => i.content).map((i) => String(i.ord))}
        size={isMobile ? 'small' : 'middle'}
        items={v.items.map((i) => ({
          key: String(i.ord),
          label: (
            <span data-testid="system-title">
              {i.ord}. {i.name}
            </span>
          ),
          children: i.content ? (
            <div style={{ whiteSpace: 'pre-wrap', lineHeight: 1.8 }}>{i.content}</div>
          ) : (
            <span className="muted">尚未录入具体内容</span>
          ),
        }))}
      />
    </div>
  );
}
