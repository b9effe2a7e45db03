/**
 * A progress report with evidence, on a phone first: the text is kept on the device (app/drafts.ts)
 * from the first keystroke until the server has the report; photos are shrunk on the phone
 * (app/photo-shrink.ts), uploaded one after another and stay on the page until the server has them (a
 * failure offers 重试). Used by a task's share (汇报进展) and a problem's rectification (整改进展).
 */
import {
  CameraOutlined,
  CloseOutlined,
  FileAddOutlined,
  ReloadOutlined,
  SendOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { Button, Card, Input } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ApiError, upload } from '../../app/api.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { errorMessage } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { bytesText } from '../../app/format.ts';
import { useIsMobile } from '../../app/hooks.ts';
import { newClientId } from '../../app/offline.ts';
import { PhotoRefused, photoShrinkOn, preparePhoto } from '../../app/photo-shrink.ts';
import type { TaskEvidenceView } from '../../app/types.ts';
import { captureField } from '../meetings/meeting-drafts.ts';
import { EvidenceItem } from './shared.tsx';

/** A file on its way to the server: kept on the page until the server has it (a failure offers 重试). */
interface Sending {
  key: string;
  file: File;
  fields: Record<string, string>;
  percent: number;
  error?: string;
  busy: boolean;
  preview?: string;
}

