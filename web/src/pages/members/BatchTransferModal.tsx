import { useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Modal } from 'antd';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useSubmit } from '../../app/forms.ts';
import { MEMBER_ORG_KINDS } from '../../app/labels.ts';
import type { BatchTransferResult } from '../../app/types.ts';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import { useFeedback } from '../../app/feedback.tsx';

/** 批量转接: the selected members move to one organization in one transaction, each keeping their history. */
export function BatchTransferModal({
  open,
  memberIds,
  onClose,
  onDone,
}: {
  open: boolean;
  memberIds: string[];
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<{ orgId: string; reason: string }>();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const { err, busy, submit, reset } = useSubmit(
    form,
    { orgId: '转入党组织', reason: '转接原因' },
    async (v: { orgId: string; reason: string }) => {
      const r = await api.post<BatchTransferResult>('/api/members/transfer', {
        memberIds,
        orgId: v.orgId,
        reason: v.reason.trim(),
      });
      await qc.invalidateQueries({ queryKey: ['members'] });
      await qc.invalidateQueries({ queryKey: ['orgs'] });
      message.success(`已转接 ${r.moved} 人${r.unchanged ? `，${r.unchanged} 人原已在该组织` : ''}`);
      form.resetFields();
      onDone();
    },
  );
  const close = () => {
    reset();
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={open}
      title={`批量转接组织关系（已选 ${memberIds.length} 人）`}
      onCancel={close}
      onOk={() => void submit()}
      okText="转接"
      confirmLoading={busy}
      destroyOnHidden
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="所选党员一并转入同一党组织，每人的组织关系历史都会保留，并记入审计日志。任一人不在您的管辖范围内时，全部不转接。"
      />
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" name="batch-transfer">
        <Form.Item name="orgId" label="转入党组织" rules={[{ required: true, message: '请选择转入的党组织' }]}>
          <OrgSelect selectableKinds={MEMBER_ORG_KINDS} placeholder="选择党支部或党小组" />
        </Form.Item>
        <Form.Item
          name="reason"
          label="转接原因"
          rules={[
            { required: true, whitespace: true, message: '请说明转接原因' },
            { min: 2, message: '至少 2 个字' },
            { max: 200 },
          ]}
        >
          <Input.TextArea rows={2} maxLength={200} placeholder="如：村党支部合并" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
