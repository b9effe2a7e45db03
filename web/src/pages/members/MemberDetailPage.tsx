import { ArrowLeftOutlined, EditOutlined, EyeOutlined, SwapOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Modal, Skeleton, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { useCodeLists } from '../../app/codes.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useSubmit } from '../../app/forms.ts';
import { dateText, orDash } from '../../app/format.ts';
import { joinDateText } from '../../app/join-date.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { MEMBER_ORG_KINDS, PARTY_STATUS_LABELS, SEX_LABELS } from '../../app/labels.ts';
import type { MemberDetail, RevealResult } from '../../app/types.ts';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import { RuleWarnings } from '../../components/RuleWarning.tsx';
import { StandingTag } from './MembersPage.tsx';
import { useFeedback } from '../../app/feedback.tsx';

/** 查看完整信息: asks the reason first (audited); the values live only in this dialog. */
function RevealModal({ member, open, onClose }: { member: MemberDetail; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [data, setData] = useState<RevealResult | null>(null);
  const { err, busy, submit, reset } = useSubmit(form, { reason: '查看原因' }, async (v: { reason: string }) => {
    setData(await api.post<RevealResult>(`/api/members/${member.id}/reveal`, { reason: v.reason.trim() }));
  });
  const close = () => {
    setData(null);
    reset();
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={open}
      title={`查看完整信息：${member.name}`}
      onCancel={close}
      destroyOnHidden
      footer={
        data
          ? [
              <Button key="close" type="primary" onClick={close}>
                关闭
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={close}>
                取消
              </Button>,
              <Button key="ok" type="primary" loading={busy} onClick={() => void submit()} data-testid="reveal-submit">
                查看
              </Button>,
            ]
      }
    >
      {data ? (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title="以下为党员个人敏感信息，本次查看已记入审计日志。请勿截图、抄录或外传。"
          />
          <Descriptions
            bordered
            size="small"
            column={1}
            data-testid="reveal-result"
            items={[
              { key: 'id', label: '公民身份号码', children: <span className="mono">{data.idNumber}</span> },
              { key: 'phone', label: '联系电话', children: <span className="mono">{data.phone ?? '—'}</span> },
              { key: 'address', label: '家庭住址', children: data.address ?? '—' },
            ]}
          />
        </>
      ) : (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title="查看完整身份证号码、电话和住址须说明原因，并记入审计日志。"
          />
          <ErrorAlert err={err} style={{ marginBottom: 12 }} />
          <Form form={form} layout="vertical" name="reveal">
            <Form.Item
              name="reason"
              label="查看原因"
              rules={[
                { required: true, whitespace: true, message: '请说明查看原因' },
                { min: 2, message: '查看原因至少 2 个字' },
                { max: 200 },
              ]}
            >
              <Input.TextArea
                rows={3}
                maxLength={200}
                showCount
                placeholder="如：办理组织关系转接，核对身份信息"
                data-testid="reveal-reason"
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

/** 组织关系转接: PATCH orgId with a reason; the history keeps the old membership. */
function TransferModal({ member, open, onClose }: { member: MemberDetail; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ orgId: string; transferReason: string }>();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const { err, busy, submit, reset } = useSubmit(
    form,
    { orgId: '转入党组织', transferReason: '转接原因' },
    async (v: { orgId: string; transferReason: string }) => {
      const saved = await api.patch<MemberDetail>(`/api/members/${member.id}`, {
        orgId: v.orgId,
        transferReason: v.transferReason.trim(),
        version: member.version,
      });
      qc.setQueryData(['members', 'detail', member.id], saved);
      await qc.invalidateQueries({ queryKey: ['members', 'list'] });
      await qc.invalidateQueries({ queryKey: ['orgs'] });
      message.success(`已将 ${member.name} 的组织关系转接至 ${saved.orgName}`);
      form.resetFields();
      onClose();
    },
  );
  return (
    <Modal
      open={open}
      title={`组织关系转接：${member.name}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="确认转接"
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={reset}
    >
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" name="transfer">
        <Form.Item label="当前所在党组织">{member.orgName}</Form.Item>
        <Form.Item
          name="orgId"
          label="转入党组织"
          rules={[
            { required: true, message: '请选择转入的党组织' },
            {
              validator: (_r, v: string) =>
                v && v === member.orgId ? Promise.reject(new Error('转入组织与当前组织相同')) : Promise.resolve(),
            },
          ]}
        >
          <OrgSelect selectableKinds={MEMBER_ORG_KINDS} placeholder="选择转入的党支部或党小组" />
        </Form.Item>
        <Form.Item
          name="transferReason"
          label="转接原因"
          rules={[
            { required: true, whitespace: true, message: '请填写转接原因' },
            { min: 2, message: '至少 2 个字' },
            { max: 200 },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="如：工作调动、居住地变更" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function MemberDetailPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const can = useCan();
  const isMobile = useIsMobile();
  const [dialog, setDialog] = useState<'reveal' | 'transfer' | null>(null);
  const codes = useCodeLists();
  const q = useQuery({
    queryKey: ['members', 'detail', id],
    queryFn: () => api.get<MemberDetail>(`/api/members/${id}`),
  });
  useDocumentTitle(q.data?.name ?? '党员详情');

  if (q.isLoading)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  if (q.error || !q.data)
    return (
      <div>
        <div className="page-head">
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/members')} aria-label="返回" />
          <h1>党员详情</h1>
        </div>
        <ErrorAlert err={q.error ?? new Error('未找到该党员')} />
      </div>
    );
  const m = q.data;

  return (
    <div>
      <div className="page-head">
        <Button
          type="text"
          icon={<ArrowLeftOutlined />}
          onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/members'))}
          aria-label="返回"
        />
        <h1>
          {m.name}
          <span style={{ marginLeft: 8, verticalAlign: 'middle' }}>
            <StandingTag standing={m.standing} />
            {m.lostContact ? <Tag color="volcano">失联</Tag> : null}
            {m.mobile ? <Tag color="blue">流动党员</Tag> : null}
          </span>
        </h1>
        <div className="page-actions">
          {can('members.reveal') ? (
            <Button icon={<EyeOutlined />} onClick={() => setDialog('reveal')} data-testid="member-reveal">
              查看完整信息
            </Button>
          ) : null}
          {can('members.write') ? (
            <>
              <Button
                icon={<EditOutlined />}
                onClick={() => navigate(`/members/${m.id}/edit`, { state: { from: 'detail' } })}
                data-testid="member-edit"
              >
                编辑
              </Button>
              <Button icon={<SwapOutlined />} onClick={() => setDialog('transfer')} data-testid="member-transfer">
                组织关系转接
              </Button>
            </>
          ) : null}
        </div>
      </div>
      <Card data-testid="member-detail">
        {m.warnings.length ? (
          <div style={{ marginBottom: 12, marginTop: -12 }}>
            <RuleWarnings warnings={m.warnings} testId="member-warnings" />
          </div>
        ) : null}
        <Descriptions
          bordered
          size={isMobile ? 'small' : 'middle'}
          column={{ xs: 1, sm: 2, xl: 3 }}
          styles={{ label: { whiteSpace: 'nowrap' } }}
          items={[
            { key: 'name', label: '姓名', children: m.name },
            { key: 'sex', label: '性别', children: SEX_LABELS[m.sex] ?? m.sex },
            m.birthDate
              ? { key: 'birth', label: '出生日期', children: `${dateText(m.birthDate)}（${m.age} 岁）` }
              : { key: 'birth', label: '年龄', children: `${m.age} 岁` },
            {
              key: 'id',
              label: '公民身份号码',
              children: /^\*+$/.test(m.idNumberMasked) ? (
                <span className="muted">已隐藏（无查看权限）</span>
              ) : (
                <span className="mono">{m.idNumberMasked}</span>
              ),
            },
            { key: 'ethnicity', label: '民族', children: orDash(codes.label('ethnicity', m.ethnicity)) },
            { key: 'education', label: '学历', children: orDash(codes.label('education', m.education)) },
            { key: 'nativePlace', label: '籍贯', children: orDash(m.nativePlace) },
            { key: 'workStartDate', label: '参加工作日期', children: dateText(m.workStartDate) },
            { key: 'post', label: '职务', children: orDash(m.post) },
            {
              key: 'personCategory',
              label: '人员类别',
              children: orDash(codes.label('personCategory', m.personCategory)),
            },
            {
              key: 'org',
              label: '所在党组织',
              children: <Link to={`/orgs/${m.orgId}`}>{m.orgName}</Link>,
              span: { xs: 1, sm: 2, lg: 2 },
            },
            { key: 'standing', label: '党员类别', children: <StandingTag standing={m.standing} /> },
            {
              key: 'partyStatus',
              label: '党籍状态',
              children: (
                <span>
                  {(PARTY_STATUS_LABELS as Record<string, string>)[m.partyStatus] ?? m.partyStatus}
                  {m.partyStatusDecision ? (
                    <span className="muted">
                      （{m.partyStatusSince} 起，依据{' '}
                      <Link to={`/meetings/${m.partyStatusDecision.meetingId}`}>
                        {m.partyStatusDecision.heldOn} 支部党员大会
                      </Link>
                      的决定）
                    </span>
                  ) : null}
                </span>
              ),
            },
            ...(m.partyProbation
              ? [
                  {
                    key: 'partyProbation',
                    label: '留党察看',
                    span: { xs: 1, sm: 2, lg: 2 },
                    children: (
                      <span data-testid="member-probation">
                        {m.partyProbation.current ? <Tag color="orange">察看期间</Tag> : null}
                        {m.partyProbation.from} 至 {m.partyProbation.until}
                        <span className="muted">
                          （{m.partyProbation.decidedBy}，{m.partyProbation.decidedOn} 决定
                          {m.partyProbation.decision ? (
                            <>
                              ，依据{' '}
                              <Link to={`/meetings/${m.partyProbation.decision.meetingId}`}>
                                {m.partyProbation.decision.heldOn} 支部党员大会
                              </Link>
                              的决定
                            </>
                          ) : null}
                          ；期间没有表决权、选举权和被选举权）
                        </span>
                      </span>
                    ),
                  },
                ]
              : []),
            { key: 'joinDate', label: '入党日期', children: joinDateText(m) },
            { key: 'fullDate', label: '转正日期', children: dateText(m.fullDate) },
            { key: 'joinMethod', label: '入党方式', children: orDash(codes.label('joinMethod', m.joinMethod)) },
            { key: 'phone', label: '联系电话', children: <span className="mono">{orDash(m.phoneMasked)}</span> },
            { key: 'address', label: '家庭住址', children: orDash(m.addressMasked), span: { xs: 1, sm: 2, lg: 2 } },
            { key: 'mobile', label: '流动党员', children: m.mobile ? '是' : '否' },
            { key: 'lost', label: '失联党员', children: m.lostContact ? <Tag color="volcano">失联</Tag> : '否' },
            { key: 'lastContact', label: '最后联系日期', children: dateText(m.lastContactDate) },
          ]}
        />

        <div className="section-title">组织关系历史</div>
        {m.history.length ? (
          <Timeline
            data-testid="member-history"
            items={m.history.map((h, i) => ({
              key: `${h.orgId}-${h.fromDate}-${i}`,
              color: h.toDate ? 'gray' : 'red',
              content: (
                <div>
                  <div className="muted mono" style={{ fontSize: 12 }}>
                    {h.fromDate} 至 {h.toDate ?? '今'}
                  </div>
                  <Link to={`/orgs/${h.orgId}`}>{h.orgName}</Link>
                  {h.reason ? <span className="muted">（{h.reason}）</span> : null}
                  {!h.toDate ? (
                    <Tag color="red" style={{ marginLeft: 8 }}>
                      当前
                    </Tag>
                  ) : null}
                </div>
              ),
            }))}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无组织关系记录" />
        )}
      </Card>
      <RevealModal member={m} open={dialog === 'reveal'} onClose={() => setDialog(null)} />
      <TransferModal member={m} open={dialog === 'transfer'} onClose={() => setDialog(null)} />
    </div>
  );
}
