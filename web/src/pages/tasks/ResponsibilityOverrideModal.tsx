/**
 * 调整责任人 (ResponsibilityPage, loaded when first opened): name the person answerable at a level
 * (第一、直接、相关责任人) from a day on with the reason, or go back to reading it from the post. What is
 * typed is kept on the device until the server has it. The server refuses to rewrite the days before a
 * later adjustment (RESPONSIBILITY_LATER_OVERRIDE): its Chinese sentence is shown as it is.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Modal, Segmented } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { RESPONSIBILITY_LEVEL_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useIsMobile } from '../../app/hooks.ts';
import type { ResponsibilityChain } from '../../app/types.ts';
import { beijingToday } from './shared.tsx';

const LEVELS = ['primary', 'direct', 'related'] as const;
type Level = (typeof LEVELS)[number];
type Mode = 'person' | 'posts';

interface Values {
  level?: Level;
  mode?: Mode;
  personName?: string;
  reason?: string;
  from?: string;
}

export default function ResponsibilityOverrideModal({
  open,
  onClose,
  orgId,
  orgName,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  orgId: string;
  orgName: string;
  /** The day the change takes effect: the page shows the chain on it. */
  onDone: (from: string) => void;
}) {
  const qc = useQueryClient();
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const draftKey = `responsibility.${me?.id ?? 'anon'}.${orgId}`;
  const mode = Form.useWatch('mode', form) ?? 'person';

  // biome-ignore lint/correctness/useExhaustiveDependencies: filled when opened for an organization
  useEffect(() => {
    if (!open) return;
    setErr(null);
    form.resetFields();
    const d = loadDraft<Values>(draftKey)?.values;
    form.setFieldsValue(d ?? { level: 'primary', mode: 'person', from: beijingToday() });
  }, [open, draftKey]);

  const submit = async (v: Values) => {
    setBusy(true);
    setErr(null);
    try {
      const from = v.from ?? beijingToday();
      await api.post<ResponsibilityChain>('/api/responsibility/overrides', {
        orgId,
        level: v.level,
        personName: v.mode === 'person' ? v.personName?.trim() : undefined,
        reason: v.reason?.trim(),
        from,
      });
      clearDraft(draftKey);
      await qc.invalidateQueries({ queryKey: ['responsibility'] });
      message.success(
        v.mode === 'person'
          ? `已调整：自${dayjs(from).format('YYYY年M月D日')}起${RESPONSIBILITY_LEVEL_LABELS[v.level ?? 'primary']}为${v.personName?.trim()}`
          : `已恢复：自${dayjs(from).format('YYYY年M月D日')}起${RESPONSIBILITY_LEVEL_LABELS[v.level ?? 'primary']}按职务确定`,
      );
      onClose();
      onDone(from);
    } catch (e) {
      applyFieldErrors(form, e, { level: '层级', personName: '责任人', reason: '调整原因', from: '生效日期' });
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      onCancel={busy ? undefined : onClose}
      title={`调整责任人 · ${orgName}`}
      width={isMobile ? '100%' : 520}
      style={isMobile ? { top: 8, maxWidth: 'calc(100vw - 16px)' } : undefined}
      footer={[
        <Button key="cancel" size="large" onClick={onClose} disabled={busy}>
          取消
        </Button>,
        <Button
          key="ok"
          size="large"
          type="primary"
          loading={busy}
          onClick={() => form.submit()}
          data-testid="override-submit"
        >
          保存
        </Button>,
      ]}
    >
      <div className="muted" style={{ marginBottom: 12 }}>
        责任人默认按职务确定（书记为第一责任人、副书记为直接责任人、组织委员为相关责任人）。职务空缺或另有分工时，可自某日起指定责任人，或恢复按职务确定。
      </div>
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(_, all) => saveDraft(draftKey, all)}
        requiredMark
      >
        <Form.Item name="level" label="层级" rules={[{ required: true, message: '请选择层级' }]}>
          <Segmented<Level>
            options={LEVELS.map((l) => ({ value: l, label: RESPONSIBILITY_LEVEL_LABELS[l] }))}
            block={isMobile}
            aria-label="层级"
            data-testid="override-level"
          />
        </Form.Item>
        <Form.Item name="mode" label="调整为">
          <Segmented<Mode>
            options={[
              { value: 'person', label: '指定责任人' },
              { value: 'posts', label: '恢复按职务确定' },
            ]}
            block={isMobile}
            aria-label="调整为"
          />
        </Form.Item>
        {mode === 'person' ? (
          <Form.Item
            name="personName"
            label="责任人姓名"
            rules={[
              { required: true, whitespace: true, message: '请填写责任人姓名' },
              { max: 50, message: '姓名不能超过 50 个字' },
            ]}
          >
            <Input maxLength={50} placeholder="如：张明" data-testid="override-person" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="from"
          label="生效日期"
          rules={[{ required: true, message: '请选择生效日期' }]}
          getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : null })}
          normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
          extra="自该日起生效；此前的调整到前一日为止"
        >
          <DatePicker
            style={{ width: '100%' }}
            format="YYYY年M月D日"
            inputReadOnly={isMobile}
            allowClear={false}
            data-testid="override-from"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label="调整原因"
          rules={[
            { required: true, whitespace: true, message: '请写明调整原因' },
            { max: 500, message: '调整原因不能超过 500 个字' },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={500}
            placeholder="如：书记长期病休，经支委会研究由副书记主持工作"
            data-testid="override-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
