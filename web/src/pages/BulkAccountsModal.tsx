/** 批量开通账号: one account per branch (or committee) of a subtree; the one-time passwords are shown once, to print or download. */
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Modal, Select, Table } from 'antd';
import { useEffect, useState } from 'react';
import { shanghaiDate } from '../../../contract/calendar.ts';
import { api } from '../app/api.ts';
import { useMe } from '../app/auth.ts';
import { ErrorAlert } from '../app/errors.tsx';
import { useSubmit } from '../app/forms.ts';
import { OrgSelect } from '../components/OrgSelect.tsx';
import { useFeedback } from '../app/feedback.tsx';
import type { BulkCreateResult } from '../app/types.ts';
import { refuseDownloadInWeChat } from '../app/wechat.ts';

type Result = BulkCreateResult;
type Account = Result['accounts'][number];

const ROLE_OPTIONS = [
  { value: 'branchSecretary', label: '支部书记（每个党支部、党总支一个账号）' },
  { value: 'orgAdmin', label: '党组织管理员（每个党委、党工委、党总支一个账号）' },
];

function downloadSheet(base64: string, name: string) {
  if (refuseDownloadInWeChat()) return;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(
    new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function BulkAccountsModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe().data;
  const qc = useQueryClient();
  const { modal } = useFeedback();
  const [form] = Form.useForm<{ orgId: string; role: string }>();
  const [preview, setPreview] = useState<Result | null>(null);
  const [done, setDone] = useState<Result | null>(null);
  const [creating, setCreating] = useState(false);
  const [createErr, setCreateErr] = useState<unknown>(null);
  // What was previewed is what gets created (the form is not mounted while the preview shows).
  const [chosen, setChosen] = useState<{ orgId: string; role: string } | null>(null);
  const { err, busy, submit, reset } = useSubmit(
    form,
    { orgId: '党组织', role: '账号类型' },
    async (v: { orgId: string; role: string }) => {
      setPreview(await api.post<Result>('/api/users/bulk', { ...v, dryRun: true }));
      setChosen(v);
    },
  );
  const create = async () => {
    setCreating(true);
    setCreateErr(null);
    try {
      if (!chosen) return;
      const r = await api.post<Result>('/api/users/bulk', chosen);
      setDone(r);
      await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      setCreateErr(e);
    } finally {
      setCreating(false);
    }
  };
  const clear = () => {
    setPreview(null);
    setDone(null);
    setChosen(null);
    setCreateErr(null);
    reset();
    form.resetFields();
    onClose();
  };
  const close = () => {
    if (!done) return clear();
    modal.confirm({
      title: '关闭后将无法再次查看这些初始密码',
      content: '请确认已下载或打印账号开通单。忘记初始密码的账号只能重新重置密码。',
      okText: '已保存，关闭',
      cancelText: '返回',
      onOk: clear,
    });
  };
  // While the sheet is on screen, printing prints the sheet alone.
  useEffect(() => {
    if (!done) return;
    document.body.classList.add('print-sheet-only');
    return () => document.body.classList.remove('print-sheet-only');
  }, [done]);
  const stamp = new Date().toLocaleString('zh-CN', { hour12: false });
  return (
    <Modal
      open={open}
      title="批量开通账号"
      onCancel={close}
      width={860}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        done
          ? [
              <Button
                key="xlsx"
                icon={<DownloadOutlined />}
                onClick={() => done.sheet && downloadSheet(done.sheet, `账号开通单-${shanghaiDate(new Date())}.xlsx`)}
                data-testid="bulk-download"
              >
                下载 Excel
              </Button>,
              <Button key="print" icon={<PrinterOutlined />} onClick={() => window.print()}>
                打印
              </Button>,
              <Button key="close" type="primary" onClick={close}>
                完成
              </Button>,
            ]
          : preview
            ? [
                <Button key="back" onClick={() => setPreview(null)}>
                  返回修改
                </Button>,
                <Button
                  key="go"
                  type="primary"
                  danger
                  disabled={!preview.accounts.length}
                  loading={creating}
                  onClick={() => void create()}
                  data-testid="bulk-create"
                >
                  开通 {preview.accounts.length} 个账号
                </Button>,
              ]
            : [
                <Button key="cancel" onClick={close}>
                  取消
                </Button>,
                <Button
                  key="preview"
                  type="primary"
                  loading={busy}
                  onClick={() => void submit()}
                  data-testid="bulk-preview"
                >
                  预览
                </Button>,
              ]
      }
    >
      {done ? (
        <div className="print-sheet" data-testid="bulk-result">
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            className="no-print"
            title={`已开通 ${done.accounts.length} 个账号。初始密码只显示这一次，平台不保存。`}
            description="请下载或打印后分发给各账号本人；首次登录须修改密码。"
          />
          <h3 className="print-only">账号开通单（一次性密码，首次登录须修改，严禁外传） {stamp}</h3>
          {done.loginUrl ? (
            <p data-testid="bulk-login-url">
              登录地址：<span className="mono">{done.loginUrl}</span>
              （用手机或电脑浏览器打开，输入下表的用户名和初始密码）
            </p>
          ) : null}
          <Table<Account>
            size="small"
            rowKey="username"
            pagination={false}
            dataSource={done.accounts}
            columns={[
              { title: '党组织', dataIndex: 'orgName' },
              { title: '姓名', dataIndex: 'displayName', width: 110 },
              {
                title: '用户名',
                dataIndex: 'username',
                width: 140,
                render: (v: string) => <span className="mono">{v}</span>,
              },
              {
                title: '初始密码',
                dataIndex: 'password',
                width: 180,
                render: (v: string) => <span className="mono">{v}</span>,
              },
            ]}
          />
        </div>
      ) : preview ? (
        <>
          <ErrorAlert err={createErr} style={{ marginBottom: 12 }} />
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={`将开通 ${preview.accounts.length} 个账号${preview.skipped.length ? `，跳过 ${preview.skipped.length} 个党组织（已有账号等）` : ''}。`}
            description="用户名按书记姓名的拼音生成（没有书记的按组织名称首字母），每个账号生成一次性初始密码。"
          />
          <Table<Account>
            size="small"
            rowKey="orgId"
            pagination={{ pageSize: 10, showSizeChanger: false }}
            dataSource={preview.accounts}
            columns={[
              { title: '党组织', dataIndex: 'orgName' },
              { title: '姓名', dataIndex: 'displayName', width: 120 },
              {
                title: '用户名',
                dataIndex: 'username',
                width: 160,
                render: (v: string) => <span className="mono">{v}</span>,
              },
            ]}
          />
        </>
      ) : (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title="为所选党组织及其下级的每个党支部（或党委）开通一个账号，已有账号的跳过。先预览，确认后再开通。"
          />
          <ErrorAlert err={err} style={{ marginBottom: 12 }} />
          <Form form={form} layout="vertical" name="bulk" initialValues={{ orgId: me?.orgId, role: 'branchSecretary' }}>
            <Form.Item name="orgId" label="党组织（含下级）" rules={[{ required: true, message: '请选择党组织' }]}>
              <OrgSelect placeholder="选择党组织" />
            </Form.Item>
            <Form.Item name="role" label="账号类型" rules={[{ required: true }]}>
              <Select options={ROLE_OPTIONS} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
