/**
 * 记录组织生活: the phone page. A branch secretary records a meeting in a minute: organization,
 * kind, time, place, chair, topic, attendance by tapping names, photos, minutes, decisions. Every
 * change is kept on the device (app/offline.ts, kind 'meeting': text in localStorage, photos in
 * IndexedDB) from the first keystroke until the server has all of it.
 */
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, AutoComplete, Button, Card, DatePicker, Input, Radio, Select, Skeleton } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { MEMBER_ORG_KINDS } from '../../app/labels.ts';
import { DEFAULT_MAX_IMAGE_MB } from '../../../../contract/limits.ts';
import { MEETING_KINDS_NEEDING_TOPIC } from '../../../../contract/labels.ts';
import { isRetryable, newClientId, OFFLINE_MESSAGE, offline, useOfflineEvents } from '../../app/offline.ts';
import {
  type AttendanceMark,
  htmlToMinutes,
  MEETING_KIND,
  type MeetingDraft,
  type MeetingPayload,
  type MeetingValues,
  type PhotoRef,
  type SendResult,
} from './meeting-drafts.ts';
import { OrgSelect } from '../../components/OrgSelect.tsx';
import {
  beijingNow,
  beijingWall,
  COMMON_KINDS,
  committeeOf,
  kindLabel,
  type MeetingView,
  OTHER_KINDS,
  useOrg,
  useRoster,
} from './shared.tsx';
import { recordPrefill } from './record-prefill.ts';
import { useFeedback } from '../../app/feedback.tsx';
import type { MeetingKind, MeetingKinds } from '../../app/types.ts';
import { type PreparedPhoto, PhotoRefused, photoShrinkOn, preparePhoto } from '../../app/photo-shrink.ts';
import { AttendanceCard, markOf } from './record/AttendanceCard.tsx';
import { type FieldErrors, heldIssues, latestStart } from './record/held.ts';
import { DecisionsCard } from './record/DecisionsCard.tsx';
import { PhotosCard } from './record/PhotosCard.tsx';

/** A message beside a field (antd's form-item error colour and size). */
const FIELD_ERROR = { color: '#cf1322', fontSize: 12, marginTop: 4 } as const;

/** files.maxImageMB's default (20 MB): the limit checked when the county's is not known yet (offline). */
const DEFAULT_MAX_PHOTO_BYTES = DEFAULT_MAX_IMAGE_MB * 1024 * 1024;

