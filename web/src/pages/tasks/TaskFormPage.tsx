/**
 * 下发任务: a task for every organization of the chosen kinds (and fields) below an organization. What is
 * typed is kept as a draft on this device (app/drafts.ts) until the server has the task, with the form's
 * clientId: a send repeated after a lost answer gets the task it made (200) instead of a second one.
 */
import { ArrowLeftOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { FIELD_LABELS, type FIELDS, ORG_KIND_LABELS, type ORG_KINDS } from '../../../../contract/labels.ts';
import { ApiError, api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { newClientId } from '../../app/offline.ts';
import { orgKeys } from '../../app/org-tree.ts';
import type { OrgDetail, TaskCreated } from '../../app/types.ts';
import { beijingToday } from './shared.tsx';
import { defaultTargetKinds as defaultKinds, TargetsFields } from './TargetsFields.tsx';

type OrgKind = (typeof ORG_KINDS)[number];
type Field = (typeof FIELDS)[number];

/** The form as it is kept in the draft: plain JSON (the deadline as YYYY-MM-DD). */
interface FormValues {
  title?: string;
  description?: string;
  source?: string;
  deadline?: string;
  weight?: number | null;
  evidenceNeeded?: string;
  underOrgId?: string;
  orgKinds?: OrgKind[];
  fields?: Field[];
  /** Made once per form and kept with its draft: a send repeated after a lost answer gets the same record back. */
  clientId?: string;
}

/** The form's fields by the names the server gives them in its field issues. */
const FIELD_NAMES: Record<string, string> = {
  title: '任务名称',
  description: '任务内容',
  source: '任务来源',
  deadline: '完成时限',
  weight: '分值',
  evidenceNeeded: '佐证材料要求',
  underOrgId: '下发范围',
  orgKinds: '组织类别',
  fields: '领域',
};
const RENAME: Record<string, string> = {
  targets: 'underOrgId',
  'targets.underOrgId': 'underOrgId',
  'targets.orgKinds': 'orgKinds',
  'targets.fields': 'fields',
};

/** The kinds a task goes to by default: the committees below the county, the branches below anything else. */
const trimmed = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

export default function TaskFormPage() {
  useDocumentTitle('下发任务');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [form] = Form.useForm<FormValues>();
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [restoredAt, setRestoredAt] = useState<number | null>(null);
  const [lastSaved, setLastSaved] = useState<number | null>(null);
  const initialized = useRef(false);
  /** The kinds were chosen by hand (or restored): choosing another scope leaves them alone. */
  const kindsTouched = useRef(false);
  const draftKey = `task.${me?.id ?? 'anon'}.new`;

  // The user's own organization: the default scope, and whether it is the county's top (the default kinds).
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

  const onValuesChange = (changed: Partial<FormValues>, all: FormValues) => {
    if ('orgKinds' in changed) kindsTouched.current = true;
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

  const submit = async (v: FormValues) => {
    setBusy(true);
    setErr(null);
    try {
      const body = {
        title: v.title?.trim(),
        description: v.description?.trim() ?? '',
        source: trimmed(v.source),
        deadline: v.deadline,
        weight: typeof v.weight === 'number' ? v.weight : undefined,
        evidenceNeeded: trimmed(v.evidenceNeeded),
        targets: {
          underOrgId: v.underOrgId,
          orgKinds: v.orgKinds,
          fields: v.fields?.length ? v.fields : undefined,
        },
        clientId: v.clientId ?? form.getFieldValue('clientId'),
      };
      const made = await api.post<TaskCreated>('/api/tasks', body);
      clearDraft(draftKey);
      await qc.invalidateQueries({ queryKey: ['tasks'] });
      message.success(`已下发给 ${made.assignments.length} 个组织`);
      navigate(`/tasks/${made.id}`, { replace: true });
    } catch (e) {
      const unmatched = applyFieldErrors(form, e, FIELD_NAMES, RENAME);
      // Every issue stands beside its field: the top says so (the server's sentence names fields by their paths).
      const allPlaced = e instanceof ApiError && e.code === 'VALIDATION' && e.fields.length > 0 && !unmatched.length;
      setErr(allPlaced ? new Error('提交的内容有误，请按标红的提示修改') : e);
      if (e instanceof ApiError && e.status === 0)
        message.warning('网络不稳定，任务未下发。填写的内容已保存在本机草稿中，可稍后重试。');
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      setBusy(false);
    }
  };

  const today = beijingToday();
  const kindText = (kinds ?? []).map((k) => ORG_KIND_LABELS[k]).join('、');
  const fieldText = (fields ?? []).map((f) => FIELD_LABELS[f]).join('、');

  return (
    <div>
      <div className="page-head">
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/tasks')} aria-label="返回" />
        <h1>下发任务</h1>
      </div>
      <Card className="form-card">
        {restoredAt ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`已恢复 ${dayjs(restoredAt).format('M月D日 HH:mm')} 未下发的草稿`}
            action={
              <Button size="small" onClick={discardDraft} data-testid="task-draft-discard">
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
          onValuesChange={onValuesChange}
          onFinishFailed={({ errorFields }) => {
            if (errorFields[0]) form.scrollToField(errorFields[0].name, { block: 'center' });
          }}
          onKeyDown={(e) => {
            // Enter never sends a half-filled form from a text box.
            if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') e.preventDefault();
          }}
          requiredMark
          data-testid="task-form"
        >
          <Form.Item name="clientId" hidden>
            <Input />
          </Form.Item>
          <div className="section-title" style={{ marginTop: 0 }}>
            任务内容
          </div>
          <Form.Item
            name="title"
            label="任务名称"
            rules={[
              { required: true, whitespace: true, message: '请填写任务名称' },
              { max: 100, message: '任务名称不能超过 100 个字' },
            ]}
          >
            <Input maxLength={100} placeholder="如：开展“三会一课”制度落实情况自查" data-testid="task-title" />
          </Form.Item>
          <Form.Item name="description" label="任务内容" rules={[{ max: 5000, message: '任务内容不能超过 5000 个字' }]}>
            <Input.TextArea
              autoSize={{ minRows: 4, maxRows: 14 }}
              maxLength={5000}
              placeholder="要做什么、怎么做、达到什么标准"
              data-testid="task-description"
            />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="deadline"
                label="完成时限"
                rules={[{ required: true, message: '请选择完成时限' }]}
                getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : null })}
                normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  disabledDate={(d) => d.format('YYYY-MM-DD') < today}
                  inputReadOnly={isMobile}
                  placeholder="选择日期（不早于今天）"
                  data-testid="task-deadline"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="source" label="任务来源" rules={[{ max: 200, message: '任务来源不能超过 200 个字' }]}>
                <Input maxLength={200} placeholder="如：文件文号、会议名称（选填）" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="evidenceNeeded"
                label="佐证材料要求"
                rules={[{ max: 500, message: '佐证材料要求不能超过 500 个字' }]}
              >
                <Input maxLength={500} placeholder="如：会议照片、会议记录、工作台账（选填）" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="weight" label="分值" extra="在考核中的分值，0–100（选填）">
                <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} placeholder="选填" />
              </Form.Item>
            </Col>
          </Row>

          <TargetsFields
            what="任务"
            testId="task"
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
              title={`将下发给下发范围内${fieldText ? `${fieldText}领域的` : '的'}每个${kindText}，各自签收、办理并上报。`}
            />
          ) : null}

          <div className="form-actions form-actions-sticky">
            <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={busy} data-testid="task-submit">
              下发
            </Button>
            <Button onClick={() => navigate('/tasks')}>取消</Button>
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
