/**
 * 下发文件: a document (PDF or Word) for every organization of the chosen kinds (and fields) below an
 * organization, with a day to sign for it and a day to report how it was carried out. Sent as multipart:
 * the JSON in the field `data`, then the file (app/api.ts `upload` writes its fields before the file).
 * What is typed is kept as a draft on this device until the server has the document; the file is not (it
 * is chosen again after a reload) but stays on the page when sending fails. The form's clientId goes with
 * the draft and in `data`: a send repeated after a lost answer gets the document it made (200).
 */
import { ArrowLeftOutlined, CloseOutlined, FileAddOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Form, Input, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { FIELD_LABELS, type FIELDS, ORG_KIND_LABELS, type ORG_KINDS } from '../../../../contract/labels.ts';
import { ApiError, api, upload } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { bytesText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { newClientId } from '../../app/offline.ts';
import { orgKeys } from '../../app/org-tree.ts';
import type { DirectiveView, OrgDetail } from '../../app/types.ts';
import { beijingToday } from './shared.tsx';
import { defaultTargetKinds as defaultKinds, TargetsFields } from './TargetsFields.tsx';

type OrgKind = (typeof ORG_KINDS)[number];
type Field = (typeof FIELDS)[number];

/** The form as it is kept in the draft: plain JSON (dates as YYYY-MM-DD). */
interface FormValues {
  title?: string;
  docNumber?: string;
  summary?: string;
  signDeadline?: string;
  reportDeadline?: string;
  underOrgId?: string;
  orgKinds?: OrgKind[];
  fields?: Field[];
  /** Made once per form and kept with its draft: a send repeated after a lost answer gets the same record back. */
  clientId?: string;
}

const FIELD_NAMES: Record<string, string> = {
  title: '文件标题',
  docNumber: '文号',
  summary: '内容摘要',
  signDeadline: '签收时限',
  reportDeadline: '落实情况报告时限',
  underOrgId: '下发范围',
  orgKinds: '组织类别',
  fields: '领域',
};

/** What the server reads as a PDF or Word file (it checks the content; this only spares a wasted upload). */
const ACCEPT = '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const isDocument = (f: File) => /\.(pdf|docx)$/i.test(f.name);

/** The kinds a document goes to by default: the committees below the county, the branches below anything else. */
const trimmed = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

export default function DirectiveFormPage() {
  useDocumentTitle('下发文件');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [form] = Form.useForm<FormValues>();
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [percent, setPercent] = useState<number | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileErr, setFileErr] = useState<string | null>(null);
  const [restoredAt, setRestoredAt] = useState<number | null>(null);
  const [lastSaved, setLastSaved] = useState<number | null>(null);
  const initialized = useRef(false);
  const kindsTouched = useRef(false);
  const draftKey = `directive.${me?.id ?? 'anon'}.new`;

  const own = useQuery({
    queryKey: orgKeys.detail(me?.orgId ?? ''),
    queryFn: () => api.get<OrgDetail>(`/api/orgs/${me?.orgId}`),
    enabled: !!me?.orgId,
    staleTime: 60_000,
  });

  useEffect(() => {
    if (!me || initialized.current) return;
    initialized.current = true;
    const draft = loadDraft<FormValues>(draftKey);
    if (draft) {
      form.setFieldsValue({ ...draft.values, clientId: draft.values.clientId ?? newClientId() });
      kindsTouched.current = true;
      setRestoredAt(draft.savedAt);
    } else form.setFieldsValue({ underOrgId: me.orgId, clientId: newClientId() });
  }, [me, draftKey, form]);
  useEffect(() => {
    if (own.data && !kindsTouched.current && !form.getFieldValue('orgKinds')?.length)
      form.setFieldsValue({ orgKinds: defaultKinds(own.data) });
  }, [own.data, form]);

  const kinds = Form.useWatch('orgKinds', form);
  const fields = Form.useWatch('fields', form);
  const signDeadline = Form.useWatch('signDeadline', form);

  const onValuesChange = (changed: Partial<FormValues>, all: FormValues) => {
    if ('orgKinds' in changed) kindsTouched.current = true;
    // A report deadline before the new sign deadline is checked again.
    if ('signDeadline' in changed && all.reportDeadline) void form.validateFields(['reportDeadline']).catch(() => {});
    saveDraft(draftKey, all);
    setLastSaved(Date.now());
  };

  const discardDraft = () => {
    clearDraft(draftKey);
    form.resetFields();
    kindsTouched.current = false;
    form.setFieldsValue({ underOrgId: me?.orgId, orgKinds: defaultKinds(own.data), clientId: newClientId() });
    setRestoredAt(null);
    setLastSaved(null);
    setErr(null);
  };

  const pick = (files: FileList | null) => {
    const f = files?.[0];
    if (!f) return;
    if (!isDocument(f)) {
      setFileErr(`${f.name} 不是 PDF 或 Word（.docx）文件`);
      return;
    }
    setFile(f);
    setFileErr(null);
  };

  const submit = async (v: FormValues) => {
    if (!file) {
      setFileErr('请选择要下发的文件（PDF 或 Word）');
      return;
    }
    setBusy(true);
    setErr(null);
    setPercent(0);
    try {
      const data = {
        title: v.title?.trim(),
        docNumber: trimmed(v.docNumber),
        summary: trimmed(v.summary),
        signDeadline: v.signDeadline,
        reportDeadline: v.reportDeadline,
        targets: {
          underOrgId: v.underOrgId,
          orgKinds: v.orgKinds,
          fields: v.fields?.length ? v.fields : undefined,
        },
        clientId: v.clientId ?? form.getFieldValue('clientId'),
      };
      const res = await upload<DirectiveView>('/api/directives', {}, file, setPercent, [], {
        data: JSON.stringify(data),
      }).promise;
      const made = res.body;
      clearDraft(draftKey);
      qc.setQueryData(['directives', 'detail', made.id], made);
      void qc.invalidateQueries({ queryKey: ['directives'] });
      message.success(`已下发给 ${made.counts.total} 个组织`);
      navigate(`/directives/${made.id}`, { replace: true });
    } catch (e) {
      applyFieldErrors(form, e, FIELD_NAMES);
      setErr(e);
      if (e instanceof ApiError && (e.code === 'NETWORK' || e.code === 'TIMEOUT'))
        message.warning('网络不稳定，文件未下发。填写的内容已保存在本机草稿中，文件仍在本页，可稍后重试。');
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      setBusy(false);
      setPercent(null);
    }
  };

  const today = beijingToday();
  const kindText = (kinds ?? []).map((k) => ORG_KIND_LABELS[k]).join('、');
  const fieldText = (fields ?? []).map((f) => FIELD_LABELS[f]).join('、');
  const dateProps = {
    getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v) : null }),
    normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined),
  };

  return (
    <div>
      <div className="page-head">
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/directives')} aria-label="返回" />
        <h1>下发文件</h1>
      </div>
      <Card className="form-card">
        {restoredAt ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`已恢复 ${dayjs(restoredAt).format('M月D日 HH:mm')} 未下发的草稿（文件需重新选择）`}
            action={
              <Button size="small" onClick={discardDraft}>
                放弃草稿
              </Button>
            }
          />
        ) : null}
        {err ? <ErrorAlert err={err} style={{ marginBottom: 16 }} /> : null}
        <Form<FormValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          onFinishFailed={({ errorFields }) => {
            if (!file) setFileErr('请选择要下发的文件（PDF 或 Word）');
            if (errorFields[0]) form.scrollToField(errorFields[0].name, { block: 'center' });
          }}
          onValuesChange={onValuesChange}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') e.preventDefault();
          }}
          requiredMark
          data-testid="directive-form"
        >
          <Form.Item name="clientId" hidden>
            <Input />
          </Form.Item>
          <div className="section-title" style={{ marginTop: 0 }}>
            文件
          </div>
          <Form.Item
            name="title"
            label="文件标题"
            rules={[
              { required: true, whitespace: true, message: '请填写文件标题' },
              { max: 200, message: '文件标题不能超过 200 个字' },
            ]}
          >
            <Input
              maxLength={200}
              placeholder="如：关于开展党支部标准化规范化建设的通知"
              data-testid="directive-title"
            />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="docNumber" label="文号" rules={[{ max: 50, message: '文号不能超过 50 个字' }]}>
                <Input maxLength={50} placeholder="如：兰组〔2026〕12号（选填）" data-testid="directive-doc-number" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label="文件" required validateStatus={fileErr ? 'error' : undefined} help={fileErr}>
                {file ? (
                  <div className="directive-file" data-testid="directive-file-chosen">
                    <FileAddOutlined />
                    <span className="directive-file-name">{file.name}</span>
                    <span className="muted">{bytesText(file.size)}</span>
                    <Button
                      type="text"
                      size="small"
                      icon={<CloseOutlined />}
                      onClick={() => setFile(null)}
                      disabled={busy}
                      aria-label={`移除 ${file.name}`}
                    />
                  </div>
                ) : (
                  <label className="mr-file-btn directive-file-btn">
                    <FileAddOutlined /> 选择文件（PDF 或 Word）
                    <input
                      type="file"
                      accept={ACCEPT}
                      // Not `hidden`: antd's form shows file inputs (display: block) over the attribute.
                      style={{ display: 'none' }}
                      onChange={(e) => {
                        pick(e.target.files);
                        e.target.value = '';
                      }}
                      data-testid="directive-file"
                    />
                  </label>
                )}
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="summary" label="内容摘要" rules={[{ max: 2000, message: '内容摘要不能超过 2000 个字' }]}>
            <Input.TextArea
              autoSize={{ minRows: 3, maxRows: 10 }}
              maxLength={2000}
              placeholder="文件的主要要求，接收单位在列表和手机上先看到这段话（选填）"
            />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="signDeadline"
                label="签收时限"
                rules={[{ required: true, message: '请选择签收时限' }]}
                {...dateProps}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  disabledDate={(d) => d.format('YYYY-MM-DD') < today}
                  inputReadOnly={isMobile}
                  placeholder="选择日期（不早于今天）"
                  data-testid="directive-sign-deadline"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="reportDeadline"
                label="落实情况报告时限"
                dependencies={['signDeadline']}
                rules={[
                  { required: true, message: '请选择落实情况报告时限' },
                  ({ getFieldValue }) => ({
                    validator: (_, v: string | undefined) => {
                      const sign = getFieldValue('signDeadline') as string | undefined;
                      return v && sign && v < sign
                        ? Promise.reject(new Error('报告时限不能早于签收时限'))
                        : Promise.resolve();
                    },
                  }),
                ]}
                {...dateProps}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  disabledDate={(d) => {
                    const s = d.format('YYYY-MM-DD');
                    return s < today || (!!signDeadline && s < signDeadline);
                  }}
                  inputReadOnly={isMobile}
                  placeholder="选择日期（不早于签收时限）"
                  data-testid="directive-report-deadline"
                />
              </Form.Item>
            </Col>
          </Row>

          <TargetsFields
            what="文件"
            testId="directive"
            onScopeChange={(org) => {
              // Form.Item has taken the value; a new scope brings its default kinds unless they were chosen.
              if (kindsTouched.current || !org) return;
              form.setFieldsValue({ orgKinds: defaultKinds(org) });
              saveDraft(draftKey, form.getFieldsValue(true));
            }}
          />
          {kindText ? (
            <Alert
              type="info"
              style={{ marginBottom: 16 }}
              title={`将下发给下发范围内${fieldText ? `${fieldText}领域的` : '的'}每个${kindText}，各自按时签收并报告贯彻落实情况。`}
            />
          ) : null}

          {percent !== null ? (
            <div className="task-upload-progress" style={{ marginBottom: 12 }} data-testid="directive-progress">
              <div className="task-bar">
                <div className="task-bar-done" style={{ width: `${percent}%` }} />
              </div>
              <span className="muted">{percent < 100 ? `正在上传 ${percent}%` : '上传完成，正在下发…'}</span>
            </div>
          ) : null}
          <div className="form-actions form-actions-sticky">
            <Button
              type="primary"
              htmlType="submit"
              icon={<SendOutlined />}
              loading={busy}
              data-testid="directive-submit"
            >
              下发
            </Button>
            <Button onClick={() => navigate('/directives')} disabled={busy}>
              取消
            </Button>
            <span className="muted" style={{ alignSelf: 'center', fontSize: 12 }}>
              {lastSaved
                ? `草稿已自动保存在本机（${dayjs(lastSaved).format('HH:mm:ss')}）`
                : '填写内容会自动保存为本机草稿'}
            </span>
          </div>
        </Form>
      </Card>
    </div>
  );
}
