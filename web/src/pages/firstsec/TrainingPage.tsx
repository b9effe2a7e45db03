/**
 * One training or exchange session: what, when, where, how many hours, by whom, and the people called
 * with their attendance. The organizer's managers mark everyone in one table (出席、请假、缺席 with a note)
 * from the day on, and edit the session (the version read; CONFLICT asks to refresh). A township reading
 * the county's session sees its own people only; a first secretary sees its own line.
 */
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Input, Radio, Skeleton, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import type { trainingPersonView } from '../../../../contract/firstsec-trainings.ts';
import {
  FS_ATTENDANCE,
  FS_ATTENDANCE_LABELS,
  FS_ROLE_LABELS,
  FS_TRAINING_KIND_LABELS,
  type FsAttendance,
} from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { Mark } from '../tasks/shared.tsx';
import { TrainingForm, type TrainingView } from './TrainingForm.tsx';
import { AttendanceMark, Tally } from './trainings-shared.tsx';

type Person = z.infer<typeof trainingPersonView>;
type Draft = Record<string, { status: FsAttendance | null; note: string }>;

const draftOf = (v: TrainingView): Draft =>
  Object.fromEntries(v.people.map((p) => [p.fsId, { status: p.status, note: p.note ?? '' }]));

export default function TrainingPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message } = useFeedback();
  // A first secretary's own account: its own line only.
  const self = !useCan()('firstsec.roster');
  const key = ['firstsec', 'training', id];
  const q = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<TrainingView>(`/api/first-secretaries/trainings/${id}`, {}, signal),
  });
  useDocumentTitle(q.data?.title ?? '培训交流');
  const [draft, setDraft] = useState<Draft>({});
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const v = q.data;
  useEffect(() => {
    if (v) setDraft(draftOf(v));
  }, [v]);

  if (q.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (q.error || !v) return <ErrorAlert err={q.error} />;

  const changed = v.people.filter((p) => {
    const d = draft[p.fsId];
    return !!d?.status && (d.status !== p.status || d.note !== (p.note ?? ''));
  });
  const unmarked = v.people.filter((p) => !draft[p.fsId]?.status).length;
  const set = (fsId: string, patch: Partial<Draft[string]>) =>
    setDraft((cur) => ({ ...cur, [fsId]: { ...(cur[fsId] ?? { status: null, note: '' }), ...patch } }));
  const saved = (next: TrainingView) => {
    qc.setQueryData(key, next);
    void qc.invalidateQueries({ queryKey: ['firstsec', 'trainings'] });
  };
  const save = async () => {
    setBusy(true);
    setErr(null);
    try {
      const next = await api.put<TrainingView>(`/api/first-secretaries/trainings/${v.id}/attendance`, {
        entries: changed.map((p) => ({
          fsId: p.fsId,
          status: draft[p.fsId].status,
          ...(draft[p.fsId].note.trim() ? { note: draft[p.fsId].note.trim() } : {}),
        })),
      });
      saved(next);
      message.success(`已保存 ${changed.length} 人的出勤`);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  const statusCell = (p: Person) =>
    v.can.attend ? (
      <Radio.Group
        optionType="button"
        value={draft[p.fsId]?.status ?? null}
        onChange={(e) => set(p.fsId, { status: e.target.value })}
        options={FS_ATTENDANCE.map((s) => ({ value: s, label: FS_ATTENDANCE_LABELS[s] }))}
        aria-label={`${p.name}的出勤`}
        data-testid={`attend-${p.fsId}`}
      />
    ) : (
      <AttendanceMark status={p.status} heldOn={v.heldOn} />
    );
  const noteCell = (p: Person) =>
    v.can.attend ? (
      <Input
        maxLength={200}
        placeholder={draft[p.fsId]?.status === 'leave' ? '请假事由' : '备注'}
        value={draft[p.fsId]?.note ?? ''}
        onChange={(e) => set(p.fsId, { note: e.target.value })}
        aria-label={`${p.name}的备注`}
      />
    ) : (
      (p.note ?? <span className="muted">—</span>)
    );

  const columns: ColumnsType<Person> = [
    {
      title: '姓名',
      key: 'name',
      width: 110,
      render: (_, p) => <Link to={`/first-secretaries/${p.fsId}`}>{p.name}</Link>,
    },
    { title: '类别', key: 'role', width: 110, render: (_, p) => FS_ROLE_LABELS[p.role] },
    {
      title: '驻村（驻点）组织',
      key: 'org',
      render: (_, p) => (
        <span>
          {p.orgName}
          {p.townshipName ? <div className="muted insp-sub">{p.townshipName}</div> : null}
        </span>
      ),
    },
    { title: '出勤', key: 'status', width: v.can.attend ? 230 : 100, render: (_, p) => statusCell(p) },
    { title: '备注', key: 'note', width: 220, render: (_, p) => noteCell(p) },
  ];

  return (
    <div>
      <div className="page-head">
        <h1>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate('/first-secretaries/trainings')}
            aria-label="返回培训交流"
          />
          {v.title}
        </h1>
        <div className="page-actions">
          {v.can.edit ? (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="training-edit">
              修改
            </Button>
          ) : null}
        </div>
      </div>
      <Card size="small" className="mr-card" title="基本情况">
        <Descriptions size="small" column={isMobile ? 1 : 3}>
          <Descriptions.Item label="类别">
            <Mark color={v.kind === 'training' ? 'blue' : 'green'}>{FS_TRAINING_KIND_LABELS[v.kind]}</Mark>
          </Descriptions.Item>
          <Descriptions.Item label="举办日期">{dateText(v.heldOn)}</Descriptions.Item>
          <Descriptions.Item label="组织者">{v.orgName}</Descriptions.Item>
          <Descriptions.Item label="地点">{v.place || <span className="muted">未填</span>}</Descriptions.Item>
          <Descriptions.Item label="学时">
            {v.hours != null ? `${v.hours} 学时` : <span className="muted">未填</span>}
          </Descriptions.Item>
          <Descriptions.Item label={self ? '本人出勤' : '出勤'}>
            {self ? (
              <>
                <AttendanceMark status={v.mine?.status ?? null} heldOn={v.heldOn} />
                {v.mine?.note ? <span className="muted">（{v.mine.note}）</span> : null}
              </>
            ) : (
              <Tally s={v} />
            )}
          </Descriptions.Item>
        </Descriptions>
        {v.content ? (
          <div style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>
            <span className="muted">主要内容：</span>
            {v.content}
          </div>
        ) : null}
      </Card>
      <Card
        size="small"
        className="mr-card"
        title={self ? '本人' : `参加人员（${v.people.length} 人）`}
        extra={
          v.can.attend ? (
            <Button
              size="small"
              onClick={() =>
                setDraft((cur) =>
                  Object.fromEntries(
                    v.people.map((p) => [
                      p.fsId,
                      { note: cur[p.fsId]?.note ?? '', status: cur[p.fsId]?.status ?? 'present' },
                    ]),
                  ),
                )
              }
              disabled={!unmarked}
              data-testid="attend-all"
            >
              未标记的记为出席
            </Button>
          ) : null
        }
      >
        {!v.held && v.can.edit ? (
          <Alert type="info" showIcon style={{ marginBottom: 8 }} message="尚未举办，举办当天起可在此记录出勤。" />
        ) : null}
        <ErrorAlert err={err} style={{ marginBottom: 8 }} />
        {isMobile ? (
          <div className="list-cards">
            {v.people.map((p) => (
              <div key={p.fsId} className="list-card" data-testid="training-person">
                <div className="mc-top">
                  <b style={{ flex: 1 }}>{p.name}</b>
                  <span className="muted">{FS_ROLE_LABELS[p.role]}</span>
                </div>
                <div className="mc-line muted">
                  {p.orgName}
                  {p.townshipName ? ` · ${p.townshipName}` : ''}
                </div>
                <div className="mc-line">{statusCell(p)}</div>
                {v.can.attend || p.note ? <div className="mc-line">{noteCell(p)}</div> : null}
              </div>
            ))}
          </div>
        ) : (
          <Table<Person>
            size="small"
            rowKey="fsId"
            columns={columns}
            dataSource={v.people}
            pagination={false}
            data-testid="training-people-table"
          />
        )}
        {v.can.attend ? (
          <div style={{ marginTop: 12, display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
            <Button
              type="primary"
              loading={busy}
              disabled={!changed.length}
              onClick={() => void save()}
              data-testid="attend-save"
            >
              保存出勤
            </Button>
            <span className="muted">
              {changed.length ? `${changed.length} 人有改动` : unmarked ? `尚有 ${unmarked} 人未记录` : '已全部记录'}
            </span>
          </div>
        ) : null}
      </Card>
      {editing ? (
        <TrainingForm
          editing={v}
          onClose={() => setEditing(false)}
          onSaved={(next) => {
            setEditing(false);
            saved(next);
            message.success('已保存');
          }}
        />
      ) : null}
    </div>
  );
}
