/**
 * 生成督查通报 (NoticesPage, loaded when first opened): a title, the organization whose subtree it covers
 * (default: my own) and a month, quarter or year; the server works out the draft from the data and the
 * page opens it for review. What is typed is kept on the device until the draft is made.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Segmented, Select } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { addDays, type PeriodType, periodOf } from '../../../../contract/periods.ts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useIsMobile } from '../../app/hooks.ts';
import type { NoticeView } from '../../app/types.ts';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import { beijingToday, periodText } from './shared.tsx';

interface Values {
  title?: string;
  underOrgId?: string;
  type?: PeriodType;
  period?: string;
}

const TYPES: { value: PeriodType; label: string }[] = [
  { value: 'month', label: '月度' },
  { value: 'quarter', label: '季度' },
  { value: 'year', label: '年度' },
];
/** How many periods of each type the picker offers, the running one first. */
const HOW_MANY: Record<PeriodType, number> = { month: 24, quarter: 8, year: 5 };

/** The running period and those before it, newest first; the running one says so. */
function periodOptions(type: PeriodType, today: string): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  let p = periodOf(type, today);
  for (let i = 0; i < HOW_MANY[type]; i++) {
    out.push({ value: p.period, label: i === 0 ? `${periodText(p.period)}（进行中）` : periodText(p.period) });
    p = periodOf(type, addDays(p.start, -1));
  }
  return out;
}

/** The last period of `type` that has ended: what a notice usually covers. */
function lastEnded(type: PeriodType, today: string): string {
  return periodOf(type, addDays(periodOf(type, today).start, -1)).period;
}

const titleFor = (period: string) => `${periodText(period)}党建工作督查通报`;

export default function NoticeCreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  /** The title was typed: choosing another period leaves it alone. */
  const titleTouched = useRef(false);
  const today = beijingToday();
  const draftKey = `notice.${me?.id ?? 'anon'}.new`;
  const type = Form.useWatch('type', form) ?? 'month';
  const options = useMemo(() => periodOptions(type, today), [type, today]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: filled once, when the user is known
  useEffect(() => {
    if (!me) return;
    const d = loadDraft<Values>(draftKey)?.values;
    if (d?.period) {
      titleTouched.current = !!d.title && d.title !== titleFor(d.period);
      form.setFieldsValue(d);
      return;
    }
    const period = lastEnded('month', today);
    form.setFieldsValue({ underOrgId: me.orgId, type: 'month', period, title: titleFor(period) });
  }, [me?.id]);

  const onValuesChange = (changed: Partial<Values>, all: Values) => {
    if ('title' in changed) titleTouched.current = true;
    if ('type' in changed && changed.type) {
      const period = lastEnded(changed.type, today);
      form.setFieldsValue({ period });
      all = { ...all, period };
    }
    if (('type' in changed || 'period' in changed) && !titleTouched.current && all.period) {
      form.setFieldsValue({ title: titleFor(all.period) });
      all = { ...all, title: titleFor(all.period) };
    }
    saveDraft(draftKey, all);
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setErr(null);
    try {
      const made = await api.post<NoticeView>('/api/notices', {
        title: v.title?.trim(),
        underOrgId: v.underOrgId,
        period: v.period,
      });
      clearDraft(draftKey);
      qc.setQueryData(['notices', 'detail', made.id], made);
      void qc.invalidateQueries({ queryKey: ['notices', 'list'] });
      message.success('已生成通报草稿，请审核后发布');
      onClose();
      navigate(`/notices/${made.id}`);
    } catch (e) {
      applyFieldErrors(form, e, { title: '通报标题', underOrgId: '通报范围', period: '期间' });
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      onCancel={busy ? undefined : onClose}
      title="生成督查通报"
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
          data-testid="notice-create"
        >
          生成草稿
        </Button>,
      ]}
    >
      <div className="muted" style={{ marginBottom: 12 }}>
        由所选范围内该期间的任务、问题整改和随机抽查数据生成通报草稿：督查情况、好的典型、排名、存在的问题和通报的单位。草稿审核后再发布。
      </div>
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form<Values> form={form} layout="vertical" onFinish={submit} onValuesChange={onValuesChange} requiredMark>
        <Form.Item
          name="underOrgId"
          label="通报范围"
          rules={[{ required: true, message: '请选择通报范围' }]}
          extra="统计该组织以下各单位的情况"
        >
          <OrgSelect allowClear={false} aria-label="通报范围" data-testid="notice-org" />
        </Form.Item>
        <Form.Item label="期间" required style={{ marginBottom: 0 }}>
          <div className="notice-period">
            <Form.Item name="type" noStyle>
              <Segmented<PeriodType> options={TYPES} aria-label="期间类型" />
            </Form.Item>
            <Form.Item name="period" noStyle rules={[{ required: true, message: '请选择期间' }]}>
              <Select options={options} showSearch={false} aria-label="期间" data-testid="notice-period" />
            </Form.Item>
          </div>
        </Form.Item>
        <div style={{ height: 16 }} />
        <Form.Item
          name="title"
          label="通报标题"
          rules={[
            { required: true, whitespace: true, message: '请填写通报标题' },
            { max: 100, message: '通报标题不能超过 100 个字' },
          ]}
        >
          <Input maxLength={100} data-testid="notice-title" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
