/** 规则参数: each rule number of the county with its value in force, its history by effective date, and a new value from a date. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Empty, Input, InputNumber, Modal, Select, Skeleton, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateTimeText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { ruleInfo } from '../../app/labels.ts';
import type { RuleSettingPutResult } from '../../app/types.ts';
import type { RuleSettingView } from './shared.ts';
import { useFeedback } from '../../app/feedback.tsx';

type Value = number | boolean | string;
const plainText = (v: Value, unit: string | null) =>
  typeof v === 'boolean' ? (v ? '是' : '否') : `${v}${unit ? ` ${unit}` : ''}`;
/** A value as the county office reads it: a choice by its wording, organization classes by their names. */
function valueText(s: Pick<RuleSettingView, 'kind' | 'options' | 'unit'>, v: Value): string {
  if (s.kind === 'choice') return s.options?.[String(v)] ?? String(v);
  if (s.kind === 'orgClasses') {
    const list = String(v).split(',').filter(Boolean);
    return list.length ? list.map((c) => s.options?.[c] ?? c).join('、') : '（不适用任何组织）';
  }
  return plainText(v, s.unit);
}

function EditModal({ setting, onClose }: { setting: RuleSettingView | null; onClose: () => void }) {
  const qc = useQueryClient();
  const { message } = useFeedback();
  const [value, setValue] = useState<Value | null>(null);
  const [from, setFrom] = useState(dayjs().add(1, 'month').startOf('month'));
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const s = setting;
  const save = async () => {
    if (!s || value === null || value === '') return setErr(new Error('请填写新的数值'));
    setBusy(true);
    setErr(null);
    try {
      const res = await api.put<RuleSettingPutResult>('/api/settings/rules', {
        key: s.key,
        value,
        effectiveFrom: from.format('YYYY-MM-DD'),
      });
      await qc.invalidateQueries({ queryKey: ['problems'] });
      await qc.invalidateQueries({ queryKey: ['settings', 'rules'] });
      message.success(
        res.message || `已设置：${s.label}自 ${from.format('YYYY年M月D日')} 起为 ${valueText(s, value)}`,
        6,
      );
      onClose();
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!s}
      title={s ? `修改：${s.label}` : ''}
      onCancel={onClose}
      onOk={() => void save()}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o && s) {
          setValue(s.current);
          setFrom(dayjs().add(1, 'month').startOf('month'));
          setErr(null);
        }
      }}
    >
      {s ? (
        <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
          <Alert type="info" showIcon title="修改只对生效日期之后的期间起作用，已经过去的期间仍按当时的规定检查。" />
          <ErrorAlert err={err} />
          {s.description ? (
            <div className="muted" style={{ fontSize: 13 }}>
              {s.description}
            </div>
          ) : null}
          <div>
            <div className="mr-label">现行数值</div>
            {valueText(s, s.current)}
          </div>
          <div>
            <div className="mr-label">新的数值</div>
            {s.kind === 'choice' ? (
              <Select
                value={value as string}
                onChange={setValue}
                options={Object.entries(s.options ?? {}).map(([v, label]) => ({ value: v, label }))}
                style={{ width: '100%' }}
                data-testid="rule-choice"
              />
            ) : s.kind === 'orgClasses' ? (
              <Select
                mode="multiple"
                value={String(value ?? '')
                  .split(',')
                  .filter(Boolean)}
                onChange={(v: string[]) => setValue(v.join(','))}
                options={Object.entries(s.options ?? {}).map(([v, label]) => ({ value: v, label }))}
                style={{ width: '100%' }}
                placeholder="不选：不适用任何组织"
                data-testid="rule-org-classes"
              />
            ) : typeof s.default === 'boolean' ? (
              <Select
                value={value as boolean}
                onChange={setValue}
                options={[
                  { value: true, label: '是' },
                  { value: false, label: '否' },
                ]}
                style={{ width: 160 }}
              />
            ) : typeof s.default === 'number' ? (
              <InputNumber
                value={value as number}
                onChange={(v) => setValue(typeof v === 'number' ? v : null)}
                addonAfter={s.unit ?? undefined}
                style={{ width: 200 }}
                data-testid="rule-value"
              />
            ) : (
              <Input
                value={value as string}
                onChange={(e) => setValue(e.target.value)}
                maxLength={40}
                style={{ width: 240 }}
              />
            )}
          </div>
          <div>
            <div className="mr-label">生效日期</div>
            <DatePicker value={from} onChange={(d) => d && setFrom(d)} allowClear={false} />
          </div>
        </div>
      ) : null}
    </Modal>
  );
}

