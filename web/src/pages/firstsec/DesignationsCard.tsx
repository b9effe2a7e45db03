/**
 * 重点村标注 of the village a person is posted to (FS-1): which marks the county gave it and from
 * when (软弱涣散村, 脱贫村, 易地扶贫搬迁安置村, 乡村振兴任务重的村). Those who manage the roster change
 * them here; the list is replaced as a whole and keeps each mark's days, the rule reads them.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, DatePicker, Modal } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { addDays } from '../../../../contract/calendar.ts';
import { ORG_DESIGNATION_LABELS, ORG_DESIGNATIONS, type OrgDesignation } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateText } from '../../app/format.ts';
import { useIsMobile } from '../../app/hooks.ts';
import { Mark } from '../tasks/shared.tsx';
import { beijingToday } from './roster-shared.tsx';

interface Designation {
  kind: OrgDesignation;
  fromDate: string;
  toDate: string | null;
}

export default function DesignationsCard({ orgId, orgName }: { orgId: string; orgName: string }) {
  const can = useCan();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const key = ['firstsec', 'designations', orgId];
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.get<Designation[]>(`/api/first-secretaries/designations/${orgId}`),
  });
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Designation[]>([]);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const today = beijingToday();
  const list = q.data ?? [];
  const current = list.filter((d) => d.fromDate <= today && (!d.toDate || d.toDate >= today));

  const edit = () => {
    setDraft(list.map((d) => ({ ...d })));
    setErr(null);
    setOpen(true);
  };
  // Unticking ends a mark the day before today (its days stay, the rule judges past periods by them);
  // one begun today is simply dropped.
  const toggle = (kind: OrgDesignation, on: boolean) =>
    setDraft((cur) =>
      on
        ? [...cur, { kind, fromDate: today, toDate: null }]
        : cur.flatMap((d) =>
            d.kind !== kind || (d.toDate !== null && d.toDate < today)
              ? [d]
              : d.fromDate >= today
                ? []
                : [{ ...d, toDate: addDays(today, -1) }],
          ),
    );
  const save = async () => {
    setBusy(true);
    setErr(null);
    try {
      await api.put(`/api/first-secretaries/designations/${orgId}`, { designations: draft });
      await qc.invalidateQueries({ queryKey: key });
      void qc.invalidateQueries({ queryKey: ['problems'] });
      message.success('已保存重点村标注');
      setOpen(false);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      className="mr-card"
      title="重点村标注"
      extra={
        can('firstsec.manage') ? (
          <Button size="small" onClick={edit} data-testid="designations-edit">
            修改
          </Button>
        ) : null
      }
      data-testid="designations"
    >
      {current.length ? (
        <span className="fs-area-marks">
          {current.map((d) => (
            <Mark key={`${d.kind}-${d.fromDate}`} color="red">
              {ORG_DESIGNATION_LABELS[d.kind]}（{dateText(d.fromDate)} 起）
            </Mark>
          ))}
        </span>
      ) : (
        <span className="muted">{orgName}目前没有重点村标注。</span>
      )}
      <div className="muted" style={{ marginTop: 6, fontSize: 13 }}>
        标注为软弱涣散村、脱贫村、易地扶贫搬迁安置村的须有在岗第一书记；乡村振兴任务重的村须有第一书记或驻村工作队员（规则
        FS-1）。
      </div>
      <Modal
        open={open}
        title={`重点村标注：${orgName}`}
        onCancel={busy ? undefined : () => setOpen(false)}
        width={isMobile ? '100%' : 520}
        style={isMobile ? { top: 8, maxWidth: 'calc(100vw - 16px)' } : undefined}
        footer={[
          <Button key="c" size="large" onClick={() => setOpen(false)} disabled={busy}>
            取消
          </Button>,
          <Button
            key="ok"
            size="large"
            type="primary"
            loading={busy}
            onClick={() => void save()}
            data-testid="designations-save"
          >
            保存
          </Button>,
        ]}
      >
        <ErrorAlert err={err} style={{ marginBottom: 12 }} />
        {ORG_DESIGNATIONS.map((kind) => {
          const d = draft.find((x) => x.kind === kind && (!x.toDate || x.toDate >= today));
          return (
            <div key={kind} className="fs-designation-row">
              <Checkbox checked={!!d} onChange={(e) => toggle(kind, e.target.checked)}>
                {ORG_DESIGNATION_LABELS[kind]}
              </Checkbox>
              {d ? (
                <DatePicker
                  size="small"
                  value={dayjs(d.fromDate)}
                  allowClear={false}
                  inputReadOnly={isMobile}
                  disabledDate={(x) => x.format('YYYY-MM-DD') > today}
                  onChange={(v) =>
                    setDraft((cur) => cur.map((x) => (x === d && v ? { ...x, fromDate: v.format('YYYY-MM-DD') } : x)))
                  }
                  aria-label={`${ORG_DESIGNATION_LABELS[kind]}的起始日期`}
                />
              ) : null}
            </div>
          );
        })}
        <div className="muted" style={{ marginTop: 8, fontSize: 13 }}>
          取消勾选即结束该标注；已结束的标注保留原有日期，供按当时情况检查。
        </div>
      </Modal>
    </Card>
  );
}
