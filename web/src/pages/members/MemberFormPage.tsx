import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Form, Input, Radio, Row, Select, Skeleton, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { useCodeLists } from '../../app/codes.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { fromIso, toIso } from '../../app/format.ts';
import { useDocumentTitle } from '../../app/hooks.ts';
import { checkIdNumber } from '../../app/idcard.ts';
import {
  DECISION_TAG_LABELS,
  MEMBER_FIELD_LABELS,
  MEMBER_ORG_KINDS,
  PARTY_STATUS_DECISION,
  PARTY_STATUS_LABELS,
  PARTY_STATUSES,
  SEX_LABELS,
} from '../../app/labels.ts';
import type { MemberDetail } from '../../app/types.ts';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import { useFeedback } from '../../app/feedback.tsx';

const DATE_FIELDS = [
  'joinDate',
  'fullDate',
  'workStartDate',
  'lastContactDate',
  'probationFrom',
  'probationUntil',
  'probationDecidedOn',
] as const;

/** The server names the 留党察看 fields by their place in the body; the form keeps them flat. */
const PROBATION_FIELDS: Record<string, string> = {
  'partyProbation.from': 'probationFrom',
  'partyProbation.until': 'probationUntil',
  'partyProbation.decidedBy': 'probationDecidedBy',
  'partyProbation.decidedOn': 'probationDecidedOn',
  'partyProbation.decisionId': 'probationDecisionId',
};

interface FormValues {
  name?: string;
  idNumber?: string;
  orgId?: string;
  standing?: 'full' | 'probationary';
  joinDate?: Dayjs;
  fullDate?: Dayjs;
  phone?: string;
  address?: string;
  ethnicity?: string;
  education?: string;
  post?: string;
  personCategory?: string;
  joinMethod?: string;
  nativePlace?: string;
  workStartDate?: Dayjs;
  lostContact?: boolean;
  lastContactDate?: Dayjs;
  mobile?: boolean;
  /** 党籍状态 (MEM-7) and the 党员大会 decision that made it: editing only. */
  partyStatus?: string;
  partyStatusDecisionId?: string;
  /** 留党察看 (党章第四十条): editing only; the term gives the end date (at most two years). */
  probationOn?: boolean;
  probationFrom?: Dayjs;
  probationTerm?: '1' | '2' | 'other';
  probationUntil?: Dayjs;
  probationDecidedBy?: string;
  probationDecidedOn?: Dayjs;
  probationDecisionId?: string;
}

/** The end of a 留党察看 of one or two years from its first day, or the date typed. */
function probationEnd(v: FormValues): Dayjs | undefined {
  if (!v.probationFrom) return undefined;
  if (v.probationTerm === '1' || v.probationTerm === '2') return v.probationFrom.add(Number(v.probationTerm), 'year');
  return v.probationUntil;
}
type Serialized = Record<string, string | boolean | null | undefined>;

function serialize(v: FormValues): Serialized {
  const out: Serialized = {};
  for (const [k, val] of Object.entries(v)) {
    if (dayjs.isDayjs(val)) out[k] = toIso(val);
    else if (typeof val === 'string' || typeof val === 'boolean') out[k] = val;
    else if (val === null) out[k] = null;
  }
  return out;
}
function deserialize(s: Serialized): FormValues {
  const out: Record<string, unknown> = { ...s };
  for (const k of DATE_FIELDS) out[k] = typeof s[k] === 'string' ? fromIso(s[k] as string) : undefined;
  return out as FormValues;
}

function fromMember(m: MemberDetail): FormValues {
  return {
    name: m.name,
    orgId: m.orgId,
    standing: m.standing,
    joinDate: fromIso(m.joinDate),
    fullDate: fromIso(m.fullDate),
    ethnicity: m.ethnicity ?? undefined,
    education: m.education ?? undefined,
    post: m.post ?? undefined,
    personCategory: m.personCategory ?? undefined,
    joinMethod: m.joinMethod ?? undefined,
    nativePlace: m.nativePlace ?? undefined,
    workStartDate: fromIso(m.workStartDate),
    lostContact: m.lostContact,
    lastContactDate: fromIso(m.lastContactDate),
    mobile: m.mobile,
    partyStatus: m.partyStatus,
    partyStatusDecisionId: m.partyStatusDecision?.id,
    ...fromProbation(m.partyProbation),
  };
}