const placesKey = (userId: string) => `dangjian.meetingPlaces.${userId}`;
const lastOrgKey = (userId: string) => `dangjian.meetingOrg.${userId}`;
function readList(key: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
function rememberPlace(userId: string, place: string | undefined) {
  const p = place?.trim();
  if (!p) return;
  try {
    localStorage.setItem(
      placesKey(userId),
      JSON.stringify([p, ...readList(placesKey(userId)).filter((x) => x !== p)].slice(0, 8)),
    );
  } catch {
    /* a convenience only */
  }
}

function fromMeeting(m: MeetingView): MeetingValues {
  const attendance: Record<string, AttendanceMark> = {};
  for (const a of m.attendance) attendance[a.memberId] = { status: a.status, reason: a.reason ?? undefined };
  return {
    orgId: m.orgId,
    orgName: m.orgName,
    kind: m.kind,
    startsAt: beijingWall(m.startsAt),
    place: m.place ?? undefined,
    chairMemberId: m.chairMemberId ?? undefined,
    chairName: m.chairMemberId ? undefined : (m.chairName ?? undefined),
    lecturerMemberId: m.lecturerMemberId ?? undefined,
    topic: m.topic ?? undefined,
    minutes: htmlToMinutes(m.minutesHtml),
    attendance,
    decisions: m.decisions.map((d) => ({ key: d.id, tag: d.tag, memberId: d.memberId ?? undefined, text: d.text })),
  };
}

export default function MeetingRecordPage() {
  const { id: editId } = useParams();
  const editing = !!editId;
  useDocumentTitle(editing ? '修改组织生活记录' : '记录组织生活');
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const userId = me?.id ?? '';

  const existing = useQuery({
    queryKey: ['meetings', 'detail', editId],
    enabled: editing,
    queryFn: () => api.get<MeetingView>(`/api/meetings/${editId}`),
  });

  // The draft: made at the first change, restored from ?draft= or (editing) from an unfinished edit.
  const [draft, setDraft] = useState<MeetingDraft | null>(null);
  const [values, setValues] = useState<MeetingValues>({});
  const [restored, setRestored] = useState<number | null>(null);
  const [storageFull, setStorageFull] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(false);
  const [kindOther, setKindOther] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const initialized = useRef(false);
  const sendingRef = useRef(false);
  const draftRef = useRef<MeetingDraft | null>(null);
  draftRef.current = draft;

  useEffect(() => {
    if (initialized.current || !me) return;
    if (editing && !existing.data) return;
    initialized.current = true;
    const fromUrl = search.get('draft');
    const d = fromUrl
      ? offline.get<MeetingPayload>(MEETING_KIND, fromUrl)
      : editing && editId
        ? (offline.list<MeetingPayload>(MEETING_KIND, me.id).find((x) => x.payload.editOf === editId) ?? null)
        : null;
    if (d && d.userId === me.id) {
      setDraft(d);
      setValues(d.payload.values);
      setRestored(d.savedAt);
      if (d.state === 'pending' || d.lastError) setErr(d.lastError ? new Error(d.lastError) : null);
      if (d.payload.values.kind && (OTHER_KINDS as readonly string[]).includes(d.payload.values.kind))
        setKindOther(true);
      return;
    }
    if (editing && existing.data) {
      const v = fromMeeting(existing.data);
      setValues(v);
      if ((OTHER_KINDS as readonly string[]).includes(existing.data.kind)) setKindOther(true);
      return;
    }
    const lastOrg = readList(lastOrgKey(me.id))[0];
    // 去记录 on the landing page: ?orgId=&kind=&date= (record-prefill.ts).
    const pre = recordPrefill(search, beijingNow());
    if (pre.kind && (OTHER_KINDS as readonly string[]).includes(pre.kind)) setKindOther(true);
    setValues({
      orgId: pre.orgId ?? lastOrg ?? me.orgId,
      kind: pre.kind ?? 'committeeMeeting',
      startsAt: pre.startsAt,
      place: readList(placesKey(me.id))[0],
    });
  }, [me, editing, editId, existing.data, search]);

  const org = useOrg(values.orgId);
  // The kinds this organization may record (a branch is not offered 党小组会), as the server decides.
  const kinds = useQuery({
    queryKey: ['meetings', 'kinds', values.orgId],
    enabled: !!values.orgId,
    staleTime: 300_000,
    queryFn: () => api.get<MeetingKinds>('/api/meetings/kinds', { orgId: values.orgId }),
  });
  const fits = (k: MeetingKind) => !kinds.data || kinds.data.kinds.includes(k);
  // The county's photo limit (files.maxImageMB); the platform's default while it is not known (offline).
  const maxPhotoBytes = kinds.data?.maxPhotoBytes || DEFAULT_MAX_PHOTO_BYTES;
  const roster = useRoster(values.orgId && org.data && MEMBER_ORG_KINDS.has(org.data.kind) ? values.orgId : undefined);
  const committee = useMemo(() => committeeOf(org.data), [org.data]);
  /** Everyone who may be chosen (chair, lecturer, decisions): the organization's members. */
  const everyone = useMemo(() => {
    const list = roster.data?.map((m) => ({ id: m.id, name: m.name })) ?? [];
    // Someone recorded earlier who has since left the organization stays on the record.
    for (const a of existing.data?.attendance ?? [])
      if (!list.some((m) => m.id === a.memberId)) list.push({ id: a.memberId, name: a.name });
    return list;
  }, [roster.data, existing.data]);
  const kind = values.kind ?? '';
  /**
   * Who is expected: a 支委会 expects the committee, everything else the whole membership; an edited
   * record keeps the people it recorded.
   */
  const members = useMemo(() => {
    if (existing.data?.attendance.length && existing.data.kind === kind)
      return existing.data.attendance.map((a) => ({ id: a.memberId, name: a.name }));
    if (kind === 'committeeMeeting' && committee.ids.size) {
      const names = new Map(
        (org.data?.leadership ?? []).filter((p) => p.memberId).map((p) => [p.memberId as string, p.personName ?? '']),
      );
      return [...committee.ids].map((id) => ({
        id,
        name: everyone.find((m) => m.id === id)?.name ?? names.get(id) ?? '',
      }));
    }
    return everyone;
  }, [existing.data, kind, committee.ids, org.data, everyone]);
  const orgNotBranch = !!org.data && !MEMBER_ORG_KINDS.has(org.data.kind);

  // Default chair: the secretary, once the organization is known (on a new record, until the chair is chosen by hand).
  const chairTouched = useRef(false);
  useEffect(() => {
    if (!editing && committee.secretaryId && !values.chairMemberId && !values.chairName && !chairTouched.current)
      setValues((v) => ({ ...v, chairMemberId: committee.secretaryId }));
  }, [committee.secretaryId, editing, values.chairMemberId, values.chairName]);

  const newDraft = (values: MeetingValues): MeetingDraft => ({
    kind: MEETING_KIND,
    clientId: newClientId(),
    userId,
    state: 'editing',
    savedAt: Date.now(),
    payload: { editOf: editId, version: existing.data?.version, values, photos: [] },
  });
  /** Writes the draft onto the device as it stands (its state too); false when storage is full. */
  const keep = (d: MeetingDraft) =>
    offline.keep(MEETING_KIND, d.payload, { clientId: d.clientId, userId, state: d.state });

  /** Every change: into state and onto the device. */
  const change = (patch: Partial<MeetingValues>) => {
    setValues((prev) => {
      const next = { ...prev, ...patch };
      let d = draftRef.current ?? newDraft(next);
      if (!draftRef.current && !editing) setSearch({ draft: d.clientId }, { replace: true });
      d = { ...d, state: 'editing', savedAt: Date.now(), payload: { ...d.payload, values: next } };
      draftRef.current = d;
      setDraft(d);
      setStorageFull(!keep(d));
      return next;
    });
  };

  const attendanceOf = (memberId: string): AttendanceMark => markOf(values.attendance, memberId);

  // ---- photos ----
  const addPhotos = async (files: FileList | null) => {
    if (!files?.length) return;
    let d = draftRef.current;
    if (!d) {
      change({});
      d = draftRef.current;
    }
    if (!d) return;
    const added: PhotoRef[] = [];
    const refused: string[] = [];
    let failed = 0;
    const list = Array.from(files);
    const shrink = photoShrinkOn();
    for (const [i, f] of list.entries()) {
      // Shrunk here, before it is kept (photo-shrink.ts): what is kept and later sent is the small copy,
      // with the capture time read from the original. What cannot fit the limit is refused now.
      if (shrink) setBusy(`正在处理照片 ${i + 1}/${list.length}…`);
      let photo: PreparedPhoto;
      try {
        photo = await preparePhoto(f, maxPhotoBytes, { shrink });
      } catch (e) {
        refused.push(e instanceof PhotoRefused ? e.message : `${f.name} 无法读取，请重新选择`);
        continue;
      }
      const ref: PhotoRef = {
        id: newClientId(),
        name: photo.name || `照片${added.length + 1}.jpg`,
        type: photo.type,
        size: photo.blob.size,
        ...(photo.capturedAt ? { capturedAt: photo.capturedAt } : {}),
      };
      try {
        await offline.putBlob(d.clientId, ref.id, photo.blob);
        added.push(ref);
      } catch {
        failed++;
      }
    }
    setBusy(null);
    const cur = draftRef.current ?? d;
    const next = {
      ...cur,
      savedAt: Date.now(),
      payload: { ...cur.payload, photos: [...cur.payload.photos, ...added] },
    };
    draftRef.current = next;
    setDraft(next);
    keep(next);
    if (failed) message.error(`${failed} 张照片未能保存到本机（存储空间不足？），请清理手机空间后重新选择`);
    if (refused.length) modal.error({ title: `${refused.length} 个文件未添加`, content: refused.join('；') });
  };
  const removePhoto = (p: PhotoRef) => {
    const d = draftRef.current;
    if (!d) return;
    const next = {
      ...d,
      savedAt: Date.now(),
      payload: { ...d.payload, photos: d.payload.photos.filter((x) => x.id !== p.id) },
    };
    draftRef.current = next;
    setDraft(next);
    keep(next);
    void offline.deleteBlob(d.clientId, p.id).catch(() => undefined);
  };
  const removeServerEvidence = (evId: string, name: string) => {
    modal.confirm({
      title: '删除这张影像资料？',
      content: `${name} 将从记录中删除，此操作记入审计日志。`,
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        await api.del(`/api/evidence/${evId}`);
        await qc.invalidateQueries({ queryKey: ['meetings'] });
        message.success('已删除');
      },
    });
  };

  // ---- saving ----
  const discard = () => {
    modal.confirm({
      title: '放弃本机保存的内容？',
      content: '本机保存的文字和尚未上传的照片都将删除，无法恢复。',
      okText: '放弃',
      okButtonProps: { danger: true },
      cancelText: '继续编辑',
      onOk: async () => {
        if (draft) await offline.remove(MEETING_KIND, draft.clientId);
        navigate(editing ? `/meetings/${editId}` : '/meetings', { replace: true });
      },
    });
  };

  const save = async () => {
    setErr(null);
    if (!values.orgId) return setErr(new Error('请选择党组织'));
    if (!values.kind) return setErr(new Error('请选择会议类型'));
    if (!values.startsAt) return setErr(new Error('请填写会议时间'));
    // What the server refuses (MEETING_NOT_YET_HELD, MEETING_TOPIC_REQUIRED), said beside the field first.
    const issues = heldIssues(values, Date.now());
    setFieldErrors(issues);
    if (Object.keys(issues).length) return;
    const missingReason = members.find(
      (m) => attendanceOf(m.id).status === 'leave' && !attendanceOf(m.id).reason?.trim(),
    );
    if (missingReason) return setErr(new Error(`请填写 ${missingReason.name} 的请假原因`));
    // The whole roster goes with the record: those not tapped were present.
    const attendance: Record<string, AttendanceMark> = {};
    for (const m of members) attendance[m.id] = attendanceOf(m.id);
    const full = { ...values, attendance, orgName: org.data?.name ?? values.orgName };
    let d = draftRef.current ?? newDraft(full);
    d = { ...d, savedAt: Date.now(), payload: { ...d.payload, values: full } };
    draftRef.current = d;
    setDraft(d);
    if (!keep(d)) setStorageFull(true);
    rememberPlace(userId, values.place);
    try {
      localStorage.setItem(lastOrgKey(userId), JSON.stringify([values.orgId]));
    } catch {
      /* ignore */
    }
    setBusy('正在保存…');
    sendingRef.current = true;
    try {
      const res = await offline.queue<MeetingPayload, SendResult>(MEETING_KIND, d.payload, {
        clientId: d.clientId,
        userId,
        onProgress: setBusy,
      });
      await delivered(res, true);
    } catch (e) {
      setDraft(offline.get<MeetingPayload>(MEETING_KIND, d.clientId));
      if (isRetryable(e)) {
        setWaiting(true);
        message.warning(OFFLINE_MESSAGE, 6);
      } else {
        setErr(e);
        // The server's refusal of the time or the topic also stands beside its field.
        if (e instanceof ApiError)
          setFieldErrors(
            Object.fromEntries(
              e.fields.filter((f) => f.field === 'startsAt' || f.field === 'topic').map((f) => [f.field, f.message]),
            ),
          );
      }
    } finally {
      sendingRef.current = false;
      setBusy(null);
    }
  };

  /** The server has the record: to its page (`announce`: the shell has not said so already). */
  const delivered = async (res: SendResult, announce: boolean) => {
    await qc.invalidateQueries({ queryKey: ['meetings'] });
    await qc.invalidateQueries({ queryKey: ['compliance'] });
    if (res.refused.length)
      message.warning(
        `记录已保存，但有 ${res.refused.length} 张照片未被接收：${res.refused.map((r) => `${r.name}（${r.message}）`).join('；')}`,
        8,
      );
    else if (announce) message.success(editing ? '已保存修改' : '已保存');
    navigate(`/meetings/${res.meetingId}`, { replace: true });
  };

  // A record waiting for the network is sent by the shell when the browser is back online (it says so),
  // and tried once when this page opens online; this page follows what happens to it.
  useOfflineEvents((e) => {
    const d = draftRef.current;
    if (
      !d ||
      e.type === 'changed' ||
      e.type === 'synced' ||
      e.kind !== MEETING_KIND ||
      e.clientId !== d.clientId ||
      sendingRef.current
    )
      return;
    if (e.type === 'sent') void delivered(e.result as SendResult, false);
    else {
      const now = offline.get<MeetingPayload>(MEETING_KIND, d.clientId);
      draftRef.current = now;
      setDraft(now);
      if (!e.waiting) {
        setWaiting(false);
        setErr(new Error(e.message));
      }
    }
  });
  const retried = useRef(false);
  useEffect(() => {
    if (draft?.state === 'pending' && !retried.current && navigator.onLine && userId) {
      retried.current = true;
      void offline.sync(userId);
    }
  }, [draft?.state, userId]);

  if (editing && existing.isLoading) return <Skeleton active />;
  if (editing && existing.error) return <ErrorAlert err={existing.error} />;

  const memberOptions = everyone.map((m) => ({ value: m.id, label: m.name }));
  const photos = draft?.payload.photos ?? [];

  return (
    <div className="meeting-record">
      <div className="page-head">
        <h1>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            aria-label="返回"
            onClick={() => navigate(editing ? `/meetings/${editId}` : '/meetings')}
          />
          {editing ? '修改组织生活记录' : '记录组织生活'}
        </h1>
      </div>
      {restored ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`已恢复本机保存的内容（${dayjs(restored).format('M月D日 HH:mm')}）`}
          action={
            <Button size="small" danger onClick={discard}>
              放弃
            </Button>
          }
        />
      ) : null}
      {waiting || draft?.state === 'pending' ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="meeting-offline"
          title={OFFLINE_MESSAGE}
          description="不要清除浏览器数据。可以离开本页，网络恢复或再次打开时会自动上传。"
        />
      ) : null}
      {storageFull ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title="本机存储空间不足，内容未能离线保存，请尽快在有网络时保存"
        />
      ) : null}
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />

      <Card size="small" className="mr-card">
        <div className="mr-field">
          <span className="mr-label">党组织</span>
          {editing ? (
            <div>{existing.data?.orgName}</div>
          ) : (
            <OrgSelect
              value={values.orgId}
              onChange={(id) => {
                chairTouched.current = false;
                change({ orgId: id, chairMemberId: undefined, attendance: {}, decisions: [] });
              }}
              placeholder="选择召开会议的党组织"
              allowClear={false}
              data-testid="meeting-org"
              aria-label="党组织"
            />
          )}
          {orgNotBranch ? (
            <div className="mr-hint">该组织不直接管理党员，考勤名单为空；支部的会议请选择具体党支部。</div>
          ) : null}
        </div>

        <div className="mr-field">
          <span className="mr-label">会议类型</span>
          <Radio.Group
            className="mr-kinds"
            optionType="button"
            buttonStyle="solid"
            value={kindOther ? 'other' : kind}
            onChange={(e) => {
              if (e.target.value === 'other') {
                setKindOther(true);
                change({ kind: OTHER_KINDS[0] });
              } else {
                setKindOther(false);
                change({ kind: e.target.value });
              }
            }}
            options={[
              ...COMMON_KINDS.filter(fits).map((k) => ({ value: k, label: kindLabel(k) })),
              ...(OTHER_KINDS.some(fits) ? [{ value: 'other', label: '其他' }] : []),
            ]}
            data-testid="meeting-kind"
          />
          {kindOther ? (
            <Select
              style={{ width: '100%', marginTop: 8 }}
              value={kind}
              onChange={(k) => change({ kind: k })}
              options={OTHER_KINDS.filter(fits).map((k) => ({ value: k, label: kindLabel(k) }))}
              aria-label="其他会议类型"
            />
          ) : null}
        </div>

        <div className="mr-row">
          <div className="mr-field">
            <span className="mr-label">时间</span>
            {isMobile ? (
              // A phone's own date and time wheels (issue 18 §3): antd's panel ran off a 390-px screen.
              <Input
                type="datetime-local"
                className="mr-datetime"
                value={values.startsAt?.slice(0, 16) ?? ''}
                max={latestStart()}
                onChange={(e) => {
                  if (e.target.value) change({ startsAt: e.target.value.slice(0, 16) });
                  setFieldErrors((f) => ({ ...f, startsAt: undefined }));
                }}
                status={fieldErrors.startsAt ? 'error' : undefined}
                aria-label="会议时间"
                data-testid="meeting-time"
              />
            ) : (
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
                allowClear={false}
                value={values.startsAt ? dayjs(values.startsAt) : null}
                onChange={(d) => {
                  change({ startsAt: d ? d.format('YYYY-MM-DDTHH:mm') : undefined });
                  setFieldErrors((f) => ({ ...f, startsAt: undefined }));
                }}
                disabledDate={(d) => d.format('YYYY-MM-DD') > latestStart().slice(0, 10)}
                status={fieldErrors.startsAt ? 'error' : undefined}
                aria-label="会议时间"
                data-testid="meeting-time"
              />
            )}
            {fieldErrors.startsAt ? (
              <div className="mr-field-error" style={FIELD_ERROR} role="alert" data-testid="meeting-time-error">
                {fieldErrors.startsAt}
              </div>
            ) : null}
          </div>
          <div className="mr-field">
            <span className="mr-label">地点</span>
            <AutoComplete
              value={values.place}
              onChange={(v: string) => change({ place: v })}
              options={readList(placesKey(userId)).map((p) => ({ value: p }))}
              style={{ width: '100%' }}
              placeholder="如：村党群服务中心会议室"
              aria-label="地点"
              data-testid="meeting-place"
            />
          </div>
        </div>

        <div className="mr-row">
          <div className="mr-field">
            <span className="mr-label">主持人</span>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              allowClear
              value={values.chairMemberId}
              onChange={(v: string | undefined) => {
                chairTouched.current = true;
                change({ chairMemberId: v });
              }}
              options={memberOptions}
              placeholder={committee.secretaryName ? `书记 ${committee.secretaryName}` : '选择主持人'}
              style={{ width: '100%' }}
              aria-label="主持人"
              data-testid="meeting-chair"
            />
            {values.chairMemberId &&
            committee.secretaryId &&
            values.chairMemberId !== committee.secretaryId &&
            kind !== 'groupMeeting' ? (
              <div className="mr-hint">主持人不是书记：请在会议记录中写明受书记委托主持。</div>
            ) : null}
          </div>
          {kind === 'partyLecture' ? (
            <div className="mr-field">
              <span className="mr-label">授课人</span>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                allowClear
                value={values.lecturerMemberId}
                onChange={(v: string | undefined) => change({ lecturerMemberId: v })}
                options={memberOptions}
                placeholder="选择授课人"
                style={{ width: '100%' }}
                aria-label="授课人"
              />
            </div>
          ) : null}
        </div>

        <div className="mr-field">
          <span className="mr-label">
            主题
            {MEETING_KINDS_NEEDING_TOPIC.has(kind as MeetingKind) ? (
              <span style={{ color: '#cf1322', fontWeight: 'normal' }}>（必填）</span>
            ) : null}
          </span>
          <Input
            value={values.topic}
            onChange={(e) => {
              change({ topic: e.target.value });
              setFieldErrors((f) => ({ ...f, topic: undefined }));
            }}
            maxLength={200}
            status={fieldErrors.topic ? 'error' : undefined}
            placeholder="如：学习贯彻全会精神，研究发展党员工作"
            aria-label="主题"
            data-testid="meeting-topic"
          />
          {fieldErrors.topic ? (
            <div className="mr-field-error" style={FIELD_ERROR} role="alert" data-testid="meeting-topic-error">
              {fieldErrors.topic}
            </div>
          ) : null}
        </div>
      </Card>

      <AttendanceCard
        members={members}
        attendance={values.attendance}
        onChange={(attendance) => change({ attendance })}
        committeeIds={committee.ids}
        isCommitteeMeeting={kind === 'committeeMeeting' && !!org.data}
        strictQuorum={org.data?.committeeQuorum === 'moreThanHalf'}
        loading={roster.isLoading}
        hasOrg={!!values.orgId}
      />

      <PhotosCard
        photos={photos}
        draft={draft}
        evidence={existing.data?.evidence}
        onAdd={addPhotos}
        onRemove={removePhoto}
        onRemoveEvidence={removeServerEvidence}
      />

      <Card size="small" className="mr-card" title="会议记录">
        <Input.TextArea
          value={values.minutes}
          onChange={(e) => change({ minutes: e.target.value })}
          autoSize={{ minRows: 4, maxRows: 16 }}
          placeholder="会议内容、发言要点、议定事项（每段一行）"
          aria-label="会议记录"
          data-testid="meeting-minutes"
        />
      </Card>

      <DecisionsCard
        decisions={values.decisions ?? []}
        onChange={(decisions) => change({ decisions })}
        memberOptions={memberOptions}
      />

      <div className="mr-savebar">
        <span className="muted mr-saved">
          {busy ??
            (draft ? `已自动保存在本机 ${dayjs(draft.savedAt).format('HH:mm:ss')}` : '填写的内容会自动保存在本机')}
        </span>
        {draft && !editing ? (
          <Button onClick={discard} disabled={!!busy}>
            放弃
          </Button>
        ) : null}
        <Button
          type="primary"
          icon={<SaveOutlined />}
          loading={!!busy}
          onClick={() => void save()}
          data-testid="meeting-save"
        >
          保存
        </Button>
      </div>
    </div>
  );
}
