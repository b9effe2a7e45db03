/** Modal forms for the organization card: create / edit / move / merge / dissolve / appoint. */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Col, DatePicker, Form, Input, InputNumber, Modal, Radio, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useSubmit } from '../../app/forms.ts';
import { ORG_FIELD_LABELS } from '../../app/labels.ts';
import { blankToNull, fromIso, toIso } from '../../app/format.ts';
import {
  CHILD_KINDS,
  defaultChildKind,
  FIELD_LABELS,
  FIELDS,
  ORG_KIND_LABELS,
  ORG_KINDS,
  POST_LABELS,
  POSTS,
  UNIT_SITUATION_LABELS,
} from '../../app/labels.ts';
import { orgKeys } from '../../app/org-tree.ts';
import type { Ok, OrgDetail } from '../../app/types.ts';
import { MemberSelect } from '../../components/MemberSelect.tsx';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import { useFeedback } from '../../app/feedback.tsx';

export type OrgAction = 'create' | 'edit' | 'move' | 'merge' | 'dissolve' | 'post';

interface ModalProps {
  org: OrgDetail;
  open: boolean;
  onClose: () => void;
  /** Called after success with the org to show next (e.g. the new child, or the parent after a merge). */
  onDone: (showOrgId?: string) => void;
}

interface OrgFormValues {
  name: string;
  shortName?: string;
  kind: string;
  field?: string | null;
  divisionCode?: string;
  unitSituation?: string | null;
  unitName?: string;
  foundedOn?: Dayjs;
  themedDay?: number | null;
  contactName?: string;
  contactPhone?: string;
  termStart?: Dayjs;
  termEnd?: Dayjs;
  termYears?: number | null;
}