export function ReportBox(props: {
  title: string;
  /** Where a file goes (multipart field file), and where the evidence is read from. */
  uploadUrl: string;
  evidenceBase: string;
  /** The device's draft of the text. */
  draftKey: string;
  /** The county's photo limit as the server read it (files.maxImageMB). */
  maxPhotoBytes: number;
  pendingEvidence: TaskEvidenceView[];
  /** What the evidence should show (a task's 佐证材料要求). */
  evidenceHint?: string | null;
  placeholder: string;
  sendLabel: string;
  /** Reread the page after an upload. */
  onUploaded: () => Promise<void>;
  /** Send the report; true when the server has it. */
  onSend: (text: string) => Promise<boolean>;
  busy: boolean;
  disabled: boolean;
  onError: (e: unknown) => void;
  testId?: string;
}) {
  const { modal } = useFeedback();
  const isMobile = useIsMobile();
  const big = isMobile ? ({ size: 'large', block: true } as const) : ({ size: 'large' } as const);
  const { draftKey } = props;

  const [report, setReport] = useState('');
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    const d = loadDraft<string>(draftKey);
    setReport(d?.values ?? '');
    setRestored(!!d?.values);
  }, [draftKey]);
  const changeReport = (text: string) => {
    setReport(text);
    if (text.trim()) saveDraft(draftKey, text);
    else clearDraft(draftKey);
  };

  const [sending, setSending] = useState<Sending[]>([]);
  const [preparing, setPreparing] = useState<string | null>(null);
  const sendingRef = useRef(sending);
  sendingRef.current = sending;
  // Previews are released when the page closes.
  useEffect(
    () => () => {
      for (const s of sendingRef.current) if (s.preview) URL.revokeObjectURL(s.preview);
    },
    [],
  );

  const sendReport = async () => {
    if (!report.trim()) return props.onError(new Error('请填写进展情况'));
    if (sending.some((s) => s.busy)) return props.onError(new Error('佐证材料还在上传，请稍候再汇报'));
    const unsent = sending.filter((s) => s.error).length;
    if (unsent) return props.onError(new Error(`有 ${unsent} 个佐证材料未上传成功：请点“重试”，或移除后再汇报`));
    if (await props.onSend(report.trim())) {
      clearDraft(draftKey);
      setReport('');
      setRestored(false);
    }
  };

  const send = async (s: Sending) => {
    setSending((list) => list.map((x) => (x.key === s.key ? { ...x, busy: true, error: undefined, percent: 0 } : x)));
    const progress = (percent: number) =>
      setSending((list) => list.map((x) => (x.key === s.key ? { ...x, percent } : x)));
    try {
      await upload<TaskEvidenceView>(props.uploadUrl, {}, s.file, progress, [], s.fields).promise;
      setSending((list) => list.filter((x) => x.key !== s.key));
      if (s.preview) URL.revokeObjectURL(s.preview);
      await props.onUploaded();
    } catch (e) {
      // The file stays on the page: a broken connection is retried from here, not picked again.
      const error =
        e instanceof ApiError && (e.code === 'NETWORK' || e.code === 'TIMEOUT')
          ? '网络中断，未能上传。材料仍在本页，网络恢复后点“重试”'
          : errorMessage(e);
      setSending((list) => list.map((x) => (x.key === s.key ? { ...x, busy: false, error } : x)));
    }
  };

  const addFiles = async (files: FileList | null) => {
    if (!files?.length) return;
    const list = Array.from(files);
    const shrink = photoShrinkOn();
    const refused: string[] = [];
    const ready: Sending[] = [];
    for (const [i, f] of list.entries()) {
      const isPicture = f.type ? f.type.startsWith('image/') : /\.(jpe?g|png|webp|gif|heic|heif)$/i.test(f.name);
      if (!isPicture) {
        ready.push({ key: newClientId(), file: f, fields: {}, percent: 0, busy: false });
        continue;
      }
      // Shrunk here, as the meeting record does: the capture time is read from the original first.
      if (shrink) setPreparing(`正在处理照片 ${i + 1}/${list.length}…`);
      try {
        const p = await preparePhoto(f, props.maxPhotoBytes, { shrink });
        const file = new File([p.blob], p.name, { type: p.type });
        ready.push({
          key: newClientId(),
          file,
          fields: captureField(p.capturedAt),
          percent: 0,
          busy: false,
          preview: URL.createObjectURL(p.blob),
        });
      } catch (e) {
        refused.push(e instanceof PhotoRefused ? e.message : `${f.name} 无法读取，请重新选择`);
      }
    }
    setPreparing(null);
    if (refused.length) modal.error({ title: `${refused.length} 个文件未添加`, content: refused.join('；') });
    if (!ready.length) return;
    setSending((cur) => [...cur, ...ready]);
    // One after another: a weak connection does better with one upload at a time.
    for (const s of ready) await send(s);
  };

  const dropSending = (s: Sending) => {
    if (s.preview) URL.revokeObjectURL(s.preview);
    setSending((list) => list.filter((x) => x.key !== s.key));
  };

  const pending = props.pendingEvidence.length;
  return (
    <Card size="small" className="mr-card task-actions" title={props.title} data-testid={props.testId}>
      {restored ? <div className="mr-hint">已恢复本机保存的未发送内容。</div> : null}
      <Input.TextArea
        value={report}
        onChange={(e) => changeReport(e.target.value)}
        autoSize={{ minRows: 3, maxRows: 10 }}
        maxLength={2000}
        placeholder={props.placeholder}
        aria-label="进展情况"
        data-testid="report-text"
      />
      <div className="mr-photo-buttons task-upload-buttons">
        <label className="ant-btn ant-btn-default mr-file-btn">
          <CameraOutlined /> 拍照
          <input
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            hidden
            onChange={(e) => void addFiles(e.target.files).then(() => (e.target.value = ''))}
            data-testid="evidence-camera"
          />
        </label>
        <label className="ant-btn ant-btn-default mr-file-btn">
          <UploadOutlined /> 上传佐证材料
          <input
            type="file"
            accept="image/*,video/*,application/pdf,.pdf"
            multiple
            hidden
            onChange={(e) => void addFiles(e.target.files).then(() => (e.target.value = ''))}
            data-testid="evidence-file"
          />
        </label>
      </div>
      {props.evidenceHint ? <div className="mr-hint">佐证材料要求：{props.evidenceHint}</div> : null}
      {preparing ? <div className="muted">{preparing}</div> : null}
      {sending.length ? (
        <div className="task-sending" data-testid="evidence-sending">
          {sending.map((s) => (
            <div key={s.key} className={s.error ? 'task-sending-item task-sending-bad' : 'task-sending-item'}>
              {s.preview ? <img src={s.preview} alt={s.file.name} /> : <FileAddOutlined className="task-file-icon" />}
              <div className="task-sending-main">
                <div className="task-sending-name">
                  {s.file.name} <span className="muted">{bytesText(s.file.size)}</span>
                </div>
                {s.error ? (
                  <div className="task-overdue">{s.error}</div>
                ) : (
                  <div className="task-upload-progress">
                    <div className="task-bar">
                      <div className="task-bar-done" style={{ width: `${s.percent}%` }} />
                    </div>
                    <span className="muted">{s.busy ? `${s.percent}%` : '等待上传'}</span>
                  </div>
                )}
              </div>
              {s.error ? (
                <>
                  <Button icon={<ReloadOutlined />} onClick={() => void send(s)} aria-label={`重新上传 ${s.file.name}`}>
                    重试
                  </Button>
                  <Button
                    type="text"
                    icon={<CloseOutlined />}
                    onClick={() => dropSending(s)}
                    aria-label={`移除 ${s.file.name}`}
                  />
                </>
              ) : null}
            </div>
          ))}
        </div>
      ) : null}
      {pending ? (
        <>
          <div className="mr-label" style={{ marginTop: 8 }}>
            已上传、将随下一次汇报报送的材料（{pending}）
          </div>
          <div className="ev-grid task-ev-grid" data-testid="pending-evidence">
            {props.pendingEvidence.map((ev) => (
              <EvidenceItem key={ev.id} ev={ev} base={props.evidenceBase} />
            ))}
          </div>
        </>
      ) : null}
      <div style={{ marginTop: 12 }}>
        <Button
          type="primary"
          {...big}
          icon={<SendOutlined />}
          loading={props.busy}
          disabled={props.disabled}
          onClick={() => void sendReport()}
          data-testid="report-send"
        >
          {props.sendLabel}
        </Button>
      </div>
    </Card>
  );
}
