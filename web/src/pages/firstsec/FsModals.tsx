/**
 * The dialogs of a first secretary's page (FsDetailPage): editing the liaison, work areas and term end;
 * ending or recalling the posting (the person's account is disabled with it); the new account's one-time
 * password, shown this once; a leave request not approved, with its reason.
 */
import { CopyOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Input, Modal, Segmented } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { FsArea } from '../../../../contract/labels.ts';
import { ApiError, api } from '../../app/api.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useIsMobile } from '../../app/hooks.ts';
import type { FsAccount, FsView } from '../../app/types.ts';
import { AreaTags, beijingToday } from './roster-shared.tsx';

const dateProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined),
};

const isConflict = (e: unknown) => e instanceof ApiError && e.code === 'CONFLICT';

/** 该记录已被他人修改 with a button that reloads the person and closes the dialog. */
function ConflictAlert({ onRefresh }: { onRefresh: () => void }) {
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      title="这条记录刚被他人修改过"
      description="请刷新后查看最新内容，再重新修改。"
      action={
        <Button size="small" onClick={onRefresh} data-testid="fs-conflict-refresh">
          刷新
        </Button>
      }
    />
  );
}

interface EditValues {
  liaison?: string;
  areas?: FsArea[];
  endDate?: string;
}

/** 编辑: liaison, work areas, the term's planned end (PATCH with the version read). */
export function EditModal({
  fs,
  open,
  onClose,
  onSaved,
  onRefresh,
}: {
  fs: FsView;
  open: boolean;
  onClose: () => void;
  onSaved: (f: FsView) => void;
  onRefresh: () => void;
}) {
  const [form] = Form.useForm<EditValues>();
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async (v: EditValues) => {
    setBusy(true);
    setErr(null);
    try {
      const f = await api.patch<FsView>(`/api/first-secretaries/${fs.id}`, {
        version: fs.version,
        liaison: v.liaison?.trim() ? v.liaison.trim() : null,
        areas: v.areas ?? [],
        endDate: v.endDate,
      });
      onSaved(f);
    } catch (e) {
      applyFieldErrors(form, e, { liaison: '派出单位联络人', areas: '工作领域', endDate: '任期届满日期' });
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={`编辑${fs.name}的信息`}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) {
          setErr(null);
          form.setFieldsValue({ liaison: fs.liaison ?? '', areas: fs.areas, endDate: fs.endDate });
        }
      }}
    >
      {isConflict(err) ? (
        <ConflictAlert onRefresh={onRefresh} />
      ) : err ? (
        <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      ) : null}
      <Form<EditValues>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ liaison: fs.liaison ?? '', areas: fs.areas, endDate: fs.endDate }}
        data-testid="fs-edit-form"
      >
        <Form.Item name="liaison" label="派出单位联络人及电话" rules={[{ max: 100, message: '不能超过 100 个字' }]}>
          <Input maxLength={100} placeholder="如：张明 0543-1234567" />
        </Form.Item>
        <Form.Item name="areas" label="工作领域">
          <AreaTags />
        </Form.Item>
        <Form.Item
          name="endDate"
          label="任期届满日期"
          rules={[
            { required: true, message: '请选择任期届满日期' },
            {
              validator: (_r, v: string | undefined) =>
                v && v <= fs.startDate ? Promise.reject(new Error('应晚于任职日期')) : Promise.resolve(),
            },
          ]}
          {...dateProps}
        >
          <DatePicker style={{ width: '100%' }} format="YYYY年M月D日" allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface EndValues {
  status: 'ended' | 'recalled';
  endedOn?: string;
  endReason?: string;
}

