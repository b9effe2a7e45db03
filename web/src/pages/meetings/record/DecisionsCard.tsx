/** 决议事项 on the record form: each decision's kind, the member it concerns and its text. */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select } from 'antd';
import { newClientId } from '../../../app/offline.ts';
import { DECISION_TAG_LABELS, DECISION_TAGS } from '../../../app/labels.ts';
import type { DecisionDraft } from '../meeting-drafts.ts';

export function DecisionsCard({
  decisions,
  onChange,
  memberOptions,
}: {
  decisions: DecisionDraft[];
  onChange: (decisions: DecisionDraft[]) => void;
  memberOptions: { value: string; label: string }[];
}) {
  return (
    <Card
      size="small"
      className="mr-card"
      title="决议事项（可选）"
      extra={
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => onChange([...decisions, { key: newClientId(), tag: 'other', text: '' }])}
          data-testid="decision-add"
        >
          添加
        </Button>
      }
    >
      {decisions.length === 0 ? (
        <div className="muted">没有决议事项。研究接收预备党员、转正、处置等事项时请逐项登记。</div>
      ) : null}
      {decisions.map((d, i) => {
        const set = (p: Partial<typeof d>) => onChange(decisions.map((x) => (x.key === d.key ? { ...x, ...p } : x)));
        return (
          <div key={d.key} className="mr-decision">
            <div className="mr-row">
              <Select
                value={d.tag}
                onChange={(tag) => set({ tag })}
                options={DECISION_TAGS.map((t) => ({ value: t, label: DECISION_TAG_LABELS[t] }))}
                aria-label={`决议 ${i + 1} 事项`}
                style={{ width: '100%' }}
              />
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                allowClear
                value={d.memberId}
                onChange={(memberId: string | undefined) => set({ memberId })}
                options={memberOptions}
                placeholder="涉及党员（可选）"
                aria-label={`决议 ${i + 1} 涉及党员`}
                style={{ width: '100%' }}
              />
            </div>
            <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
              <Input.TextArea
                value={d.text}
                onChange={(e) => set({ text: e.target.value })}
                autoSize={{ minRows: 1, maxRows: 6 }}
                placeholder="决议内容"
                aria-label={`决议 ${i + 1} 内容`}
              />
              <Button
                icon={<DeleteOutlined />}
                aria-label={`删除决议 ${i + 1}`}
                onClick={() => onChange(decisions.filter((x) => x.key !== d.key))}
              />
            </div>
          </div>
        );
      })}
    </Card>
  );
}
