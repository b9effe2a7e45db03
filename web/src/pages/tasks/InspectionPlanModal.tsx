/**
 * 制定检查计划 (InspectionPlansPage, DrawPage; loaded when first opened): what will be checked, the
 * organizations to visit (picked one by one below mine, or a spot-check draw's sample), the days and the
 * inspectors. What is typed is kept on the device until the server has the plan.
 */
import { CloseOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Modal, Segmented } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { INSPECTION_KIND_LABELS, INSPECTION_KINDS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useIsMobile } from '../../app/hooks.ts';
import type { InspectionPlanView } from '../../app/types.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { beijingToday } from './shared.tsx';

type Kind = (typeof INSPECTION_KINDS)[number];
interface Values {
  title?: string;
  kind?: Kind;
  days?: [string, string];
  inspectors?: string;
  focus?: string;
  orgs?: { id: string; name: string }[];
}

export default function InspectionPlanModal(props: {
  open: boolean;
  onClose: () => void;
  onDone: (p: InspectionPlanView) => void;
  /** A spot-check draw whose sample is the plan's stops. */
  draw?: { id: string; names: { id: string; name: string }[] };
}) {
  const { open, onClose, draw } = props;
  const qc = useQueryClient();
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [picking, setPicking] = useState<string | undefined>();
  const today = beijingToday();
  const draftKey = `inspectionPlan.${me?.id ?? 'anon'}.${draw?.id ?? 'new'}`;
  const orgs = Form.useWatch('orgs', form) ?? [];

  // biome-ignore lint/correctness/useExhaustiveDependencies: filled once, when the user is known
  useEffect(() => {
    if (!me) return;
    const d = loadDraft<Values>(draftKey)?.values;
    form.setFieldsValue(
      d ?? {
        kind: draw ? 'spot' : 'routine',
        days: [today, dayjs(today).add(14, 'day').format('YYYY-MM-DD')],
        orgs: [],
        title: draw ? '随机抽查' : '',
      },
    );
  }, [me?.id]);

  const add = (id: string | undefined, name: string | undefined) => {
    setPicking(undefined);
    if (!id || !name || orgs.some((o) => o.id === id)) return;
    const next = [...orgs, { id, name }];
    form.setFieldsValue({ orgs: next });
    saveDraft(draftKey, { ...form.getFieldsValue(), orgs: next });
  };
  const drop = (id: string) => {
    const next = orgs.filter((o) => o.id !== id);
    form.setFieldsValue({ orgs: next });
    saveDraft(draftKey, { ...form.getFieldsValue(), orgs: next });
  };

  const submit = async (v: Values) => {
    if (!draw && !orgs.length) {
      setErr(new Error('请添加至少一个被检查的组织'));
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      const made = await api.post<InspectionPlanView>('/api/inspections/plans', {
        title: v.title?.trim(),
        kind: v.kind,
        orgIds: draw ? undefined : orgs.map((o) => o.id),
        drawId: draw?.id,
        startsOn: v.days?.[0],
        endsOn: v.days?.[1],
        inspectors: v.inspectors?.trim(),
        focus: v.focus?.trim() || undefined,
      });
      clearDraft(draftKey);
      void qc.invalidateQueries({ queryKey: ['inspections', 'plans'] });
      message.success(`已制定检查计划，共 ${made.total} 个检查对象`);
      props.onDone(made);
    } catch (e) {
      applyFieldErrors(form, e, { title: '检查内容', inspectors: '检查人员', focus: '检查重点', endsOn: '检查时间' });
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      onCancel={busy ? undefined : onClose}
      title="制定检查计划"
      width={isMobile ? '100%' : 600}
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
          data-testid="plan-save"
        >
          保存计划
        </Button>,
      ]}
    >
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(_, all) => saveDraft(draftKey, { ...all, orgs })}
        requiredMark
      >
        <Form.Item
          name="title"
          label="检查内容"
          rules={[
            { required: true, whitespace: true, message: '请填写检查内容' },
            { max: 200, message: '检查内容不能超过 200 个字' },
          ]}
        >
          <Input maxLength={200} placeholder="如：第四季度“三会一课”落实情况检查" data-testid="plan-title" />
        </Form.Item>
        <Form.Item name="kind" label="检查类别" rules={[{ required: true, message: '请选择检查类别' }]}>
          <Segmented<Kind> options={INSPECTION_KINDS.map((k) => ({ value: k, label: INSPECTION_KIND_LABELS[k] }))} />
        </Form.Item>
        <Form.Item
          name="days"
          label="检查时间"
          rules={[{ required: true, message: '请选择检查的起止日期' }]}
          getValueProps={(v: [string, string] | undefined) => ({ value: v ? [dayjs(v[0]), dayjs(v[1])] : null })}
          normalize={(d: [Dayjs, Dayjs] | null) =>
            d ? [d[0].format('YYYY-MM-DD'), d[1].format('YYYY-MM-DD')] : undefined
          }
        >
          <DatePicker.RangePicker style={{ width: '100%' }} inputReadOnly={isMobile} />
        </Form.Item>
        <Form.Item
          name="inspectors"
          label="检查人员"
          rules={[
            { required: true, whitespace: true, message: '请填写检查人员' },
            { max: 200, message: '检查人员不能超过 200 个字' },
          ]}
        >
          <Input maxLength={200} placeholder="如：组织委员、组织干事" data-testid="plan-inspectors" />
        </Form.Item>
        <Form.Item name="focus" label="检查重点" rules={[{ max: 2000, message: '检查重点不能超过 2000 个字' }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder="选填" />
        </Form.Item>
        <Form.Item name="orgs" hidden>
          <Input />
        </Form.Item>
        <Form.Item label={draw ? '检查对象（随机抽查结果）' : '检查对象'} required>
          {draw ? (
            <ol className="plan-stops">
              {draw.names.map((o) => (
                <li key={o.id}>{o.name}</li>
              ))}
            </ol>
          ) : (
            <>
              <div className="plan-pick">
                <LazyOrgSelect
                  value={picking}
                  onChange={(id, o) => add(id, o?.name)}
                  placeholder="选择要检查的下级组织，逐个添加"
                  aria-label="添加检查对象"
                  style={{ width: '100%' }}
                  data-testid="plan-org"
                />
              </div>
              {orgs.length ? (
                <ol className="plan-stops" data-testid="plan-stops">
                  {orgs.map((o) => (
                    <li key={o.id}>
                      <span>{o.name}</span>
                      <Button
                        type="text"
                        size="small"
                        icon={<CloseOutlined />}
                        aria-label={`移除 ${o.name}`}
                        onClick={() => drop(o.id)}
                      />
                    </li>
                  ))}
                </ol>
              ) : (
                <div className="muted">
                  <PlusOutlined /> 尚未添加检查对象
                </div>
              )}
            </>
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}