/** 结束任期 / 召回: the posting ends on a day with its reason; the person's account stops with it. */
export function EndModal({
  fs,
  open,
  onClose,
  onSaved,
  onRefresh,
}: {
  fs: FsView;
  open: boolean;
  onClose: () => void;
  onSaved: (f: FsView) => void;
  onRefresh: () => void;
}) {
  const isMobile = useIsMobile();
  const [form] = Form.useForm<EndValues>();
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const status = Form.useWatch('status', form) ?? 'ended';
  const save = async (v: EndValues) => {
    setBusy(true);
    setErr(null);
    try {
      const f = await api.patch<FsView>(`/api/first-secretaries/${fs.id}`, {
        version: fs.version,
        status: v.status,
        endedOn: v.endedOn,
        endReason: v.endReason?.trim() || undefined,
      });
      onSaved(f);
    } catch (e) {
      applyFieldErrors(form, e, { status: '状态', endedOn: '离任日期', endReason: '离任原因' });
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={`${fs.name}离任`}
      okText={status === 'recalled' ? '召回' : '结束任期'}
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) {
          setErr(null);
          form.setFieldsValue({ status: 'ended', endedOn: beijingToday(), endReason: '' });
        }
      }}
    >
      {isConflict(err) ? (
        <ConflictAlert onRefresh={onRefresh} />
      ) : err ? (
        <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      ) : null}
      <Form<EndValues>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ status: 'ended', endedOn: beijingToday(), endReason: '' }}
        data-testid="fs-end-form"
      >
        <Form.Item name="status" label="离任方式">
          <Segmented
            options={[
              { value: 'ended', label: '任期结束' },
              { value: 'recalled', label: '召回调整' },
            ]}
            block={isMobile}
          />
        </Form.Item>
        <Form.Item
          name="endedOn"
          label="离任日期"
          rules={[
            { required: true, message: '请选择离任日期' },
            {
              validator: (_r, v: string | undefined) =>
                v && v < fs.startDate ? Promise.reject(new Error('不能早于任职日期')) : Promise.resolve(),
            },
          ]}
          {...dateProps}
        >
          <DatePicker style={{ width: '100%' }} format="YYYY年M月D日" allowClear={false} />
        </Form.Item>
        <Form.Item
          name="endReason"
          label="离任原因"
          rules={[
            ...(status === 'recalled' ? [{ required: true, whitespace: true, message: '召回时请写明原因' }] : []),
            { max: 200, message: '不能超过 200 个字' },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={200}
            placeholder={status === 'recalled' ? '如：工作调整、考核不称职' : '如：任期届满（选填）'}
          />
        </Form.Item>
      </Form>
      <div className="muted">
        {fs.username ? `离任后其本人账号（${fs.username}）随即停用，` : ''}离任日期起不再计算在村天数。
      </div>
    </Modal>
  );
}

/** The new account's username and one-time password, shown this once. */
export function AccountModal({ account, onClose }: { account: FsAccount | null; onClose: () => void }) {
  const { message } = useFeedback();
  const copy = () => {
    const text = `用户名：${account?.username}\n一次性密码：${account?.oneTimePassword}`;
    if (navigator.clipboard && window.isSecureContext)
      navigator.clipboard.writeText(text).then(
        () => message.success('已复制用户名和一次性密码'),
        () => message.info('请手动选中复制'),
      );
    else message.info('请手动选中复制');
  };
  return (
    <Modal
      open={!!account}
      title="账号已开通"
      onCancel={onClose}
      maskClosable={false}
      footer={
        <>
          <Button icon={<CopyOutlined />} onClick={copy} data-testid="fs-account-copy">
            复制
          </Button>
          <Button type="primary" onClick={onClose}>
            我已记下
          </Button>
        </>
      }
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title="一次性密码只显示这一次"
        description="请现在复制或抄下，当面或通过安全渠道交给本人；本人首次登录时须修改密码。关闭后无法再次查看，遗失只能重置密码。"
      />
      <div className="fs-account" data-testid="fs-account">
        <div>
          <span className="muted">用户名</span>
          <b className="mono">{account?.username}</b>
        </div>
        <div>
          <span className="muted">一次性密码</span>
          <b className="mono" data-testid="fs-account-password">
            {account?.oneTimePassword}
          </b>
        </div>
      </div>
    </Modal>
  );
}

/** 不批准: the reason is required. */
export function RejectModal({
  open,
  title,
  busy,
  onCancel,
  onOk,
}: {
  open: boolean;
  title: string;
  busy: boolean;
  onCancel: () => void;
  onOk: (comment: string) => void;
}) {
  const [form] = Form.useForm<{ comment?: string }>();
  return (
    <Modal
      open={open}
      title={title}
      okText="不批准"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => onOk((v.comment ?? '').trim())} preserve={false}>
        <Form.Item
          name="comment"
          label="不批准的原因"
          rules={[
            { required: true, whitespace: true, message: '不批准时请写明原因' },
            { max: 300, message: '不能超过 300 个字' },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={300} data-testid="fs-leave-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
