/** One meeting record: everything recorded, the platform's warnings, evidence (thumbnails; a click downloads the original). */
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Skeleton, Tag } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { api, download } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { bytesText, dateTimeText, orDash } from '../../app/format.ts';
import { useDocumentTitle } from '../../app/hooks.ts';
import { DECISION_TAG_LABELS } from '../../app/labels.ts';
import { htmlToMinutes } from './meeting-drafts.ts';
import { beijingWall, type EvidenceView, kindLabel, type MeetingView, wallText } from './shared.tsx';
import { useFeedback } from '../../app/feedback.tsx';

function Evidence({ ev }: { ev: EvidenceView }) {
  const { message } = useFeedback();
  const get = async () => {
    try {
      await download(`/api/evidence/${ev.id}`, {}, ev.filename);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '下载失败');
    }
  };
  return (
    <button
      type="button"
      className="ev-item"
      onClick={() => void get()}
      title="点击下载原件"
      data-testid="evidence-item"
    >
      {ev.hasThumbnail ? (
        <img src={`/api/evidence/${ev.id}/thumbnail`} alt={ev.filename} loading="lazy" />
      ) : (
        <span className="ev-none">{ev.kind === 'pdf' ? 'PDF 文件' : '无预览'}</span>
      )}
      <div className="ev-meta">
        <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{ev.filename}</div>
        <div>
          {ev.capturedAt ? `拍摄于 ${dateTimeText(ev.capturedAt)}` : '无拍摄时间'} · {bytesText(ev.size)}
        </div>
        {ev.warnings.map((w) => (
          <div key={w.code} style={{ color: '#cf1322' }}>
            {w.message}
          </div>
        ))}
      </div>
    </button>
  );
}

