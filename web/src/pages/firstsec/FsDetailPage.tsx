/**
 * One first secretary (or work-team member, or instructor): who, where, from which unit, the term and the
 * work areas; the chosen month's days in the village said in words; that month's check-ins with their
 * photos, distance and marks; leave requests with the township's and the dispatching unit's decisions
 * (批准 / 不批准 for whoever may decide); the unannounced checks and how they were answered. Those who manage
 * the roster open the person's account (the one-time password shown once), edit, end or recall the posting;
 * approvers start an unannounced check; those who maintain organizations mark the village's office position
 * from where they stand. The person's own account opens its own page, read only.
 */
import {
  AimOutlined,
  ArrowLeftOutlined,
  CameraOutlined,
  CheckOutlined,
  CloseOutlined,
  EditOutlined,
  EnvironmentOutlined,
  LogoutOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Descriptions, Skeleton } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  CHECKIN_FLAG_LABELS,
  type CheckinFlag,
  FS_AREA_LABELS,
  FS_DAYS_ROLES,
  FS_ROLE_LABELS,
  LEAVE_STATUS_LABELS,
} from '../../../../contract/labels.ts';
import { shanghaiMinute } from '../../../../contract/calendar.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateText, dateTimeText, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { CheckinView, FsAccount, FsView, LeaveView, OrgDetail, Page, SpotCheckView } from '../../app/types.ts';
import { ListPager } from '../../components/ListPager.tsx';
import { Mark } from '../tasks/shared.tsx';
import DesignationsCard from './DesignationsCard.tsx';
import FiveOnesCard from './FiveOnesCard.tsx';
import FsTrainingsCard from './FsTrainingsCard.tsx';
import ScoreCard from './ScoreCard.tsx';
import { AccountModal, EditModal, EndModal, RejectModal } from './FsModals.tsx';
import ReportsSection from './ReportsSection.tsx';
import {
  attendanceSentence,
  GapText,
  gapAlert,
  isShort,
  monthParam,
  monthText,
  RoleMark,
  StatusMark,
  thisMonth,
} from './roster-shared.tsx';

const CHECKIN_PAGE = 10;
/** Marks that make a check-in not count as a day in the village or need a look (red); the rest grey. */
const RED_FLAGS = new Set<CheckinFlag>(['far', 'noPhoto', 'noLocation']);
const SPOT_STATES: Record<SpotCheckView['state'], { text: string; color: 'gold' | 'green' | 'red' }> = {
  open: { text: '待回应', color: 'gold' },
  answered: { text: '按时回应', color: 'green' },
  late: { text: '逾时回应', color: 'red' },
  missed: { text: '未回应（记为不在岗）', color: 'red' },
};
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** 850 米, 2.4 公里; unknown: 未能测距. */
function distanceText(m: number | null): string {
  if (m === null) return '未能测距';
  return m < 1000 ? `${thousands(m)} 米` : `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} 公里`;
}

/** How long after it was made a check-in arrived: null unless the server marked it sent late. */
function delayText(c: CheckinView): string | null {
  if (!c.flags.includes('late')) return null;
  const min = (new Date(c.receivedAt).getTime() - new Date(c.madeAt).getTime()) / 60_000;
  if (min < 60) return `${Math.round(min)} 分钟`;
  if (min < 48 * 60) return `${Math.round(min / 60)} 小时`;
  return `${Math.round(min / 1440)} 天`;
}

/** 2026-12-05 → 12月5日 周六. */
function dayText(d: string): string {
  const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
  return `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日 周${WEEKDAYS[wd]}`;
}

