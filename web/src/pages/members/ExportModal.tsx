import { Alert, Checkbox, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { download, type Query } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { bytesText, thousands } from '../../app/format.ts';
import { useFeedback } from '../../app/feedback.tsx';

/** 导出: asks the purpose (audited), optionally unmasked personal data, then downloads the xlsx. */
export function ExportModal({
  open,
  onClose,
  filters,
  total,
  selection,
}: {
  open: boolean;
  onClose: () => void;
  filters: Query;
  total?: number;
  selection?: boolean;
}) {
  const [form] = Form.useForm<{ reason: string; unmasked: boolean }>();
  const can = useCan();
  const { message } = useFeedback();
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(0);
  const [err, setErr] = useState<unknown>(null);

  const submit = async () => {
    let v: { reason: string; unmasked: boolean };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setErr(null);
    setLoaded(0);
    const hide = message.loading('正在生成导出文件…', 0);
    try {
      const name = await download(
        '/api/members/export',
        { ...filters, reason: v.reason.trim(), unmasked: v.unmasked ? 'true' : undefined },
        '党员名册.xlsx',
        setLoaded,
      );
      message.success(`已开始下载：${name}`);
      form.resetFields();
      onClose();
    } catch (e) {
      setErr(e);
      applyFieldErrors(form, e, { reason: '导出用途' });
    } finally {
      hide();
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="导出党员名册"
      onCancel={busy ? undefined : onClose}
      onOk={() => void submit()}
      okText="导出 Excel"
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: !busy }}
      afterClose={() => setErr(null)}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={
          selection
            ? `导出所选的 ${total ?? 0} 名党员。`
            : `按当前查询条件导出${typeof total === 'number' ? ` ${thousands(total)} 名党员` : ''}。`
        }
        description="导出文件带有水印和导出人信息，导出操作记入审计日志。请妥善保管，不得外传。"
      />
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" initialValues={{ unmasked: false }} name="export">
        <Form.Item
          name="reason"
          label="导出用途"
          rules={[
            { required: true, whitespace: true, message: '请说明导出用途' },
            { min: 2, message: '导出用途至少 2 个字' },
            { max: 200, message: '不超过 200 个字' },
          ]}
        >
          <Input.TextArea
            rows={3}
            maxLength={200}
            showCount
            placeholder="如：年度党员统计报表核对"
            data-testid="export-reason"
          />
        </Form.Item>
        {can('members.reveal') ? (
          <Form.Item
            name="unmasked"
            valuePropName="checked"
            extra="默认导出脱敏数据（身份证号、电话、住址部分隐藏）。包含完整信息的导出须有正当理由。"
          >
            <Checkbox data-testid="export-unmasked">包含完整身份证号等个人信息</Checkbox>
          </Form.Item>
        ) : null}
      </Form>
      {busy && loaded > 0 ? <div className="muted">已接收 {bytesText(loaded)}</div> : null}
    </Modal>
  );
}
