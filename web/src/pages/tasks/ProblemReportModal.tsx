/**
 * 登记反馈问题 (InspectionsPage; loaded when first opened): a problem a higher level fed back or the
 * public reported, for an organization below mine — who reported it and when, the problem, and what
 * would close it. It opens on that organization's list; its rectification page opens next. What is typed
 * is kept on the device until the server has it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Modal, Segmented } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { PROBLEM_SOURCE_LABELS, REPORTED_SOURCES } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useIsMobile } from '../../app/hooks.ts';
import type { RectificationView } from '../../app/types.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { beijingToday } from './shared.tsx';

type Source = (typeof REPORTED_SOURCES)[number];
interface Values {
  orgId?: string;
  source?: Source;
  reportedBy?: string;
  receivedOn?: string;
  text?: string;
  clearedBy?: string;
}

export default function ProblemReportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const today = beijingToday();
  const draftKey = `problemReport.${me?.id ?? 'anon'}`;
  const source = Form.useWatch('source', form) ?? 'feedback';

  // biome-ignore lint/correctness/useExhaustiveDependencies: filled once, when the user is known
  useEffect(() => {
    if (!me) return;
    form.setFieldsValue(loadDraft<Values>(draftKey)?.values ?? { source: 'feedback', receivedOn: today });
  }, [me?.id]);

  const submit = async (v: Values) => {
    setBusy(true);
    setErr(null);
    try {
      const made = await api.post<RectificationView>('/api/problems', {
        orgId: v.orgId,
        source: v.source,
        reportedBy: v.reportedBy?.trim(),
        receivedOn: v.receivedOn,
        text: v.text?.trim(),
        clearedBy: v.clearedBy?.trim() || undefined,
      });
      clearDraft(draftKey);
      void qc.invalidateQueries({ queryKey: ['problems'] });
      message.success(`已列入${made.orgName}的问题清单`);
      onClose();
      navigate(`/problems/${made.problemId}/rectification`);
    } catch (e) {
      applyFieldErrors(form, e, {
        orgId: '问题所在组织',
        reportedBy: '问题来源',
        receivedOn: '收到日期',
        text: '问题',
        clearedBy: '整改要求',
      });
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      onCancel={busy ? undefined : onClose}
      title="登记反馈问题"
      width={isMobile ? '100%' : 560}
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
          data-testid="report-problem-save"
        >
          列入问题清单
        </Button>,
      ]}
    >
      <div className="muted" style={{ marginBottom: 12 }}>
        上级反馈或群众反映的问题列入下级组织的问题清单，由该组织制定整改措施，整改到位后由本级验收销号。
      </div>
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(_, all) => saveDraft(draftKey, all)}
        requiredMark
      >
        <Form.Item name="source" label="问题来源" rules={[{ required: true, message: '请选择问题来源' }]}>
          <Segmented<Source> options={REPORTED_SOURCES.map((s) => ({ value: s, label: PROBLEM_SOURCE_LABELS[s] }))} />
        </Form.Item>
        <Form.Item name="orgId" label="问题所在组织" rules={[{ required: true, message: '请选择问题所在的下级组织' }]}>
          <LazyOrgSelect aria-label="问题所在组织" data-testid="report-problem-org" />
        </Form.Item>
        <div className="mr-row">
          <Form.Item
            name="reportedBy"
            label={source === 'public' ? '反映渠道' : '反馈单位'}
            className="mr-field"
            rules={[
              { required: true, whitespace: true, message: '请填写问题来源（反馈单位或反映渠道）' },
              { max: 100, message: '不能超过 100 个字' },
            ]}
          >
            <Input
              maxLength={100}
              placeholder={source === 'public' ? '如：12345 热线、群众来信' : '如：市委组织部督查组'}
              data-testid="report-problem-by"
            />
          </Form.Item>
          <Form.Item
            name="receivedOn"
            label="收到日期"
            className="mr-field"
            rules={[{ required: true, message: '请选择收到日期' }]}
            getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : null })}
            normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
          >
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.format('YYYY-MM-DD') > today}
              inputReadOnly={isMobile}
            />
          </Form.Item>
        </div>
        <Form.Item
          name="text"
          label="问题"
          rules={[
            { required: true, whitespace: true, message: '请填写问题' },
            { max: 500, message: '问题不能超过 500 个字' },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={500}
            placeholder="反馈或反映的具体问题"
            data-testid="report-problem-text"
          />
        </Form.Item>
        <Form.Item name="clearedBy" label="整改要求" rules={[{ max: 200, message: '整改要求不能超过 200 个字' }]}>
          <Input maxLength={200} placeholder="选填；不填则为“整改到位并经上级验收”" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