function fromProbation(p: MemberDetail['partyProbation']): FormValues {
  if (!p) return { probationOn: false, probationTerm: '1' };
  const from = fromIso(p.from);
  const until = fromIso(p.until);
  const term =
    from && until ? (['1', '2'] as const).find((n) => from.add(Number(n), 'year').isSame(until, 'day')) : undefined;
  return {
    probationOn: true,
    probationFrom: from,
    probationTerm: term ?? 'other',
    probationUntil: until,
    probationDecidedBy: p.decidedBy,
    probationDecidedOn: fromIso(p.decidedOn),
    probationDecisionId: p.decision?.id,
  };
}

const s = (v: string | undefined) => (v?.trim() ? v.trim() : null);

export default function MemberFormPage() {
  const codes = useCodeLists();
  const { id } = useParams();
  const editing = !!id;
  useDocumentTitle(editing ? '编辑党员' : '新增党员');
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  // Opened from the member's page (编辑): leaving goes back to that history entry, so its 返回 then
  // leaves the member instead of landing on a second copy of the same page.
  const fromDetail = (location.state as { from?: string } | null)?.from === 'detail';
  const leave = () =>
    editing ? (fromDetail ? navigate(-1) : navigate(`/members/${id}`, { replace: true })) : navigate('/members');
  const qc = useQueryClient();
  const { message } = useFeedback();
  const me = useMe().data;
  const [form] = Form.useForm<FormValues>();
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [restoredAt, setRestoredAt] = useState<number | null>(null);
  const [lastSaved, setLastSaved] = useState<number | null>(null);
  const initialized = useRef(false);
  const draftKey = `member.${me?.id ?? 'anon'}.${id ?? 'new'}`;

  const member = useQuery({
    queryKey: ['members', 'detail', id],
    queryFn: () => api.get<MemberDetail>(`/api/members/${id}`),
    enabled: editing,
  });

  const base: FormValues = useMemo(() => {
    if (editing) return member.data ? fromMember(member.data) : {};
    return {
      standing: 'full',
      ethnicity: '01',
      orgId: search.get('orgId') ?? undefined,
      lostContact: false,
      mobile: false,
    };
  }, [editing, member.data, search]);

  // Fill the form once: the saved record (or defaults), then a draft on top if there is one.
  const ready = !editing || !!member.data;
  useEffect(() => {
    if (!ready || initialized.current) return;
    initialized.current = true;
    form.setFieldsValue(base);
    const draft = loadDraft<Serialized>(draftKey);
    if (draft) {
      form.setFieldsValue(deserialize(draft.values));
      setRestoredAt(draft.savedAt);
    }
  }, [ready, base, draftKey, form]);

  const standing = Form.useWatch('standing', form);
  const idNumber = Form.useWatch('idNumber', form);
  const lostContact = Form.useWatch('lostContact', form);
  const partyStatus = Form.useWatch('partyStatus', form) as string | undefined;
  const probationOn = Form.useWatch('probationOn', form) as boolean | undefined;
  const probationTerm = Form.useWatch('probationTerm', form) as string | undefined;
  const idInfo = idNumber ? checkIdNumber(idNumber) : null;

  const onValuesChange = (_: unknown, all: FormValues) => {
    saveDraft(draftKey, serialize(all));
    setLastSaved(Date.now());
  };

  const discardDraft = () => {
    clearDraft(draftKey);
    form.resetFields();
    form.setFieldsValue(base);
    setRestoredAt(null);
    setLastSaved(null);
  };

  const submit = async (v: FormValues) => {
    setBusy(true);
    setErr(null);
    const common = {
      name: v.name?.trim(),
      orgId: v.orgId,
      standing: v.standing,
      joinDate: toIso(v.joinDate),
      fullDate: v.standing === 'full' ? toIso(v.fullDate) : null,
      ethnicity: v.ethnicity ?? null,
      education: v.education ?? null,
      post: s(v.post),
      personCategory: v.personCategory ?? null,
      joinMethod: v.joinMethod ?? null,
      nativePlace: s(v.nativePlace),
      workStartDate: toIso(v.workStartDate),
      lostContact: !!v.lostContact,
      lastContactDate: toIso(v.lastContactDate),
      mobile: !!v.mobile,
    };
    try {
      if (!editing) {
        const created = await api.post<MemberDetail>('/api/members', {
          ...common,
          idNumber: v.idNumber?.trim().toUpperCase(),
          phone: s(v.phone),
          address: s(v.address),
        });
        clearDraft(draftKey);
        await qc.invalidateQueries({ queryKey: ['members'] });
        await qc.invalidateQueries({ queryKey: ['orgs'] });
        message.success(`已新增党员 ${created.name}`);
        navigate(`/members/${created.id}`, { replace: true });
      } else {
        // Only what changed, so the history and the audit name the fields really edited.
        const orig = member.data;
        const before: Record<string, unknown> = orig
          ? {
              name: orig.name,
              orgId: orig.orgId,
              standing: orig.standing,
              joinDate: orig.joinDate,
              fullDate: orig.fullDate,
              ethnicity: orig.ethnicity,
              education: orig.education,
              post: orig.post,
              personCategory: orig.personCategory,
              joinMethod: orig.joinMethod,
              nativePlace: orig.nativePlace,
              workStartDate: orig.workStartDate,
              lostContact: orig.lostContact,
              lastContactDate: orig.lastContactDate,
              mobile: orig.mobile,
            }
          : {};
        const patch: Record<string, unknown> = { version: orig?.version };
        for (const [k, val] of Object.entries(common)) if ((before[k] ?? null) !== (val ?? null)) patch[k] = val;
        // Personal fields are shown masked; they are sent only when a new value is typed.
        if (s(v.idNumber)) patch.idNumber = v.idNumber?.trim().toUpperCase();
        if (s(v.phone)) patch.phone = s(v.phone);
        if (s(v.address)) patch.address = s(v.address);
        // 党籍状态 moves only with the 党员大会 decision that made it.
        if (
          orig &&
          v.partyStatus &&
          (v.partyStatus !== orig.partyStatus ||
            (v.partyStatusDecisionId ?? null) !== (orig.partyStatusDecision?.id ?? null))
        ) {
          patch.partyStatus = v.partyStatus;
          if (v.partyStatusDecisionId) patch.partyStatusDecisionId = v.partyStatusDecisionId;
        }
        // 留党察看: sent when it changes (or is taken back), as one record with its decision.
        if (orig) {
          const p = v.probationOn
            ? {
                from: toIso(v.probationFrom),
                until: toIso(probationEnd(v)),
                decidedBy: s(v.probationDecidedBy) ?? '',
                decidedOn: toIso(v.probationDecidedOn),
                decisionId: v.probationDecisionId ?? null,
              }
            : null;
          const o = orig.partyProbation;
          const was = o
            ? {
                from: o.from,
                until: o.until,
                decidedBy: o.decidedBy,
                decidedOn: o.decidedOn,
                decisionId: o.decision?.id ?? null,
              }
            : null;
          if (JSON.stringify(p) !== JSON.stringify(was)) patch.partyProbation = p;
        }
        if (Object.keys(patch).length === 1) {
          clearDraft(draftKey);
          message.info('没有需要保存的修改');
          leave();
          return;
        }
        const saved = await api.patch<MemberDetail>(`/api/members/${id}`, patch);
        clearDraft(draftKey);
        qc.setQueryData(['members', 'detail', id], saved);
        await qc.invalidateQueries({ queryKey: ['members', 'list'] });
        message.success('已保存');
        leave();
      }
    } catch (e) {
      setErr(e);
      applyFieldErrors(form, e, MEMBER_FIELD_LABELS, PROBATION_FIELDS);
      if (e instanceof ApiError && e.status === 0)
        message.warning('网络不稳定，未能保存。填写的内容已保存在本机草稿中，可稍后重试。');
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      setBusy(false);
    }
  };

  if (editing && member.isLoading)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 12 }} />
      </Card>
    );
  if (editing && member.error) return <ErrorAlert err={member.error} />;

  const m = member.data;
  const title = editing ? `编辑党员：${m?.name ?? ''}` : '新增党员';

  return (
    <div>
      <div className="page-head">
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={leave} aria-label="返回" />
        <h1>{title}</h1>
      </div>
      <Card className="form-card">
        {restoredAt ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`已恢复 ${dayjs(restoredAt).format('M月D日 HH:mm')} 未保存的草稿`}
            action={
              <Button size="small" onClick={discardDraft} data-testid="member-draft-discard">
                放弃草稿
              </Button>
            }
            data-testid="member-draft-restored"
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
          data-testid="member-form"
          onKeyDown={(e) => {
            // Enter moves on inside a date or text box; it never sends the half-filled form.
            if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') e.preventDefault();
          }}
          requiredMark
          scrollToFirstError={false}
        >
          <div className="section-title" style={{ marginTop: 0 }}>
            基本信息
          </div>
          <Row gutter={16}>
            <Col xs={24} md={12} lg={8}>
              <Form.Item
                name="name"
                label="姓名"
                rules={[
                  { required: true, whitespace: true, message: '请填写姓名' },
                  { max: 30, message: '姓名不能超过 30 个字' },
                ]}
              >
                <Input autoComplete="off" maxLength={30} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={10}>
              <Form.Item
                name="idNumber"
                label="公民身份号码"
                rules={
                  editing
                    ? [
                        {
                          validator: (_r, v: string) =>
                            !v || checkIdNumber(v).ok
                              ? Promise.resolve()
                              : Promise.reject(new Error((checkIdNumber(v) as { message: string }).message)),
                        },
                      ]
                    : [
                        { required: true, whitespace: true, message: '请填写公民身份号码' },
                        {
                          validator: (_r, v: string) =>
                            !v || checkIdNumber(v).ok
                              ? Promise.resolve()
                              : Promise.reject(new Error((checkIdNumber(v) as { message: string }).message)),
                        },
                      ]
                }
                extra={
                  idInfo?.ok
                    ? `出生日期 ${idInfo.birthDate}，${SEX_LABELS[idInfo.sex]}（由身份证号码自动识别）`
                    : editing
                      ? `已登记：${m?.idNumberMasked ?? ''}。无需更正请留空`
                      : '出生日期和性别由身份证号码自动识别'
                }
                validateDebounce={400}
              >
                <Input
                  autoComplete="off"
                  maxLength={18}
                  className="mono"
                  placeholder={editing ? m?.idNumberMasked : '18 位号码'}
                  inputMode="text"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={6}>
              <Form.Item name="ethnicity" label="民族">
                <Select showSearch={{ optionFilterProp: 'label' }} allowClear options={codes.options('ethnicity')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="education" label="学历">
                <Select allowClear options={codes.options('education')} placeholder="请选择" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="nativePlace" label="籍贯" rules={[{ max: 50 }]}>
                <Input placeholder="如：河南郑州" maxLength={50} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="workStartDate" label="参加工作日期">
                <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="personCategory" label="人员类别">
                <Select allowClear options={codes.options('personCategory')} placeholder="请选择" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="post" label="职务" rules={[{ max: 50 }]}>
                <Input placeholder="如：村党支部书记、教师" maxLength={50} />
              </Form.Item>
            </Col>
          </Row>

          <div className="section-title">党籍信息</div>
          <Row gutter={16}>
            <Col xs={24} lg={16}>
              <Form.Item
                name="orgId"
                label="所在党组织"
                rules={[{ required: true, message: '请选择所在党组织' }]}
                extra={editing ? '调整所在党组织请使用详情页的“组织关系转接”' : '党员应编入党支部或党小组'}
              >
                <OrgSelect selectableKinds={MEMBER_ORG_KINDS} placeholder="选择党支部或党小组" disabled={editing} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="standing" label="党员类别" rules={[{ required: true, message: '请选择党员类别' }]}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'full', label: '正式党员' },
                    { value: 'probationary', label: '预备党员' },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item
                name="joinDate"
                label="入党日期"
                rules={[
                  { required: true, message: '请选择入党日期' },
                  // A future date typed in is refused with a message, not cleared silently (a disabled day would be).
                  {
                    validator: (_r, v: Dayjs | undefined) =>
                      v?.isAfter(dayjs(), 'day')
                        ? Promise.reject(new Error('入党日期不能晚于今天，请核对后重新填写'))
                        : Promise.resolve(),
                  },
                ]}
              >
                <DatePicker style={{ width: '100%' }} data-testid="member-join-date" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="joinMethod" label="入党方式">
                <Select
                  allowClear
                  options={codes.options('joinMethod')}
                  placeholder="请选择"
                  data-testid="member-join-method"
                />
              </Form.Item>
            </Col>
            {standing === 'full' ? (
              <Col xs={24} md={12} lg={8}>
                <Form.Item
                  name="fullDate"
                  label="转正日期"
                  dependencies={['joinDate']}
                  extra={editing && !m?.fullDate ? '档案中未登记转正日期，请核对后补录' : undefined}
                  rules={[
                    // Required for a new full member or one becoming full; a full member already on file
                    // without it is a warning on their record, so unrelated edits still save.
                    {
                      required: !editing || m?.standing !== 'full' || !!m?.fullDate,
                      message: '正式党员请填写转正日期',
                    },
                    ({ getFieldValue }) => ({
                      validator: (_r, v: Dayjs | undefined) => {
                        const j = getFieldValue('joinDate') as Dayjs | undefined;
                        if (v && j && v.isBefore(j.add(1, 'year')))
                          return Promise.reject(new Error('转正日期应在入党满一年之后'));
                        return Promise.resolve();
                      },
                    }),
                  ]}
                >
                  <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
                </Form.Item>
              </Col>
            ) : null}
          </Row>

          <div className="section-title">联系方式</div>
          <Row gutter={16}>
            <Col xs={24} md={12} lg={8}>
              <Form.Item
                name="phone"
                label="联系电话"
                rules={[
                  { pattern: /^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$/, message: '请填写 11 位手机号或带区号的固定电话' },
                ]}
                extra={editing && m?.phoneMasked ? `已登记：${m.phoneMasked}。无需修改请留空` : undefined}
              >
                <Input
                  inputMode="tel"
                  maxLength={20}
                  autoComplete="off"
                  placeholder={editing ? (m?.phoneMasked ?? '') : ''}
                />
              </Form.Item>
            </Col>
            <Col xs={24} lg={16}>
              <Form.Item
                name="address"
                label="家庭住址"
                rules={[{ max: 200 }]}
                extra={editing && m?.addressMasked ? `已登记：${m.addressMasked}。无需修改请留空` : undefined}
              >
                <Input maxLength={200} autoComplete="off" placeholder={editing ? (m?.addressMasked ?? '') : ''} />
              </Form.Item>
            </Col>
          </Row>

          <div className="section-title">管理状态</div>
          <Row gutter={16}>
            <Col xs={12} md={8}>
              <Form.Item name="mobile" label="流动党员" valuePropName="checked">
                <Switch checkedChildren="是" unCheckedChildren="否" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="lostContact" label="失联党员" valuePropName="checked">
                <Switch checkedChildren="是" unCheckedChildren="否" />
              </Form.Item>
            </Col>
            {lostContact ? (
              <Col xs={24} md={8}>
                <Form.Item name="lastContactDate" label="最后联系日期">
                  <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
                </Form.Item>
              </Col>
            ) : null}
          </Row>
          {editing && m ? (
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item
                  name="partyStatus"
                  label="党籍状态"
                  extra="停止党籍、恢复党籍、除名须经支部党员大会决定，并选择该次会议的决定"
                >
                  <Select
                    options={PARTY_STATUSES.map((x) => ({ value: x, label: PARTY_STATUS_LABELS[x] }))}
                    data-testid="member-party-status"
                  />
                </Form.Item>
              </Col>
              {partyStatus && partyStatus !== m.partyStatus ? (
                <Col xs={24} md={16}>
                  <Form.Item
                    name="partyStatusDecisionId"
                    label="依据的党员大会决定"
                    rules={[
                      {
                        required: true,
                        message: `请选择支部党员大会作出的“${DECISION_TAG_LABELS[PARTY_STATUS_DECISION[partyStatus as keyof typeof PARTY_STATUS_DECISION]]}”决定`,
                      },
                    ]}
                    extra={
                      m.statusDecisions.some(
                        (d) => d.tag === PARTY_STATUS_DECISION[partyStatus as keyof typeof PARTY_STATUS_DECISION],
                      )
                        ? undefined
                        : '尚无该党员的此类决定：请先在组织生活中记录该次支部党员大会，并在决议中登记该党员'
                    }
                  >
                    <Select
                      options={m.statusDecisions
                        .filter(
                          (d) => d.tag === PARTY_STATUS_DECISION[partyStatus as keyof typeof PARTY_STATUS_DECISION],
                        )
                        .map((d) => ({ value: d.id, label: `${d.heldOn} 支部党员大会：${d.text}` }))}
                      placeholder="选择决定"
                      data-testid="member-status-decision"
                    />
                  </Form.Item>
                </Col>
              ) : null}
            </Row>
          ) : null}
          {editing && m ? (
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item
                  name="probationOn"
                  label="留党察看"
                  valuePropName="checked"
                  extra="党章第四十条：留党察看最长不超过二年，期间没有表决权、选举权和被选举权，不计入支部党员大会的应到人数"
                >
                  <Switch checkedChildren="受留党察看处分" unCheckedChildren="无" data-testid="member-probation" />
                </Form.Item>
              </Col>
              {probationOn ? (
                <>
                  <Col xs={12} md={8}>
                    <Form.Item
                      name="probationFrom"
                      label="察看开始日期"
                      rules={[{ required: true, message: '请选择留党察看的开始日期' }]}
                    >
                      <DatePicker style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={8}>
                    <Form.Item name="probationTerm" label="察看期限">
                      <Radio.Group
                        options={[
                          { value: '1', label: '一年' },
                          { value: '2', label: '二年' },
                          { value: 'other', label: '填写截止日期' },
                        ]}
                      />
                    </Form.Item>
                  </Col>
                  {probationTerm === 'other' ? (
                    <Col xs={12} md={8}>
                      <Form.Item
                        name="probationUntil"
                        label="察看截止日期"
                        rules={[{ required: true, message: '请选择留党察看的截止日期' }]}
                      >
                        <DatePicker style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                  ) : null}
                  <Col xs={24} md={8}>
                    <Form.Item
                      name="probationDecidedBy"
                      label="作出决定的组织"
                      rules={[{ required: true, message: '请填写作出留党察看决定的组织' }]}
                    >
                      <Input placeholder="如：××党支部党员大会决定，××党委批准" maxLength={100} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={8}>
                    <Form.Item
                      name="probationDecidedOn"
                      label="决定（批准）日期"
                      rules={[{ required: true, message: '请选择作出决定的日期' }]}
                    >
                      <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={16}>
                    <Form.Item
                      name="probationDecisionId"
                      label="支部党员大会的处分决定（可选）"
                      extra={
                        m.statusDecisions.some((d) => d.tag === 'discipline')
                          ? undefined
                          : '尚无该党员的“党纪处分”决定记录；由纪委直接作出的决定可不选'
                      }
                    >
                      <Select
                        allowClear
                        options={m.statusDecisions
                          .filter((d) => d.tag === 'discipline')
                          .map((d) => ({ value: d.id, label: `${d.heldOn} 支部党员大会：${d.text}` }))}
                        placeholder="选择决定"
                      />
                    </Form.Item>
                  </Col>
                </>
              ) : null}
            </Row>
          ) : null}

          <div className="form-actions form-actions-sticky">
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy} data-testid="member-save">
              {editing ? '保存修改' : '保存'}
            </Button>
            <Button onClick={leave}>取消</Button>
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
