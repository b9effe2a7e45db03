/**
 * 设定目标责任书 (TargetsPage, loaded when first opened): for an organization below mine and a year, its
 * targets with their weights (分值), the running total shown as they are typed. One sheet per organization
 * and year (TARGET_EXISTS). What is typed is kept on the device until the server has the sheet.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useIsMobile } from '../../app/hooks.ts';
import type { TargetSheet } from '../../app/types.ts';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import { beijingToday } from './shared.tsx';

interface Values {
  orgId?: string;
  year?: number;
  items?: { text?: string; weight?: number | null }[];
}

const blankItems = () => [
  { text: '', weight: null },
  { text: '', weight: null },
];

export default function TargetCreateModal({
  open,
  onClose,
  year,
}: {
  open: boolean;
  onClose: () => void;
  year: number;
}) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const draftKey = `target.${me?.id ?? 'anon'}.new`;
  const items = Form.useWatch('items', form) ?? [];
  const total = items.reduce((a, i) => a + (typeof i?.weight === 'number' ? i.weight : 0), 0);
  const thisYear = Number(beijingToday().slice(0, 4));

  // biome-ignore lint/correctness/useExhaustiveDependencies: filled when opened
  useEffect(() => {
    if (!open) return;
    setErr(null);
    const d = loadDraft<Values>(draftKey)?.values;
    form.setFieldsValue(d ?? { year, items: blankItems() });
  }, [open, draftKey]);

  const submit = async (v: Values) => {
    setBusy(true);
    setErr(null);
    try {
      const made = await api.post<TargetSheet>('/api/targets', {
        orgId: v.orgId,
        year: v.year,
        items: (v.items ?? [])
          .filter((i) => i.text?.trim() || typeof i.weight === 'number')
          .map((i) => ({ text: (i.text ?? '').trim(), weight: i.weight })),
      });
      clearDraft(draftKey);
      form.resetFields();
      qc.setQueryData(['targets', 'detail', made.id], made);
      void qc.invalidateQueries({ queryKey: ['targets', 'list'] });
      message.success(`已为${made.orgName}设定${made.year}年度目标责任书`);
      onClose();
      navigate(`/targets/${made.id}`);
    } catch (e) {
      applyFieldErrors(form, e, { orgId: '责任组织', year: '年度', items: '目标' });
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      onCancel={busy ? undefined : onClose}
      title="设定目标责任书"
      width={isMobile ? '100%' : 640}
      style={isMobile ? { top: 8, maxWidth: 'calc(100vw - 16px)' } : undefined}
      footer={[
        <span key="total" className="target-total" data-testid="target-total">
          合计分值 <b>{total}</b>
        </span>,
        <Button key="cancel" size="large" onClick={onClose} disabled={busy}>
          取消
        </Button>,
        <Button
          key="ok"
          size="large"
          type="primary"
          loading={busy}
          onClick={() => form.submit()}
          data-testid="target-create"
        >
          设定
        </Button>,
      ]}
    >
      <div className="muted" style={{ marginBottom: 12 }}>
        为本组织以下的党组织设定年度目标及分值，由该组织书记负责落实并报告完成情况；12 月 1 日起年底兑标，逐项打分。
      </div>
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(_, all) => saveDraft(draftKey, all)}
        requiredMark
      >
        <div className="mr-row target-head-row">
          <Form.Item
            name="orgId"
            label="责任组织"
            className="mr-field"
            rules={[
              { required: true, message: '请选择责任组织' },
              {
                validator: (_, v: string | undefined) =>
                  v && v === me?.orgId
                    ? Promise.reject(new Error('目标责任书由上级为下级设定，请选择本组织以下的组织'))
                    : Promise.resolve(),
              },
            ]}
          >
            <OrgSelect allowClear={false} aria-label="责任组织" data-testid="target-org-pick" />
          </Form.Item>
          <Form.Item name="year" label="年度" rules={[{ required: true, message: '请选择年度' }]}>
            <Select
              style={{ width: isMobile ? '100%' : 120 }}
              options={[thisYear + 1, thisYear, thisYear - 1].map((y) => ({ value: y, label: `${y}年` }))}
              showSearch={false}
              aria-label="年度"
            />
          </Form.Item>
        </div>
        <Form.List
          name="items"
          rules={[
            {
              validator: async (_, list: Values['items']) => {
                if (!list?.some((i) => i?.text?.trim())) throw new Error('请至少填写一项目标');
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              <div className="target-item-row target-item-labels" aria-hidden>
                <span className="target-item-no" />
                <span className="target-item-text">目标内容</span>
                <span className="target-item-weight">分值</span>
                <span className="target-item-del" />
              </div>
              {fields.map((f, n) => (
                <div key={f.key} className="target-item-row" data-testid="target-item-row">
                  <span className="target-item-no">{n + 1}.</span>
                  <Form.Item
                    name={[f.name, 'text']}
                    className="target-item-text"
                    rules={[
                      { required: true, whitespace: true, message: '请填写目标内容' },
                      { max: 300, message: '目标内容不能超过 300 个字' },
                    ]}
                  >
                    <Input.TextArea
                      autoSize={{ minRows: 1, maxRows: 4 }}
                      maxLength={300}
                      placeholder="如：全年按规定召开党员大会 4 次"
                      aria-label={`目标 ${n + 1}`}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'weight']}
                    className="target-item-weight"
                    rules={[{ required: true, message: '请填分值' }]}
                  >
                    <InputNumber
                      min={1}
                      max={100}
                      precision={0}
                      inputMode="numeric"
                      placeholder="分值"
                      aria-label={`目标 ${n + 1} 分值`}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    onClick={() => remove(f.name)}
                    disabled={fields.length <= 1}
                    aria-label={`删除目标 ${n + 1}`}
                  />
                </div>
              ))}
              <Form.ErrorList errors={errors} />
              {fields.length >= 30 ? null : (
                <Button icon={<PlusOutlined />} onClick={() => add({ text: '', weight: null })} block={isMobile}>
                  添加目标
                </Button>
              )}
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