export default function MeetingDetailPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const can = useCan();
  const qc = useQueryClient();
  const { modal, message } = useFeedback();
  const q = useQuery({
    queryKey: ['meetings', 'detail', id],
    queryFn: () => api.get<MeetingView>(`/api/meetings/${id}`),
  });
  const m = q.data;
  useDocumentTitle(m ? `${kindLabel(m.kind)} ${m.heldOn}` : '组织生活记录');

  const remove = () =>
    modal.confirm({
      title: '删除这条组织生活记录？',
      content: '记录、考勤、决议和影像资料将一并删除，此操作记入审计日志，无法恢复。',
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.del(`/api/meetings/${id}`);
        } catch (e) {
          message.error(e instanceof Error ? e.message : '删除失败');
          throw e;
        }
        await qc.invalidateQueries({ queryKey: ['meetings'] });
        message.success('已删除');
        navigate('/meetings', { replace: true });
      },
    });

  if (q.isLoading) return <Skeleton active />;
  if (q.error || !m) return <ErrorAlert err={q.error ?? new Error('记录不存在')} />;

  // The server names people it holds by id on the record; look the name up in the attendance when it does not.
  const nameOf = (id: string | null, name: string | null) =>
    name ?? m.attendance.find((a) => a.memberId === id)?.name ?? null;
  const groups = (['present', 'leave', 'absent'] as const).map((s) => ({
    s,
    list: m.attendance.filter((a) => a.status === s),
  }));
  const minutes = htmlToMinutes(m.minutesHtml);
  const warnings = [
    ...m.warnings,
    ...m.evidence.flatMap((e) => e.warnings.map((w) => ({ ...w, message: `${e.filename}：${w.message}` }))),
  ];

  return (
    <div style={{ maxWidth: 960 }}>
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={() => navigate('/meetings')} />
          {kindLabel(m.kind)}
          {!m.valid ? <Tag color="red">会议无效</Tag> : null}
        </h1>
        {can('meetings.write') ? (
          <div className="page-actions">
            <Button
              icon={<EditOutlined />}
              onClick={() => navigate(`/meetings/${m.id}/edit`)}
              data-testid="meeting-edit"
            >
              修改
            </Button>
            <Button danger icon={<DeleteOutlined />} onClick={remove} data-testid="meeting-delete">
              删除
            </Button>
          </div>
        ) : null}
      </div>

      {warnings.length ? (
        <div
          style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}
          data-testid="meeting-warnings"
        >
          {warnings.map((w) => (
            <Alert
              key={`${w.code}-${w.message}`}
              type={w.code.includes('QUORUM') || !m.valid ? 'error' : 'warning'}
              showIcon
              title={w.message}
            />
          ))}
        </div>
      ) : null}

      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'org', label: '党组织', children: <Link to={`/orgs/${m.orgId}`}>{m.orgName}</Link> },
            {
              key: 'time',
              label: '时间',
              children: `${wallText(beijingWall(m.startsAt))}${m.endsAt ? ` 至 ${beijingWall(m.endsAt).slice(11)}` : ''}`,
            },
            { key: 'place', label: '地点', children: orDash(m.place) },
            {
              key: 'chair',
              label: '主持人',
              children: `${orDash(nameOf(m.chairMemberId, m.chairName))}${m.chairDelegation ? `（${m.chairDelegation}）` : ''}`,
            },
            ...(nameOf(m.recorderMemberId, m.recorderName)
              ? [{ key: 'rec', label: '记录人', children: nameOf(m.recorderMemberId, m.recorderName) }]
              : []),
            ...(nameOf(m.lecturerMemberId, m.lecturerName)
              ? [{ key: 'lec', label: '授课人', children: nameOf(m.lecturerMemberId, m.lecturerName) }]
              : []),
            ...(m.counterpartName ? [{ key: 'cp', label: '谈话对象', children: m.counterpartName }] : []),
            { key: 'topic', label: '主题', children: orDash(m.topic), span: 2 },
            ...(m.committeeSize
              ? [
                  {
                    key: 'q',
                    label: '到会委员',
                    children: `${m.committeePresent ?? 0}/${m.committeeSize}${m.valid ? '，超过半数' : '，未超过半数'}`,
                  },
                ]
              : []),
            { key: 'saved', label: '记录时间', children: dateTimeText(m.createdAt) },
          ]}
        />
      </Card>

      <Card
        size="small"
        style={{ marginBottom: 12 }}
        title={`出席情况（应到 ${m.attendance.length}，实到 ${groups[0].list.length}）`}
      >
        {m.attendance.length === 0 ? <span className="muted">没有登记考勤</span> : null}
        {groups.map(({ s, list }) =>
          list.length ? (
            <div key={s} className="att-group">
              <span className="muted" style={{ marginRight: 8 }}>
                {s === 'present' ? '出席' : s === 'leave' ? '请假' : '缺席'}（{list.length}）
              </span>
              {list.map((a) => (
                <Tag key={a.memberId} color={s === 'present' ? 'green' : s === 'leave' ? 'gold' : 'red'}>
                  {a.name}
                  {a.reason ? `：${a.reason}` : ''}
                </Tag>
              ))}
            </div>
          ) : null,
        )}
        {m.guests.length ? (
          <div className="muted">
            列席：{m.guests.map((g) => (g.unit ? `${g.name}（${g.unit}）` : g.name)).join('、')}
          </div>
        ) : null}
      </Card>

      <Card size="small" style={{ marginBottom: 12 }} title="会议记录">
        {minutes ? (
          minutes.split('\n').map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs have no identity
            <p key={i} style={{ margin: '0 0 6px' }}>
              {p}
            </p>
          ))
        ) : (
          <span className="muted">未填写</span>
        )}
        {m.rectification ? <p>整改情况：{m.rectification}</p> : null}
      </Card>

      {m.decisions.length ? (
        <Card size="small" style={{ marginBottom: 12 }} title="决议事项">
          {m.decisions.map((d) => (
            <div key={d.id} style={{ marginBottom: 6 }}>
              <Tag color="red">{DECISION_TAG_LABELS[d.tag]}</Tag>
              {d.memberName ? <b style={{ marginRight: 6 }}>{d.memberName}</b> : null}
              {d.text}
            </div>
          ))}
        </Card>
      ) : null}

      <Card size="small" title={`影像资料（${m.evidence.length}）`}>
        {m.evidence.length ? (
          <div className="ev-grid" data-testid="evidence-list">
            {m.evidence.map((ev) => (
              <Evidence key={ev.id} ev={ev} />
            ))}
          </div>
        ) : (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description="没有上传照片。会议照片是检查组织生活是否真实开展的依据。"
          />
        )}
      </Card>
    </div>
  );
}
