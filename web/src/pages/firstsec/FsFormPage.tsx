/**
 * 登记第一书记: a first secretary, village work-team member or two-new Party-building instructor posted to
 * an organization — the person (name and ID number, or an existing Party member of my scope), the
 * dispatching unit and its liaison, the organization, the term (2 years from the start by default: FS-2
 * says 1–3 years) and the work areas the city named. What is typed is kept as a draft on this device until
 * the server has the record; then the person's page opens.
 */
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Form, Input, Row, Segmented } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { addMonths } from '../../../../contract/calendar.ts';
import type { FsArea } from '../../../../contract/labels.ts';
import { FS_ROLE_LABELS, FS_ROLES } from '../../../../contract/labels.ts';
import { ApiError, api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { checkIdNumber } from '../../app/idcard.ts';
import type { FsView } from '../../app/types.ts';
import { MemberSelect } from '../../components/MemberSelect.tsx';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import { AreaTags, beijingToday } from './roster-shared.tsx';

type Role = (typeof FS_ROLES)[number];

/** The form as kept in the draft: plain JSON (days as YYYY-MM-DD). */
interface FormValues {
  who?: 'new' | 'member';
  name?: string;
  idNumber?: string;
  memberId?: string;
  role?: Role;
  dispatchUnit?: string;
  liaison?: string;
  orgId?: string;
  startDate?: string;
  endDate?: string;
  areas?: FsArea[];
}

const FIELD_NAMES: Record<string, string> = {
  name: '姓名',
  idNumber: '身份证号码',
  memberId: '党员',
  role: '类别',
  dispatchUnit: '派出单位',
  liaison: '派出单位联络人',
  orgId: '驻村（驻点）组织',
  startDate: '任职日期',
  endDate: '任期届满日期',
  areas: '工作领域',
};

const trimmed = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
/** FS-2's usual term: two years from the start. */
const termEnd = (start: string) => addMonths(start, 24);

const dateProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined),
};

