/**
 * 登记检查: a research visit, a routine check or a random spot check of an organization below mine —
 * the day (not after today), the inspectors, what was seen, and each problem found (with what would close
 * it, 整改要求). Each finding becomes an open problem of that organization, planned by it and closed by
 * our pass. Opened from a spot-check draw (`?orgId=&drawId=&kind=spot`) or a stop of an inspection plan
 * (`?orgId=&planId=&kind=`) it records that visit under it. What is typed is kept as a draft on this
 * device until the server has the record.
 */
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Form, Input, Row, Segmented } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { INSPECTION_KIND_LABELS, INSPECTION_KINDS } from '../../../../contract/labels.ts';
import { ApiError, api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { InspectionView } from '../../app/types.ts';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import { beijingToday } from './shared.tsx';

type Kind = (typeof INSPECTION_KINDS)[number];

/** The form as it is kept in the draft: plain JSON (the day as YYYY-MM-DD). */
interface FormValues {
  kind?: Kind;
  orgId?: string;
  checkedOn?: string;
  inspectors?: string;
  summary?: string;
  findings?: { text?: string; clearedBy?: string }[];
}

const FIELD_NAMES: Record<string, string> = {
  kind: '检查类别',
  orgId: '被检查组织',
  checkedOn: '检查日期',
  inspectors: '检查人员',
  summary: '检查情况',
  findings: '发现的问题',
};

const isKind = (k: string | null): k is Kind => !!k && (INSPECTION_KINDS as readonly string[]).includes(k);
const trimmed = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

export default function InspectionFormPage() {
  useDocumentTitle('登记检查');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [params] = useSearchParams();
  const drawId = params.get('drawId') || undefined;
  const planId = params.get('planId') || undefined;
  const askedOrg = params.get('orgId') || undefined;
  const askedKind = params.get('kind');
  const [form] = Form.useForm<FormValues>();
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [restoredAt, setRestoredAt] = useState<number | null>(null);
  const [lastSaved, setLastSaved] = useState<number | null>(null);
  const initialized = useRef(false);
  // One draft per visit: the one opened from a draw for an organization is not another's.
  const from = drawId ?? planId;
  const draftKey = `inspection.${me?.id ?? 'anon'}.${from ?? 'new'}.${from ? (askedOrg ?? '') : ''}`;
  const today = beijingToday();

  const fresh = (): FormValues => ({
    kind: isKind(askedKind) ? askedKind : drawId ? 'spot' : 'routine',
    orgId: askedOrg,
    checkedOn: today,
    findings: [{ text: '', clearedBy: '' }],
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: filled once, when the user is known
  useEffect(() => {
    if (!me || initialized.current) return;
    initialized.current = true;
    const draft = loadDraft<FormValues>(draftKey);
    if (draft) {
      form.setFieldsValue(draft.values);
      setRestoredAt(draft.savedAt);
    } else form.setFieldsValue(fresh());
  }, [me, draftKey, form]);

  const onValuesChange = (_: Partial<FormValues>, all: FormValues) => {
    saveDraft(draftKey, all);
    setLastSaved(Date.now());
  };

  const discardDraft = () => {
    clearDraft(draftKey);
    form.resetFields();
    form.setFieldsValue(fresh());
    setRestoredAt(null);
    setLastSaved(null);
    setErr(null);
  };

  const submit = async (v: FormValues) => {
    setBusy(true);
    setErr(null);
    try {
      const findings = (v.findings ?? [])
        .filter((f) => f.text?.trim())
        .map((f) => ({ text: (f.text ?? '').trim(), clearedBy: trimmed(f.clearedBy) }));
      const made = await api.post<InspectionView>('/api/inspections', {
        kind: v.kind,
        orgId: v.orgId,
        checkedOn: v.checkedOn,
        inspectors: v.inspectors?.trim(),
        summary: trimmed(v.summary),
        drawId,
        planId,
        findings,
      });
      clearDraft(draftKey);
      await qc.invalidateQueries({ queryKey: ['inspections'] });
      void qc.invalidateQueries({ queryKey: ['problems'] });
      message.success(
        made.findings.length
          ? `已登记检查，${made.findings.length} 个问题已列入${made.orgName}的问题清单`
          : `已登记对${made.orgName}的检查`,
      );
      navigate('/inspections', { replace: true, state: { highlight: made.id } });
    } catch (e) {
      const unmatched = applyFieldErrors(form, e, FIELD_NAMES);
      const allPlaced = e instanceof ApiError && e.code === 'VALIDATION' && e.fields.length > 0 && !unmatched.length;
      setErr(allPlaced ? new Error('提交的内容有误，请按标红的提示修改') : e);
      if (e instanceof ApiError && e.status === 0)
        message.warning('网络不稳定，检查未登记。填写的内容已保存在本机草稿中，可稍后重试。');
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <div className="page-head">
        <Button
          type="text"
          icon={<ArrowLeftOutlined />}
          onClick={() => (from ? navigate(-1) : navigate('/inspections'))}
          aria-label="返回"
        />
        <h1>登记检查</h1>
      </div>
      <Card className="form-card">
        {drawId ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="来自随机抽查：登记后记入该次抽查，被检查组织须在抽中的名单内"
          />
        ) : null}
        {planId ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="按检查计划登记：登记后计入该计划的完成情况，被检查组织须是计划中的检查对象"
          />
        ) : null}
        {restoredAt ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`已恢复 ${dayjs(restoredAt).format('M月D日 HH:mm')} 未提交的草稿`}
            action={
              <Button size="small" onClick={discardDraft} data-testid="inspection-draft-discard">
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
            if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') e.preventDefault();
          }}
          requiredMark
          data-testid="inspection-form"
        >
          <Form.Item name="kind" label="检查类别" rules={[{ required: true, message: '请选择检查类别' }]}>
            <Segmented<Kind>
              options={INSPECTION_KINDS.map((k) => ({ value: k, label: INSPECTION_KIND_LABELS[k] }))}
              block={isMobile}
              aria-label="检查类别"
              data-testid="inspection-kind"
            />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="orgId"
                label="被检查组织"
                extra="本组织以下的党组织"
                rules={[
                  { required: true, message: '请选择被检查组织' },
                  {
                    validator: (_, v: string | undefined) =>
                      v && v === me?.orgId
                        ? Promise.reject(new Error('督查检查由上级组织进行，请选择本组织以下的组织'))
                        : Promise.resolve(),
                  },
                ]}
              >
                <OrgSelect allowClear={false} aria-label="被检查组织" data-testid="inspection-org" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="checkedOn"
                label="检查日期"
                rules={[{ required: true, message: '请选择检查日期' }]}
                getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : null })}
                normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  format="YYYY年M月D日"
                  disabledDate={(d) => d.format('YYYY-MM-DD') > today}
                  inputReadOnly={isMobile}
                  placeholder="选择日期（不晚于今天）"
                  data-testid="inspection-date"
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="inspectors"
            label="检查人员"
            rules={[
              { required: true, whitespace: true, message: '请填写检查人员' },
              { max: 200, message: '检查人员不能超过 200 个字' },
            ]}
          >
            <Input
              maxLength={200}
              placeholder="如：李华、王芳（县委组织部组织科）"
              data-testid="inspection-inspectors"
            />
          </Form.Item>
          <Form.Item name="summary" label="检查情况" rules={[{ max: 2000, message: '检查情况不能超过 2000 个字' }]}>
            <Input.TextArea
              autoSize={{ minRows: 3, maxRows: 10 }}
              maxLength={2000}
              placeholder="查阅了哪些台账、走访了哪些党员、总体情况（选填）"
              data-testid="inspection-summary"
            />
          </Form.Item>

          <div className="section-title">
            发现的问题<span className="section-note">每个问题列入被检查组织的问题清单，整改后由本组织验收销号</span>
          </div>
          <Form.List name="findings">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, n) => (
                  <div key={f.key} className="insp-finding-row" data-testid="inspection-finding-row">
                    <div className="insp-finding-head">
                      <b>问题 {n + 1}</b>
                      <Button
                        type="text"
                        size="small"
                        icon={<DeleteOutlined />}
                        onClick={() => remove(f.name)}
                        aria-label={`删除问题 ${n + 1}`}
                      >
                        删除
                      </Button>
                    </div>
                    <Form.Item
                      name={[f.name, 'text']}
                      label="问题描述"
                      rules={[{ max: 500, message: '问题描述不能超过 500 个字' }]}
                    >
                      <Input.TextArea
                        autoSize={{ minRows: 2, maxRows: 6 }}
                        maxLength={500}
                        placeholder="如：2026年第三季度未召开党员大会"
                        data-testid="inspection-finding-text"
                      />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'clearedBy']}
                      label="整改要求"
                      rules={[{ max: 200, message: '整改要求不能超过 200 个字' }]}
                    >
                      <Input maxLength={200} placeholder="不填则为：整改到位并经上级验收" />
                    </Form.Item>
                  </div>
                ))}
                {fields.length >= 50 ? null : (
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() => add({ text: '', clearedBy: '' })}
                    block={isMobile}
                    style={{ marginBottom: 16 }}
                    data-testid="inspection-finding-add"
                  >
                    添加问题
                  </Button>
                )}
                {fields.length === 0 ? <div className="muted">未发现问题时可不填。</div> : null}
              </>
            )}
          </Form.List>

          <div className="form-actions form-actions-sticky">
            <Button
              type="primary"
              htmlType="submit"
              icon={<SaveOutlined />}
              loading={busy}
              data-testid="inspection-submit"
            >
              登记
            </Button>
            <Button onClick={() => navigate('/inspections')}>取消</Button>
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