function CheckinItem({ c }: { c: CheckinView }) {
  const delay = delayText(c);
  return (
    <div className="fs-ci" data-testid="fs-checkin">
      {c.hasPhoto ? (
        <a
          className="fs-ci-photo"
          href={`/api/checkins/${c.id}/photo`}
          target="_blank"
          rel="noreferrer"
          title="查看现场照片原图"
        >
          <img src={`/api/checkins/${c.id}/thumbnail`} alt={`${dayText(c.day)}现场照片`} loading="lazy" />
        </a>
      ) : (
        <span className="fs-ci-photo fs-ci-nophoto">无照片</span>
      )}
      <div className="fs-ci-body">
        <div>
          <b>{dayText(c.day)}</b> {shanghaiMinute(c.madeAt).slice(11)}
          {c.checkId ? (
            <>
              {' '}
              <Mark color="blue">回应抽查</Mark>
            </>
          ) : null}
        </div>
        {delay ? (
          <div className="muted">
            离线打卡，{delay}后补传（{shanghaiMinute(c.receivedAt)} 收到）
          </div>
        ) : null}
        <div>
          距驻村地点 {distanceText(c.distanceM)}
          {c.accuracyM !== null ? <span className="muted"> · 定位精度约 {thousands(c.accuracyM)} 米</span> : null}
        </div>
        {c.flags.length ? (
          <div className="fs-ci-flags">
            {c.flags.map((f) => (
              <Mark key={f} color={RED_FLAGS.has(f) ? 'red' : 'grey'}>
                {CHECKIN_FLAG_LABELS[f]}
              </Mark>
            ))}
          </div>
        ) : null}
        {c.note ? <div className="fs-ci-note">备注：{c.note}</div> : null}
      </div>
    </div>
  );
}

/** One side's decision: 待审批, 批准 (who, when) or 不批准 (who, when, why). */
function Decision({ side, d }: { side: string; d: LeaveView['township'] }) {
  return (
    <div className="fs-decision">
      <span className="muted">{side}：</span>
      {d.approve === null ? (
        <Mark color="gold">待审批</Mark>
      ) : d.approve ? (
        <Mark color="green">批准</Mark>
      ) : (
        <Mark color="red">不批准</Mark>
      )}
      {d.byName ? (
        <span className="muted">
          {' '}
          {d.byName} · {dateTimeText(d.at)}
        </span>
      ) : null}
      {d.comment ? <div className="fs-decision-comment">{d.comment}</div> : null}
    </div>
  );
}

const LEAVE_COLORS: Record<LeaveView['status'], 'gold' | 'green' | 'red' | 'grey'> = {
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
  cancelled: 'grey',
};