export default function FsFormPage() {
  useDocumentTitle('登记第一书记');
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
  const draftKey = `firstsec.${me?.id ?? 'anon'}.new`;
  const who = Form.useWatch('who', form) ?? 'new';
  const startDate = Form.useWatch('startDate', form);

  const fresh = (): FormValues => {
    const start = beijingToday();
    return { who: 'new', role: 'firstSecretary', startDate: start, endDate: termEnd(start), areas: [] };
  };

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

  const onValuesChange = (changed: Partial<FormValues>, all: FormValues) => {
    // A new start moves the planned end with it while the end is still the default two years.
    if (changed.startDate && !form.isFieldTouched('endDate')) {
      const end = termEnd(changed.startDate);
      form.setFieldValue('endDate', end);
      all = { ...all, endDate: end };
    }
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
      const byMember = v.who === 'member';
      const made = await api.post<FsView>('/api/first-secretaries', {
        name: v.name?.trim(),
        idNumber: byMember ? undefined : v.idNumber?.trim().toUpperCase(),
        memberId: byMember ? v.memberId : undefined,
        role: v.role,
        dispatchUnit: v.dispatchUnit?.trim(),
        liaison: trimmed(v.liaison),
        orgId: v.orgId,
        startDate: v.startDate,
        endDate: v.endDate,
        areas: v.areas ?? [],
      });
      clearDraft(draftKey);
      await qc.invalidateQueries({ queryKey: ['firstsec'] });
      message.success(`已登记${FS_ROLE_LABELS[made.role]}${made.name}，派驻${made.orgName}`);
      navigate(`/first-secretaries/${made.id}`, { replace: true });
    } catch (e) {
      const unmatched = applyFieldErrors(form, e, FIELD_NAMES);
      const allPlaced = e instanceof ApiError && e.code === 'VALIDATION' && e.fields.length > 0 && !unmatched.length;
      setErr(allPlaced ? new Error('提交的内容有误，请按标红的提示修改') : e);
      if (e instanceof ApiError && e.status === 0)
        message.warning('网络不稳定，尚未登记。填写的内容已保存在本机草稿中，可稍后重试。');
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
          onClick={() => navigate('/first-secretaries')}
          aria-label="返回"
        />
        <h1>登记第一书记</h1>
      </div>
      <Card className="form-card">
        {restoredAt ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`已恢复 ${dayjs(restoredAt).format('M月D日 HH:mm')} 未提交的草稿`}
            action={
              <Button size="small" onClick={discardDraft} data-testid="fs-draft-discard">
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
          data-testid="fs-form"
        >
          <Form.Item name="role" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
            <Segmented<Role>
              options={FS_ROLES.map((r) => ({ value: r, label: FS_ROLE_LABELS[r] }))}
              aria-label="类别"
              data-testid="fs-role"
            />
          </Form.Item>
          <Form.Item name="who" label="人员">
            <Segmented
              options={[
                { value: 'new', label: '录入身份证号码' },
                { value: 'member', label: '从党员中选择' },
              ]}
              aria-label="人员"
              data-testid="fs-who"
            />
          </Form.Item>
          {who === 'member' ? (
            <Form.Item
              name="memberId"
              label="党员"
              extra="从党员名册中选择，身份证号码按名册登记"
              rules={[{ required: true, message: '请选择党员' }]}
            >
              <MemberSelect onChange={(id, m) => form.setFieldsValue({ memberId: id, name: m?.name ?? undefined })} />
            </Form.Item>
          ) : null}
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="name"
                label="姓名"
                rules={[
                  { required: true, whitespace: true, message: '请填写姓名' },
                  { max: 30, message: '姓名不能超过 30 个字' },
                ]}
              >
                <Input maxLength={30} autoComplete="off" disabled={who === 'member'} data-testid="fs-name" />
              </Form.Item>
            </Col>
            {who === 'new' ? (
              <Col xs={24} md={12}>
                <Form.Item
                  name="idNumber"
                  label="身份证号码"
                  rules={[
                    { required: true, whitespace: true, message: '请填写身份证号码' },
                    {
                      validator: (_r, v: string | undefined) => {
                        if (!v?.trim()) return Promise.resolve();
                        const c = checkIdNumber(v);
                        return c.ok ? Promise.resolve() : Promise.reject(new Error(`身份证号码${c.message}`));
                      },
                    },
                  ]}
                >
                  <Input maxLength={18} autoComplete="off" placeholder="18 位公民身份号码" data-testid="fs-id" />
                </Form.Item>
              </Col>
            ) : null}
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="dispatchUnit"
                label="派出单位"
                rules={[
                  { required: true, whitespace: true, message: '请填写派出单位' },
                  { max: 100, message: '派出单位不能超过 100 个字' },
                ]}
              >
                <Input maxLength={100} placeholder="如：县财政局" data-testid="fs-unit" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="liaison"
                label="派出单位联络人及电话"
                rules={[{ max: 100, message: '不能超过 100 个字' }]}
              >
                <Input maxLength={100} placeholder="如：张明 0543-1234567（选填）" data-testid="fs-liaison" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="orgId"
            label="驻村（驻点）组织"
            extra="派驻的村（社区）或其他基层党组织"
            rules={[{ required: true, message: '请选择驻村（驻点）组织' }]}
          >
            <OrgSelect allowClear={false} aria-label="驻村（驻点）组织" data-testid="fs-org" />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="startDate"
                label="任职日期"
                rules={[{ required: true, message: '请选择任职日期' }]}
                {...dateProps}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  format="YYYY年M月D日"
                  inputReadOnly={isMobile}
                  allowClear={false}
                  data-testid="fs-start"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="endDate"
                label="任期届满日期"
                extra="任期一般为 1 至 3 年，默认任职日期起 2 年"
                rules={[
                  { required: true, message: '请选择任期届满日期' },
                  {
                    validator: (_r, v: string | undefined) =>
                      v && startDate && v <= startDate
                        ? Promise.reject(new Error('任期届满日期应晚于任职日期'))
                        : Promise.resolve(),
                  },
                ]}
                {...dateProps}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  format="YYYY年M月D日"
                  inputReadOnly={isMobile}
                  allowClear={false}
                  data-testid="fs-end"
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="areas" label="工作领域" extra="可多选，点击选中或取消">
            <AreaTags />
          </Form.Item>

          <div className="form-actions form-actions-sticky">
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy} data-testid="fs-submit">
              登记
            </Button>
            <Button onClick={() => navigate('/first-secretaries')}>取消</Button>
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