export default function RuleSettingsPage() {
  useDocumentTitle('规则参数');
  const isMobile = useIsMobile();
  const [editing, setEditing] = useState<RuleSettingView | null>(null);
  const q = useQuery({
    queryKey: ['settings', 'rules'],
    queryFn: () => api.get<RuleSettingView[]>('/api/settings/rules'),
  });
  return (
    <div style={{ maxWidth: 1100 }}>
      <div className="page-head">
        <h1>规则参数</h1>
      </div>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="本县执行的规则数值（如支委会每月召开次数、优秀党员比例上限）。修改只对生效日期之后的期间起作用，已经过去的期间仍按当时的规定检查。"
      />
      <ErrorAlert err={q.error} style={{ marginBottom: 12 }} />
      {q.isLoading ? <Skeleton active /> : null}
      {q.data && isMobile ? (
        <div data-testid="rule-settings">
          {q.data.map((s) => (
            <Card
              key={s.key}
              size="small"
              style={{ marginBottom: 8 }}
              title={s.label}
              extra={
                <Button size="small" onClick={() => setEditing(s)}>
                  修改
                </Button>
              }
            >
              <div>
                {ruleInfo(s.rule).name}
                <span className="rule-id">{s.rule}</span>
              </div>
              <div style={{ margin: '4px 0' }}>
                现行：<b>{valueText(s, s.current)}</b>
              </div>
              {s.description ? (
                <div className="muted" style={{ fontSize: 13 }}>
                  {s.description}
                </div>
              ) : null}
              {s.history.map((h) => (
                <div key={`${h.effectiveFrom}-${h.setAt}`} className="muted" style={{ fontSize: 13 }}>
                  {dayjs(h.effectiveFrom).isAfter(dayjs()) ? <Tag color="gold">待生效</Tag> : null}自 {h.effectiveFrom}{' '}
                  起 {valueText(s, h.value)}
                </div>
              ))}
            </Card>
          ))}
        </div>
      ) : q.data ? (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <Table<RuleSettingView>
            rowKey="key"
            size="middle"
            pagination={false}
            dataSource={q.data}
            scroll={{ x: isMobile ? 720 : undefined }}
            locale={{ emptyText: <Empty description="没有可设置的规则参数" /> }}
            data-testid="rule-settings"
            columns={[
              {
                title: '规则',
                key: 'rule',
                width: 150,
                render: (_, s) => (
                  <span>
                    {ruleInfo(s.rule).name}
                    <span className="rule-id">{s.rule}</span>
                  </span>
                ),
              },
              {
                title: '参数',
                key: 'label',
                render: (_, s) => (
                  <div>
                    {s.label}
                    {s.description ? (
                      <div className="muted" style={{ fontSize: 12 }}>
                        {s.description}
                      </div>
                    ) : null}
                  </div>
                ),
              },
              { title: '现行数值', key: 'current', width: 160, render: (_, s) => <b>{valueText(s, s.current)}</b> },
              {
                title: '变更记录',
                key: 'history',
                render: (_, s) =>
                  s.history.length ? (
                    <div style={{ fontSize: 13 }}>
                      {s.history.map((h) => (
                        <div key={`${h.effectiveFrom}-${h.setAt}`}>
                          {dayjs(h.effectiveFrom).isAfter(dayjs()) ? <Tag color="gold">待生效</Tag> : null}自{' '}
                          {h.effectiveFrom} 起 {valueText(s, h.value)}
                          <span className="muted">（{dateTimeText(h.setAt)} 设置）</span>
                        </div>
                      ))}
                      <div className="muted">此前：{valueText(s, s.default)}（默认）</div>
                    </div>
                  ) : (
                    <span className="muted">一直为默认值 {valueText(s, s.default)}</span>
                  ),
              },
              {
                title: '',
                key: 'op',
                width: 90,
                render: (_, s) => (
                  <Button size="small" onClick={() => setEditing(s)} data-testid="rule-edit">
                    修改
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      ) : null}
      <EditModal setting={editing} onClose={() => setEditing(null)} />
    </div>
  );
}