/** 新建下级组织 (mode create: `org` is the parent) and 编辑 (mode edit). */
export function OrgFormModal({
  org,
  open,
  onClose,
  onDone,
  mode,
  parentKind,
}: ModalProps & { mode: 'create' | 'edit'; parentKind?: string }) {
  const [form] = Form.useForm<OrgFormValues>();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const kinds =
    mode === 'create'
      ? (CHILD_KINDS[org.kind] ?? [])
      : parentKind
        ? (CHILD_KINDS[parentKind] ?? [...ORG_KINDS])
        : [...ORG_KINDS];
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form is reset only when the dialog opens
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (mode === 'edit') {
      form.setFieldsValue({
        name: org.name,
        shortName: org.shortName ?? undefined,
        kind: org.kind,
        field: org.field,
        divisionCode: org.divisionCode ?? undefined,
        unitSituation: org.unitSituation,
        unitName: org.unitName ?? undefined,
        foundedOn: fromIso(org.foundedOn),
        themedDay: org.themedDay,
        contactName: org.contactName ?? undefined,
        termStart: fromIso(org.termStart),
        termEnd: fromIso(org.termEnd),
        termYears: org.termYears,
      });
    } else {
      form.setFieldsValue({ kind: defaultChildKind(org) ?? kinds[0], field: org.field });
    }
  }, [open]);

  const s = useSubmit(form, ORG_FIELD_LABELS, async (v) => {
    const body = blankToNull({
      name: v.name,
      shortName: v.shortName ?? '',
      kind: v.kind,
      field: v.field ?? null,
      divisionCode: v.divisionCode ?? '',
      unitSituation: v.unitSituation ?? null,
      unitName: v.unitName ?? '',
      foundedOn: toIso(v.foundedOn),
      themedDay: v.themedDay ?? null,
      contactName: v.contactName ?? '',
      // The stored number is never sent to the page (SEC-9): blank in an edit keeps it unchanged.
      ...(mode === 'create' || v.contactPhone?.trim() ? { contactPhone: v.contactPhone ?? '' } : {}),
      termStart: toIso(v.termStart),
      termEnd: toIso(v.termEnd),
      termYears: v.termYears ?? null,
    });
    if (mode === 'create') {
      const created = await api.post<OrgDetail>('/api/orgs', { parentId: org.id, ...body });
      message.success(`已新建“${created.name}”`);
      await qc.invalidateQueries({ queryKey: orgKeys.all });
      onDone(created.id);
    } else {
      await api.patch<OrgDetail>(`/api/orgs/${org.id}`, { ...body, version: org.version });
      message.success('已保存');
      await qc.invalidateQueries({ queryKey: orgKeys.all });
      onDone(org.id);
    }
  });

  return (
    <Modal
      open={open}
      title={mode === 'create' ? `新建下级组织（上级：${org.name}）` : `编辑：${org.name}`}
      onCancel={onClose}
      onOk={() => void s.submit()}
      okText="保存"
      confirmLoading={s.busy}
      width={760}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={s.reset}
    >
      <ErrorAlert err={s.err} style={{ marginBottom: 12 }} />
      {mode === 'create' && kinds.length === 0 ? (
        <Alert type="warning" showIcon title={`${ORG_KIND_LABELS[org.kind]}下不能再设立下级组织`} />
      ) : null}
      <Form form={form} layout="vertical" requiredMark="optional" name={`org-${mode}`}>
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item
              name="name"
              label="名称"
              rules={[
                { required: true, whitespace: true, message: '请填写组织名称' },
                { min: 2, message: '名称至少 2 个字' },
                { max: 100 },
              ]}
            >
              <Input placeholder="如：中共某某村支部委员会" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="shortName" label="简称" rules={[{ max: 30 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="kind" label="组织类型" rules={[{ required: true, message: '请选择组织类型' }]}>
              <Select
                options={kinds.map((k) => ({ value: k, label: ORG_KIND_LABELS[k as keyof typeof ORG_KIND_LABELS] }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="field" label="领域">
              <Select
                allowClear
                placeholder="同上级"
                options={FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="divisionCode"
              label="行政区划代码"
              rules={[{ pattern: /^\d{6}(\d{3}){0,2}$/, message: '应为 6、9 或 12 位数字' }]}
            >
              <Input inputMode="numeric" maxLength={12} placeholder="6、9 或 12 位数字" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="unitSituation" label="单位情况">
              <Select
                allowClear
                options={Object.entries(UNIT_SITUATION_LABELS).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="unitName" label="单位名称" rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item
              name="foundedOn"
              label="成立日期"
              rules={
                mode === 'edit'
                  ? [{ required: true, message: '请填写成立日期：规则按成立日期判断组织应开展的组织生活' }]
                  : []
              }
              extra={mode === 'create' ? '不填则按今天成立：此前的期间不检查' : undefined}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="themedDay" label="主题党日固定日" extra="每月几日；不在这天开展的会有提示">
              <InputNumber min={1} max={31} precision={0} addonAfter="日" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="contactName" label="联系人" rules={[{ max: 30 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="contactPhone" label="联系电话" rules={[{ max: 20 }]}>
              <Input
                inputMode="tel"
                placeholder={
                  mode === 'edit' && org.contactPhoneMasked
                    ? `已登记 ${org.contactPhoneMasked}，留空不修改`
                    : '办公电话，如 0371-12345678'
                }
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="termStart" label="本届开始">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="termEnd" label="届满日期">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="termYears" label="每届年限">
              <InputNumber min={1} max={10} style={{ width: '100%' }} suffix="年" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function ReasonItem({ label = '原因' }: { label?: string }) {
  return (
    <Form.Item
      name="reason"
      label={label}
      rules={[
        { required: true, whitespace: true, message: `请填写${label}` },
        { min: 2, message: `${label}至少 2 个字` },
        { max: 200 },
      ]}
    >
      <Input.TextArea rows={3} maxLength={200} showCount placeholder="如：根据县委组织部 2026 年第 3 号文件" />
    </Form.Item>
  );
}

/** 调整隶属. */
export function MoveModal({ org, open, onClose, onDone }: ModalProps) {
  const [form] = Form.useForm<{ newParentId: string; reason: string }>();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const s = useSubmit(form, ORG_FIELD_LABELS, async (v) => {
    await api.post<Ok>(`/api/orgs/${org.id}/move`, { newParentId: v.newParentId, reason: v.reason.trim() });
    message.success('已调整隶属关系');
    await qc.invalidateQueries({ queryKey: orgKeys.all });
    onDone(org.id);
  });
  return (
    <Modal
      open={open}
      title={`调整隶属：${org.name}`}
      onCancel={onClose}
      onOk={() => void s.submit()}
      okText="确定调整"
      confirmLoading={s.busy}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={s.reset}
    >
      <ErrorAlert err={s.err} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" name="org-move">
        <Form.Item label="当前上级">{org.path.length > 1 ? org.path[org.path.length - 2]?.name : '—'}</Form.Item>
        <Form.Item name="newParentId" label="新的上级组织" rules={[{ required: true, message: '请选择新的上级组织' }]}>
          <OrgSelect excludeId={org.id} placeholder="选择新的上级党组织" />
        </Form.Item>
        <ReasonItem label="调整原因" />
      </Form>
    </Modal>
  );
}

/** 合并到另一组织 (members move along). */
export function MergeModal({ org, open, onClose, onDone }: ModalProps) {
  const [form] = Form.useForm<{ intoId: string; reason: string }>();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const s = useSubmit(form, ORG_FIELD_LABELS, async (v) => {
    // The merge's answer is declared in its route only (server/modules/orgs/routes.ts), not in contract/orgs.ts.
    const r = await api.post<{ ok: true; membersMoved: number }>(`/api/orgs/${org.id}/merge`, {
      intoId: v.intoId,
      reason: v.reason.trim(),
    });
    message.success(`已合并，${r.membersMoved} 名党员的组织关系随之转入`);
    await qc.invalidateQueries({ queryKey: orgKeys.all });
    await qc.invalidateQueries({ queryKey: ['members'] });
    onDone(v.intoId);
  });
  return (
    <Modal
      open={open}
      title={`合并：${org.name}`}
      onCancel={onClose}
      onOk={() => void s.submit()}
      okText="确定合并"
      okButtonProps={{ danger: true }}
      confirmLoading={s.busy}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={s.reset}
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title={`合并后“${org.name}”将不再存在，其 ${org.counts.total} 名党员的组织关系转入目标组织，历史记录保留。`}
      />
      <ErrorAlert err={s.err} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" name="org-merge">
        <Form.Item name="intoId" label="并入组织" rules={[{ required: true, message: '请选择并入的组织' }]}>
          <OrgSelect excludeId={org.id} placeholder="选择并入的党组织" />
        </Form.Item>
        <ReasonItem label="合并原因" />
      </Form>
    </Modal>
  );
}

/** 撤销. */
export function DissolveModal({ org, open, onClose, onDone }: ModalProps) {
  const [form] = Form.useForm<{ reason: string; date?: Dayjs }>();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const parentId = org.parentId ?? undefined;
  const s = useSubmit(form, ORG_FIELD_LABELS, async (v) => {
    await api.post<Ok>(`/api/orgs/${org.id}/dissolve`, {
      reason: v.reason.trim(),
      ...(v.date ? { date: toIso(v.date) } : {}),
    });
    message.success(`已撤销“${org.name}”`);
    await qc.invalidateQueries({ queryKey: orgKeys.all });
    onDone(parentId);
  });
  return (
    <Modal
      open={open}
      title={`撤销：${org.name}`}
      onCancel={onClose}
      onOk={() => void s.submit()}
      okText="确定撤销"
      okButtonProps={{ danger: true }}
      confirmLoading={s.busy}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={s.reset}
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title="撤销前须先转出全部党员、移走或撤销下级党组织。撤销后组织及沿革仍可在审计中查到。"
      />
      <ErrorAlert err={s.err} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" name="org-dissolve">
        <Form.Item name="date" label="撤销日期" extra="不填则为今天">
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <ReasonItem label="撤销原因" />
      </Form>
    </Modal>
  );
}

/** 任免班子: appoint a member or a named person, or register the post as vacant. */
export function PostModal({ org, open, onClose, onDone }: ModalProps) {
  const [form] = Form.useForm<{
    post: string;
    how: 'member' | 'name' | 'vacant';
    memberId?: string;
    personName?: string;
    startDate?: Dayjs;
    termEnd?: Dayjs;
  }>();
  const how = Form.useWatch('how', form);
  const qc = useQueryClient();
  const { message } = useFeedback();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form is reset only when the dialog opens
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ post: 'secretary', how: 'member', termEnd: fromIso(org.termEnd) });
    }
  }, [open]);
  const s = useSubmit(form, ORG_FIELD_LABELS, async (v) => {
    const body =
      v.how === 'vacant'
        ? { post: v.post, memberId: null, personName: null }
        : {
            post: v.post,
            memberId: v.how === 'member' ? v.memberId : null,
            personName: v.how === 'name' ? v.personName?.trim() : null,
            startDate: toIso(v.startDate),
            termEnd: toIso(v.termEnd),
          };
    await api.post<OrgDetail>(`/api/orgs/${org.id}/posts`, body);
    message.success(v.how === 'vacant' ? '已登记职务空缺' : '已登记任职');
    await qc.invalidateQueries({ queryKey: orgKeys.detail(org.id) });
    onDone(org.id);
  });
  return (
    <Modal
      open={open}
      title={`任免班子：${org.name}`}
      onCancel={onClose}
      onOk={() => void s.submit()}
      okText="保存"
      confirmLoading={s.busy}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={s.reset}
    >
      <ErrorAlert err={s.err} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" name="org-post">
        <Form.Item
          name="post"
          label="职务"
          rules={[{ required: true }]}
          extra="同一职务的原任职人员自今日起卸任（委员除外）"
        >
          <Select options={POSTS.map((p) => ({ value: p, label: POST_LABELS[p] }))} />
        </Form.Item>
        <Form.Item name="how" label="登记方式">
          <Radio.Group
            options={[
              { value: 'member', label: '选择本组织党员' },
              { value: 'name', label: '填写姓名' },
              { value: 'vacant', label: '登记为空缺' },
            ]}
          />
        </Form.Item>
        {how === 'member' ? (
          <Form.Item name="memberId" label="任职党员" rules={[{ required: true, message: '请选择任职党员' }]}>
            <MemberSelect orgId={org.id} />
          </Form.Item>
        ) : null}
        {how === 'name' ? (
          <Form.Item
            name="personName"
            label="姓名"
            rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 30 }]}
            extra="非本组织党员（如上级派任的第一书记）时填写"
          >
            <Input />
          </Form.Item>
        ) : null}
        {how !== 'vacant' ? (
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="startDate" label="任职日期" extra="不填则为今天">
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="termEnd" label="任期届满">
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        ) : null}
      </Form>
    </Modal>
  );
}
