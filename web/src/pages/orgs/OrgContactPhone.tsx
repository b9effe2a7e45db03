import { Alert, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useSubmit } from '../../app/forms.ts';
import type { OrgDetail, OrgRevealResult } from '../../app/types.ts';

/** An organization's contact phone: masked; the full number after a stated reason (audited), like a member's. */
export function OrgContactPhone({ org }: { org: OrgDetail }) {
  const can = useCan();
  const [open, setOpen] = useState(false);
  const [phone, setPhone] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const { err, busy, submit, reset } = useSubmit(form, { reason: '查看原因' }, async (v: { reason: string }) => {
    const r = await api.post<OrgRevealResult>(`/api/orgs/${org.id}/reveal`, { reason: v.reason.trim() });
    setPhone(r.contactPhone);
    setOpen(false);
  });
  if (!org.contactPhoneMasked) return <>—</>;
  if (phone)
    return (
      <a href={`tel:${phone}`} className="mono" data-testid="org-phone-full">
        {phone}
      </a>
    );
  const close = () => {
    reset();
    form.resetFields();
    setOpen(false);
  };
  return (
    <>
      <span className="mono">{org.contactPhoneMasked}</span>
      {can('members.reveal') ? (
        <Button type="link" size="small" onClick={() => setOpen(true)} data-testid="org-phone-reveal">
          查看完整号码
        </Button>
      ) : null}
      <Modal
        open={open}
        title="查看联系电话"
        onCancel={close}
        destroyOnHidden
        okText="查看"
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => void submit()}
      >
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title="查看完整联系电话须说明原因，并记入审计日志。" />
        <ErrorAlert err={err} style={{ marginBottom: 12 }} />
        <Form form={form} layout="vertical" name="org-reveal">
          <Form.Item
            name="reason"
            label="查看原因"
            rules={[
              { required: true, whitespace: true, message: '请说明查看原因' },
              { min: 2, message: '查看原因至少 2 个字' },
              { max: 200 },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} placeholder="如：联系支部书记布置工作" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
