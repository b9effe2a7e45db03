/**
 * The form of a training or exchange session (培训、座谈交流), new or edited: kind, name, day, place,
 * hours, content and the people called, picked from the serving roster of the writer's scope (the server
 * checks they are posted within the organizer's subtree). An edit sends the version read.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, InputNumber, Modal, Segmented, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { z } from 'zod';
import type { trainingView } from '../../../../contract/firstsec-trainings.ts';
import { FS_ROLE_LABELS, FS_TRAINING_KIND_LABELS, FS_TRAINING_KINDS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useIsMobile } from '../../app/hooks.ts';
import type { FsView, Page } from '../../app/types.ts';

export type TrainingView = z.infer<typeof trainingView>;

/** Every serving person of the reader's scope (the roster, page by page). */
async function servingRoster(signal: AbortSignal): Promise<FsView[]> {
  const out: FsView[] = [];
  for (let page = 1; page <= 25; page++) {
    const p = await api.get<Page<FsView>>('/api/first-secretaries', { status: 'serving', page, pageSize: 200 }, signal);
    out.push(...p.items);
    if (out.length >= p.total || !p.items.length) break;
  }
  return out;
}

interface Values {
  kind: (typeof FS_TRAINING_KINDS)[number];
  title: string;
  heldOn: Dayjs;
  place?: string;
  hours?: number | null;
  content?: string;
  fsIds: string[];
}

export function TrainingForm({
  editing,
  onClose,
  onSaved,
}: {
  editing?: TrainingView;
  onClose: () => void;
  onSaved: (v: TrainingView) => void;
}) {
  const isMobile = useIsMobile();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const roster = useQuery({ queryKey: ['firstsec', 'serving-roster'], queryFn: ({ signal }) => servingRoster(signal) });
  // Those already called stay pickable even when another reader's scope hides them from the roster.
  const known = new Map((roster.data ?? []).map((f) => [f.id, `${f.name}（${f.orgName}，${FS_ROLE_LABELS[f.role]}）`]));
  for (const p of editing?.people ?? []) if (!known.has(p.fsId)) known.set(p.fsId, `${p.name}（${p.orgName}）`);
  const options = [...known].map(([value, label]) => ({ value, label }));

  const save = async (v: Values) => {
    setBusy(true);
    setErr(null);
    const body = {
      kind: v.kind,
      title: v.title ?? '',
      heldOn: v.heldOn.format('YYYY-MM-DD'),
      place: v.place ?? '',
      hours: v.hours ?? null,
      content: v.content ?? '',
      fsIds: v.fsIds ?? [],
    };
    try {
      onSaved(
        editing
          ? await api.patch<TrainingView>(`/api/first-secretaries/trainings/${editing.id}`, {
              ...body,
              version: editing.version,
            })
          : await api.post<TrainingView>('/api/first-secretaries/trainings', body),
      );
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={editing ? '修改培训、座谈交流' : '组织培训、座谈交流'}
      onCancel={busy ? undefined : onClose}
      width={isMobile ? '100%' : 640}
      style={isMobile ? { top: 8, maxWidth: 'calc(100vw - 16px)' } : undefined}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void save(v)}
        initialValues={
          editing
            ? {
                kind: editing.kind,
                title: editing.title,
                heldOn: dayjs(editing.heldOn),
                place: editing.place,
                hours: editing.hours,
                content: editing.content,
                fsIds: editing.people.map((p) => p.fsId),
              }
            : { kind: 'training', heldOn: dayjs(), fsIds: [] }
        }
        data-testid="training-form"
      >
        <Form.Item name="kind" label="类别">
          <Segmented options={FS_TRAINING_KINDS.map((k) => ({ value: k, label: FS_TRAINING_KIND_LABELS[k] }))} />
        </Form.Item>
        <Form.Item name="title" label="名称" rules={[{ required: true, whitespace: true, message: '请填写名称' }]}>
          <Input maxLength={100} placeholder="如：全县第一书记乡村振兴专题培训" data-testid="training-title" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
          <Form.Item name="heldOn" label="举办日期" rules={[{ required: true, message: '请选择举办日期' }]}>
            <DatePicker
              format="YYYY年M月D日"
              style={{ width: 160 }}
              allowClear={false}
              inputReadOnly={isMobile}
              disabledDate={(d) => d.isAfter(dayjs().add(1, 'year'))}
            />
          </Form.Item>
          <Form.Item name="hours" label="学时">
            <InputNumber min={0} max={999} step={0.5} precision={1} placeholder="如 3" style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="place" label="地点" style={{ flex: 1, minWidth: 180 }}>
            <Input maxLength={100} placeholder="如：县委党校报告厅" />
          </Form.Item>
        </div>
        <Form.Item name="content" label="主要内容">
          <Input.TextArea rows={3} maxLength={5000} placeholder="培训课程、交流主题等" />
        </Form.Item>
        <Form.Item
          name="fsIds"
          label={
            <span>
              参加人员
              <Button
                type="link"
                size="small"
                onClick={() => form.setFieldValue('fsIds', [...known.keys()])}
                disabled={!known.size}
              >
                全选本范围在岗人员（{known.size} 人）
              </Button>
            </span>
          }
          rules={[{ required: true, type: 'array', min: 1, message: '请选择参加人员' }]}
        >
          <Select
            mode="multiple"
            allowClear
            loading={roster.isPending}
            options={options}
            optionFilterProp="label"
            placeholder="从在岗的第一书记、驻村工作队员、党建指导员中选择"
            maxTagCount={isMobile ? 3 : 12}
            data-testid="training-people"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
