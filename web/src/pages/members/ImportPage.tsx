import { ArrowLeftOutlined, CheckCircleOutlined, CloudUploadOutlined, DownloadOutlined, FileExcelOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Progress, Result, Space, Spin, Steps, Table } from 'antd';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, download, upload } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { bytesText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { ImportResult } from '../../app/types.ts';

type Phase = 'idle' | 'checking' | 'invalid' | 'checked' | 'importing' | 'done' | 'failed';
type RowError = ImportResult['errors'][number];

const MAX_BYTES = 20 * 1024 * 1024;

function errorsCsv(errors: RowError[]): string {
  const esc = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return `\ufeff行号,列,问题\r\n${errors.map((e) => [e.row, esc(e.column), esc(e.message)].join(',')).join('\r\n')}`;
}

export default function ImportPage() {
  useDocumentTitle('导入党员名册');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const isMobile = useIsMobile();
  const { message } = App.useApp();
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<(() => void) | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState(0);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [drag, setDrag] = useState(false);
  const [templateBusy, setTemplateBusy] = useState(false);

  const send = async (f: File, dryRun: boolean) => {
    setErr(null);
    setProgress(0);
    setPhase(dryRun ? 'checking' : 'importing');
    const job = upload<ImportResult>('/api/members/import', { dryRun: dryRun ? 'true' : 'false' }, f, setProgress, [422]);
    abortRef.current = job.abort;
    try {
      const { body } = await job.promise;
      if (dryRun) {
        setCheck(body);
        setPhase(body.ok ? 'checked' : 'invalid');
      } else {
        setResult(body);
        if (body.ok) {
          setPhase('done');
          await qc.invalidateQueries({ queryKey: ['members'] });
          await qc.invalidateQueries({ queryKey: ['orgs'] });
        } else {
          setCheck(body);
          setPhase('invalid');
        }
      }
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ABORTED') {
        setPhase(dryRun ? 'idle' : 'checked');
        return;
      }
      setErr(e);
      setPhase(dryRun ? 'failed' : 'checked');
    } finally {
      abortRef.current = null;
    }
  };

  const pick = (f: File | undefined | null) => {
    if (!f) return;
    setCheck(null);
    setResult(null);
    if (!/\.xlsx$/i.test(f.name)) {
      setFile(null);
      setErr(new ApiError(415, 'UNSUPPORTED_FILE', `“${f.name}”不是 .xlsx 格式。请在 Excel 中“另存为 Excel 工作簿 (*.xlsx)”后再上传。`));
      setPhase('failed');
      return;
    }
    if (f.size > MAX_BYTES) {
      setFile(null);
      setErr(new ApiError(413, 'PAYLOAD_TOO_LARGE', `文件 ${bytesText(f.size)}，超过 20 MB，请拆分后导入。`));
      setPhase('failed');
      return;
    }
    setFile(f);
    void send(f, true);
  };

  const getTemplate = async () => {
    setTemplateBusy(true);
    try {
      const name = await download('/api/members/import/template', {}, '党员名册导入模板.xlsx');
      message.success(`已开始下载：${name}`);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '下载失败');
    } finally {
      setTemplateBusy(false);
    }
  };

  const downloadErrors = (errors: RowError[]) => {
    const url = URL.createObjectURL(new Blob([errorsCsv(errors)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `导入错误清单-${file?.name.replace(/\.xlsx$/i, '') ?? ''}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const busy = phase === 'checking' || phase === 'importing';
  const current = phase === 'done' ? 3 : phase === 'checked' || phase === 'importing' ? 2 : file || phase !== 'idle' ? 1 : 0;

  const chooser = (
    <>
      <input
        ref={inputRef}
        type="file"
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        className="visually-hidden"
        data-testid="import-file"
        aria-label="选择 Excel 文件"
        onChange={(e) => {
          pick(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <button
        type="button"
        className={`drop-zone${drag ? ' drag' : ''}`}
        disabled={busy}
        onClick={() => inputRef.current?.click()}
        onDragOver={(e) => {
          e.preventDefault();
          setDrag(true);
        }}
        onDragLeave={() => setDrag(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDrag(false);
          if (!busy) pick(e.dataTransfer.files?.[0]);
        }}
      >
        <CloudUploadOutlined style={{ fontSize: 36, color: '#c8161d' }} />
        <div style={{ marginTop: 8, fontSize: 15 }}>{file ? '重新选择文件' : isMobile ? '点击选择 Excel 文件' : '点击选择或拖入 Excel 文件'}</div>
        <div className="muted" style={{ fontSize: 12, marginTop: 4 }}>
          仅支持 .xlsx，最大 20 MB；先校验，校验通过后再确认导入
        </div>
      </button>
    </>
  );

  return (
    <div>
      <div className="page-head">
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/members')} aria-label="返回" />
        <h1>导入党员名册</h1>
      </div>
      <Card>
        <Steps
          current={current}
          status={phase === 'done' ? 'finish' : phase === 'invalid' || phase === 'failed' ? 'error' : 'process'}
          size="small"
          titlePlacement={isMobile ? 'vertical' : 'horizontal'}
          responsive={false}
          style={{ marginBottom: 24 }}
          items={[{ title: '下载模板' }, { title: '上传并校验' }, { title: '确认导入' }, { title: '完成' }]}
        />

        <div className="section-title" style={{ marginTop: 0 }}>
          第一步：按模板填写
        </div>
        <Space wrap>
          <Button icon={<DownloadOutlined />} loading={templateBusy} onClick={() => void getTemplate()} data-testid="import-template">
            下载导入模板
          </Button>
          <span className="muted">模板含填写说明和本级管辖范围内的“党组织列表”。已有的名册表头（如“身份证号”“所在支部”）也可识别。</span>
        </Space>

        <div className="section-title">第二步：上传文件</div>
        {phase !== 'done' ? chooser : null}

        {file ? (
          <div style={{ marginTop: 12, display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
            <FileExcelOutlined style={{ color: '#1d6f42', fontSize: 18 }} />
            <span>{file.name}</span>
            <span className="muted">{bytesText(file.size)}</span>
          </div>
        ) : null}

        {busy ? (
          <div style={{ marginTop: 12 }} aria-live="polite">
            <Progress percent={progress} status="active" />
            <Space>
              {progress >= 100 ? <Spin size="small" /> : null}
              <span className="muted">
                {progress < 100 ? `正在上传… ${progress}%` : phase === 'checking' ? '上传完成，正在逐行校验，请稍候…' : '上传完成，正在写入数据，请稍候…'}
              </span>
              <Button size="small" onClick={() => abortRef.current?.()}>
                取消
              </Button>
            </Space>
          </div>
        ) : null}

        {err ? <ErrorAlert err={err} style={{ marginTop: 12 }} /> : null}

        {phase === 'invalid' && check ? (
          <div style={{ marginTop: 16 }}>
            <Alert
              type="error"
              showIcon
              title={`发现 ${check.errors.length.toLocaleString('zh-CN')} 处错误，未导入任何数据`}
              description={`共 ${check.rows.toLocaleString('zh-CN')} 行。请按下表在 Excel 中改正后，重新选择文件上传。`}
              action={
                isMobile ? undefined : (
                  <Button size="small" onClick={() => downloadErrors(check.errors)}>
                    下载错误清单
                  </Button>
                )
              }
            />
            {isMobile ? (
              <Button size="small" style={{ marginTop: 8 }} onClick={() => downloadErrors(check.errors)}>
                下载错误清单
              </Button>
            ) : null}
            <div data-testid="import-errors">
            <Table<RowError>
              style={{ marginTop: 12 }}
              size="small"
              rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
              dataSource={check.errors}
              pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 处` }}
              columns={[
                { title: '行号', dataIndex: 'row', key: 'row', width: isMobile ? 56 : 80 },
                { title: '列', dataIndex: 'column', key: 'column', width: isMobile ? 96 : 140 },
                { title: '问题', dataIndex: 'message', key: 'message' },
              ]}
            />
            </div>
          </div>
        ) : null}

        {(phase === 'checked' || phase === 'importing') && check ? (
          <div style={{ marginTop: 16 }}>
            <div className="section-title">第三步：确认导入</div>
            <Alert type="success" showIcon title={`校验通过：共 ${check.rows.toLocaleString('zh-CN')} 行，没有发现错误`} data-testid="import-check" />
            <div className="stat-grid" style={{ marginTop: 12, maxWidth: 520 }}>
              {[
                ['新增', check.created],
                ['更新', check.updated],
                ['无变化', check.unchanged],
              ].map(([label, n]) => (
                <div className="stat-cell" key={String(label)}>
                  <div className="stat-label">{label}</div>
                  <div className="stat-value">{Number(n).toLocaleString('zh-CN')}</div>
                </div>
              ))}
            </div>
            <p className="muted" style={{ marginTop: 8 }}>
              新增 {check.created} 人，更新 {check.updated} 人，无变化 {check.unchanged} 人。确认后才会写入数据。
            </p>
            <Space wrap>
              <Button type="primary" icon={<CheckCircleOutlined />} loading={phase === 'importing'} onClick={() => file && void send(file, false)} data-testid="import-confirm">
                确认导入
              </Button>
              <Button icon={<ReloadOutlined />} disabled={busy} onClick={() => inputRef.current?.click()}>
                换一个文件
              </Button>
            </Space>
          </div>
        ) : null}

        {phase === 'done' && result ? (
          <div data-testid="import-result">
          <Result
            status="success"
            title="导入完成"
            subTitle={`共 ${result.rows.toLocaleString('zh-CN')} 行：新增 ${result.created} 人，更新 ${result.updated} 人，无变化 ${result.unchanged} 人。`}
            extra={[
              <Button type="primary" key="list" onClick={() => navigate('/members')}>
                查看党员名册
              </Button>,
              <Button
                key="again"
                onClick={() => {
                  setFile(null);
                  setCheck(null);
                  setResult(null);
                  setPhase('idle');
                }}
              >
                继续导入
              </Button>,
            ]}
          />
          </div>
        ) : null}
      </Card>
    </div>
  );
}