export default function FsDetailPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const can = useCan();
  const isMobile = useIsMobile();
  const { message, modal } = useFeedback();
  const month = monthParam(params.get('month')) ?? thisMonth();
  const [ciPage, setCiPage] = useState(1);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionErr, setActionErr] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const [ending, setEnding] = useState(false);
  const [account, setAccount] = useState<FsAccount | null>(null);
  const [rejecting, setRejecting] = useState<{ leave: LeaveView; side: 'township' | 'unit' } | null>(null);
  const errRef = useRef<HTMLDivElement>(null);

  const detailKey = ['firstsec', 'detail', id];
  const q = useQuery({
    queryKey: [...detailKey, month],
    queryFn: ({ signal }) =>
      api.get<FsView>(`/api/first-secretaries/${id}`, { month: month === thisMonth() ? undefined : month }, signal),
    placeholderData: keepPreviousData,
  });
  const fs = q.data;
  useDocumentTitle(fs ? fs.name : '第一书记');

  const monthEnd = dayjs(`${month}-01`).endOf('month').format('YYYY-MM-DD');
  const checkins = useQuery({
    queryKey: ['firstsec', 'checkins', id, month, ciPage],
    queryFn: ({ signal }) =>
      api.get<Page<CheckinView>>(
        '/api/checkins',
        { fsId: id, from: `${month}-01`, to: monthEnd, page: ciPage, pageSize: CHECKIN_PAGE },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const leavesKey = ['firstsec', 'leaves', id];
  const leaves = useQuery({
    queryKey: leavesKey,
    queryFn: ({ signal }) =>
      api.get<Page<LeaveView>>('/api/first-secretaries/leaves', { fsId: id, pageSize: 100 }, signal),
  });
  const spotKey = ['firstsec', 'spot', id];
  const spots = useQuery({
    queryKey: spotKey,
    queryFn: ({ signal }) => api.get<SpotCheckView[]>(`/api/first-secretaries/${id}/spot-checks`, undefined, signal),
  });
  const canLocate = can('orgs.write');
  const orgKey = ['firstsec', 'office', fs?.orgId ?? ''];
  const office = useQuery({
    queryKey: orgKey,
    queryFn: ({ signal }) => api.get<OrgDetail>(`/api/orgs/${fs?.orgId}`, undefined, signal),
    enabled: canLocate && !!fs,
    staleTime: 60_000,
  });

  const failed = (e: unknown) => {
    setActionErr(e);
    setTimeout(() => errRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' }), 50);
  };
  const saved = (f: FsView) => {
    qc.setQueryData([...detailKey, thisMonth()], f);
    void qc.invalidateQueries({ queryKey: detailKey });
    void qc.invalidateQueries({ queryKey: ['firstsec', 'list'] });
  };
  const refresh = () => {
    setEditing(false);
    setEnding(false);
    void qc.invalidateQueries({ queryKey: detailKey });
  };

  if (q.isLoading) return <Skeleton active />;
  if (q.error || !fs) return <ErrorAlert err={q.error ?? new Error('该人员不存在或不在您的管辖范围内')} />;

  const serving = fs.status === 'serving';
  const a = fs.attendance;
  const back = () =>
    location.key !== 'default'
      ? navigate(-1)
      : navigate(can('firstsec.roster') ? '/first-secretaries' : can('firstsec.self') ? '/checkin' : '/');
  const setMonth = (m: string | null) =>
    setParams(
      (cur) => {
        const next = new URLSearchParams(cur);
        if (!m || m === thisMonth()) next.delete('month');
        else next.set('month', m);
        return next;
      },
      { replace: true },
    );

  const openAccount = () =>
    modal.confirm({
      title: `为${fs.name}开通本人账号？`,
      content: `账号角色为第一书记，只能办理本人在${fs.orgName}的考勤打卡和请假。开通后显示一次性密码，请当面交给本人。`,
      okText: '开通',
      cancelText: '取消',
      onOk: async () => {
        setBusy('account');
        setActionErr(null);
        try {
          const made = await api.post<FsAccount>(`/api/first-secretaries/${fs.id}/account`);
          setAccount(made);
          void qc.invalidateQueries({ queryKey: detailKey });
          void qc.invalidateQueries({ queryKey: ['firstsec', 'list'] });
        } catch (e) {
          failed(e);
        } finally {
          setBusy(null);
        }
      },
    });

  const askSpot = () =>
    modal.confirm({
      title: `对${fs.name}发起不打招呼抽查？`,
      content:
        '将立即通知本人在县里设定的时限内（默认 60 分钟）于驻村地点拍摄现场照片打卡；逾时未回应的记为当天不在岗。请勿提前告知本人。',
      okText: '发起抽查',
      cancelText: '取消',
      onOk: async () => {
        setBusy('spot');
        setActionErr(null);
        try {
          const list = await api.post<SpotCheckView[]>(`/api/first-secretaries/${fs.id}/spot-checks`);
          qc.setQueryData(spotKey, list);
          message.success('已发起抽查，等待本人拍照回应');
        } catch (e) {
          failed(e);
        } finally {
          setBusy(null);
        }
      },
    });

  const locate = () =>
    modal.confirm({
      title: '标注驻村地点位置',
      content: `请在${fs.orgName}的办公地点（村委会、党群服务中心）使用本功能：以当前位置作为打卡测距的基准${office.data?.location ? '，替换原来标注的位置' : ''}。`,
      okText: '以当前位置标注',
      cancelText: '取消',
      onOk: () => {
        if (!navigator.geolocation) {
          message.error('此浏览器不能取得定位，请用手机浏览器打开');
          return;
        }
        setBusy('locate');
        setActionErr(null);
        navigator.geolocation.getCurrentPosition(
          async (pos) => {
            try {
              await api.patch(`/api/orgs/${fs.orgId}`, {
                location: { lat: pos.coords.latitude, lng: pos.coords.longitude },
              });
              await qc.invalidateQueries({ queryKey: orgKey });
              void qc.invalidateQueries({ queryKey: ['orgs'] });
              message.success(
                `已标注${fs.orgName}的位置（定位精度约 ${thousands(Math.round(pos.coords.accuracy))} 米）`,
              );
            } catch (e) {
              failed(e);
            } finally {
              setBusy(null);
            }
          },
          (e) => {
            setBusy(null);
            message.error(
              e.code === e.PERMISSION_DENIED
                ? '未允许使用定位：请在浏览器设置中允许本网站获取位置后重试'
                : '未能取得当前位置，请到室外或靠近窗口后重试',
            );
          },
          { enableHighAccuracy: true, timeout: 20_000, maximumAge: 0 },
        );
      },
    });

  const decide = async (leave: LeaveView, side: 'township' | 'unit', approve: boolean, comment?: string) => {
    setBusy(`leave-${leave.id}-${side}`);
    setActionErr(null);
    try {
      const l = await api.post<LeaveView>(`/api/first-secretaries/leaves/${leave.id}/${side}`, {
        approve,
        comment: comment || undefined,
      });
      qc.setQueryData<Page<LeaveView>>(leavesKey, (p) =>
        p ? { ...p, items: p.items.map((x) => (x.id === l.id ? l : x)) } : p,
      );
      void qc.invalidateQueries({ queryKey: detailKey });
      setRejecting(null);
      message.success(approve ? '已批准' : '已记录不批准及原因');
    } catch (e) {
      setRejecting(null);
      failed(e);
    } finally {
      setBusy(null);
    }
  };

  const manage = can('firstsec.manage');
  const approveCan = can('firstsec.approve');
  const actions = [
    manage && serving && !fs.username ? (
      <Button
        key="account"
        type="primary"
        icon={<UserAddOutlined />}
        loading={busy === 'account'}
        onClick={openAccount}
        data-testid="fs-open-account"
      >
        开通账号
      </Button>
    ) : null,
    approveCan && serving ? (
      <Button key="spot" icon={<CameraOutlined />} loading={busy === 'spot'} onClick={askSpot} data-testid="fs-spot">
        发起不打招呼抽查
      </Button>
    ) : null,
    manage ? (
      <Button key="edit" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="fs-edit">
        编辑
      </Button>
    ) : null,
    manage && serving ? (
      <Button key="end" danger icon={<LogoutOutlined />} onClick={() => setEnding(true)} data-testid="fs-end">
        结束任期/召回
      </Button>
    ) : null,
    canLocate ? (
      <Button key="locate" icon={<AimOutlined />} loading={busy === 'locate'} onClick={locate} data-testid="fs-locate">
        标注驻村地点位置
      </Button>
    ) : null,
  ].filter(Boolean);

  const term = (
    <span>
      {dateText(fs.startDate)} 至 {dateText(fs.endDate)}
      {fs.endedOn ? (
        <div className="muted">
          {fs.status === 'recalled' ? '召回' : '离任'}于 {dateText(fs.endedOn)}
          {fs.endReason ? `：${fs.endReason}` : ''}
        </div>
      ) : null}
    </span>
  );
  const officeText = office.data ? (
    office.data.location ? (
      <span>
        <EnvironmentOutlined /> 已标注，打卡按此测距
      </span>
    ) : (
      <span className="task-overdue">未标注：打卡无法测距，请到驻村地点标注</span>
    )
  ) : (
    '…'
  );

  const short = isShort(a);
  const owesDays = FS_DAYS_ROLES.includes(fs.role);
  const leaveItems = leaves.data?.items ?? [];
  const spotItems = spots.data ?? [];

  return (
    <div className="fs-detail">
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4, flexWrap: 'wrap' }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={back} />
          <span style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{fs.name}</span>
          <RoleMark role={fs.role} />
          <StatusMark status={fs.status} />
        </h1>
      </div>

      {actions.length ? (
        <div className="fs-actions" data-testid="fs-actions">
          {actions}
        </div>
      ) : null}
      <div ref={errRef}>
        <ErrorAlert err={actionErr} style={{ marginBottom: 12 }} />
      </div>

      <Card size="small" className="mr-card" title="基本情况">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'id', label: '身份证号码', children: <span className="mono">{fs.idNumberMasked}</span> },
            { key: 'role', label: '类别', children: FS_ROLE_LABELS[fs.role] },
            {
              key: 'org',
              label: '驻村（驻点）组织',
              children: `${fs.orgName}${fs.townshipName ? `（${fs.townshipName}）` : ''}`,
            },
            {
              key: 'unit',
              label: '派出单位',
              children: `${fs.dispatchUnit}${fs.dispatchOrgName && fs.dispatchOrgName !== fs.dispatchUnit ? `（${fs.dispatchOrgName}）` : ''}`,
            },
            { key: 'liaison', label: '派出单位联络人', children: fs.liaison || <span className="muted">未填写</span> },
            { key: 'term', label: '任期', children: term },
            {
              key: 'areas',
              label: '工作领域',
              span: isMobile ? 1 : 2,
              children: fs.areas.length ? (
                <span className="fs-area-marks">
                  {fs.areas.map((x) => (
                    <Mark key={x} color="blue">
                      {FS_AREA_LABELS[x]}
                    </Mark>
                  ))}
                </span>
              ) : (
                <span className="muted">未填写</span>
              ),
            },
            {
              key: 'account',
              label: '本人账号',
              children: fs.username ? (
                <span className="mono">{fs.username}</span>
              ) : (
                <span className="muted">未开通账号</span>
              ),
            },
            ...(canLocate ? [{ key: 'office', label: '驻村地点位置', children: officeText }] : []),
          ]}
        />
      </Card>

      {can('firstsec.roster') ? <DesignationsCard orgId={fs.orgId} orgName={fs.orgName} /> : null}
      <FiveOnesCard fsId={fs.id} />
      <FsTrainingsCard fsId={fs.id} />
      <ScoreCard fsId={fs.id} />

      <Card
        size="small"
        className="mr-card"
        title={`${monthText(month)}考勤`}
        extra={
          <DatePicker
            picker="month"
            size="small"
            value={dayjs(`${month}-01`)}
            format="YYYY年M月"
            allowClear={false}
            inputReadOnly={isMobile}
            disabledDate={(d) => d.format('YYYY-MM') > thisMonth()}
            onChange={(d) => {
              setMonth(d ? d.format('YYYY-MM') : null);
              setCiPage(1);
            }}
            style={{ width: 120 }}
            aria-label="考勤月份"
            data-testid="fs-month"
          />
        }
        data-testid="fs-attendance"
      >
        {!fs.username ? (
          <div className="muted" style={{ marginBottom: 8 }}>
            尚未开通本人账号，不能打卡；开通账号的次月起按月检查在村天数。
          </div>
        ) : null}
        <div className={short || gapAlert(a) ? 'fs-sentence task-overdue' : 'fs-sentence'} data-testid="fs-sentence">
          {attendanceSentence(a, fs.role)}。
        </div>
        <div className="stat-grid fs-stats" style={{ marginTop: 8 }}>
          <div className="stat-cell">
            <div className="stat-label">{owesDays ? '在村天数' : '到联系的组织天数'}</div>
            <div className={short ? 'stat-value task-overdue' : 'stat-value'}>{thousands(a.daysIn)}</div>
          </div>
          {owesDays ? (
            <div className="stat-cell">
              <div className="stat-label">应不少于</div>
              <div className="stat-value">{thousands(a.required)}</div>
            </div>
          ) : null}
          <div className="stat-cell">
            <div className="stat-label">工作日</div>
            <div className="stat-value">{thousands(a.workingDays)}</div>
          </div>
          <div className="stat-cell">
            <div className="stat-label">请假天数</div>
            <div className="stat-value">{thousands(a.leaveDays)}</div>
          </div>
          {owesDays ? (
            <div className="stat-cell">
              <div className="stat-label">最长连续未到岗</div>
              <div className={gapAlert(a) ? 'stat-value task-overdue' : 'stat-value'}>{thousands(a.longestGap)}</div>
            </div>
          ) : null}
          <div className="stat-cell">
            <div className="stat-label">有标记的打卡</div>
            <div className={a.flagged ? 'stat-value fs-flagged' : 'stat-value'}>{thousands(a.flagged)}</div>
          </div>
        </div>
        {gapAlert(a) ? (
          <div className="mr-hint">
            <GapText a={a} />
            ，可能存在空岗、脱岗，请核实。
          </div>
        ) : null}
      </Card>

      <Card
        size="small"
        className="mr-card"
        title={`${monthText(month, true)}打卡记录${checkins.data ? `（${thousands(checkins.data.total)}）` : ''}`}
        data-testid="fs-checkins"
      >
        {checkins.error ? <ErrorAlert err={checkins.error} /> : null}
        {checkins.isLoading ? (
          <Skeleton active />
        ) : checkins.data?.items.length ? (
          <div className={checkins.isPlaceholderData ? 'fs-ci-list list-stale' : 'fs-ci-list'}>
            {checkins.data.items.map((c) => (
              <CheckinItem key={c.id} c={c} />
            ))}
          </div>
        ) : (
          <div className="muted fs-empty">{`${monthText(month, true)}没有打卡记录`}</div>
        )}
        {(checkins.data?.total ?? 0) > CHECKIN_PAGE ? (
          <div className="list-pager">
            <ListPager
              page={ciPage}
              pageSize={CHECKIN_PAGE}
              total={checkins.data?.total ?? 0}
              onChange={(p) => setCiPage(p)}
              unit="次打卡"
            />
          </div>
        ) : null}
      </Card>

      <ReportsSection fsId={fs.id} />

      <Card
        size="small"
        className="mr-card"
        title={`请假${leaves.data ? `（${thousands(leaves.data.total)}）` : ''}`}
        data-testid="fs-leaves"
      >
        {leaves.error ? <ErrorAlert err={leaves.error} /> : null}
        {leaves.isLoading ? (
          <Skeleton active />
        ) : leaveItems.length ? (
          <div className="fs-rows">
            {leaveItems.map((l) => (
              <div key={l.id} className="fs-row" data-testid="fs-leave">
                <div className="mc-top">
                  <b style={{ flex: 1, minWidth: 0 }}>
                    {dateText(l.fromDate)} 至 {dateText(l.toDate)}，{thousands(l.days)} 天
                  </b>
                  <Mark color={LEAVE_COLORS[l.status]}>{LEAVE_STATUS_LABELS[l.status]}</Mark>
                </div>
                <div>事由：{l.reason}</div>
                <div className="muted">申请于 {dateTimeText(l.createdAt)}</div>
                <Decision side="乡镇党委" d={l.township} />
                <Decision side="派出单位" d={l.unit} />
                {(['township', 'unit'] as const)
                  .filter((side) => l.can[side])
                  .map((side) => (
                    <div key={side} className="fs-decide">
                      <span className="muted">以{side === 'township' ? '乡镇党委' : '派出单位'}名义：</span>
                      <Button
                        type="primary"
                        size="small"
                        icon={<CheckOutlined />}
                        loading={busy === `leave-${l.id}-${side}`}
                        onClick={() => void decide(l, side, true)}
                        data-testid={`fs-leave-approve-${side}`}
                      >
                        批准
                      </Button>
                      <Button
                        danger
                        size="small"
                        icon={<CloseOutlined />}
                        onClick={() => setRejecting({ leave: l, side })}
                        data-testid={`fs-leave-reject-${side}`}
                      >
                        不批准
                      </Button>
                    </div>
                  ))}
              </div>
            ))}
          </div>
        ) : (
          <div className="muted fs-empty">没有请假申请</div>
        )}
      </Card>

      <Card
        size="small"
        className="mr-card"
        title={`不打招呼抽查${spots.data ? `（${thousands(spotItems.length)}）` : ''}`}
        data-testid="fs-spots"
      >
        {spots.error ? <ErrorAlert err={spots.error} /> : null}
        {spots.isLoading ? (
          <Skeleton active />
        ) : spotItems.length ? (
          <div className="fs-rows">
            {spotItems.map((s) => (
              <div key={s.id} className="fs-row" data-testid="fs-spot-row">
                <div className="mc-top">
                  <b style={{ flex: 1, minWidth: 0 }}>{shanghaiMinute(s.askedAt)}</b>
                  <Mark color={SPOT_STATES[s.state].color}>{SPOT_STATES[s.state].text}</Mark>
                </div>
                <div className="muted">
                  {s.askedByName ? `${s.askedByName}发起` : '平台随机抽取'}
                  {s.seed ? `（随机种子 ${s.seed}）` : ''} · 限 {shanghaiMinute(s.dueAt)} 前回应
                </div>
                {s.answeredAt ? <div>拍照回应于 {shanghaiMinute(s.answeredAt)}</div> : null}
              </div>
            ))}
          </div>
        ) : (
          <div className="muted fs-empty">还没有抽查记录</div>
        )}
      </Card>

      {editing ? (
        <EditModal
          fs={fs}
          open={editing}
          onClose={() => setEditing(false)}
          onSaved={(f) => {
            saved(f);
            setEditing(false);
            message.success('已保存');
          }}
          onRefresh={refresh}
        />
      ) : null}
      {ending ? (
        <EndModal
          fs={fs}
          open={ending}
          onClose={() => setEnding(false)}
          onSaved={(f) => {
            saved(f);
            setEnding(false);
            message.success(f.status === 'recalled' ? '已召回' : '已结束任期');
          }}
          onRefresh={refresh}
        />
      ) : null}
      <AccountModal account={account} onClose={() => setAccount(null)} />
      <RejectModal
        open={!!rejecting}
        title={
          rejecting
            ? `不批准${rejecting.leave.name}的请假（${rejecting.side === 'township' ? '乡镇党委' : '派出单位'}）`
            : ''
        }
        busy={!!rejecting && busy === `leave-${rejecting.leave.id}-${rejecting.side}`}
        onCancel={() => setRejecting(null)}
        onOk={(comment) => rejecting && void decide(rejecting.leave, rejecting.side, false, comment)}
      />
    </div>
  );
}
