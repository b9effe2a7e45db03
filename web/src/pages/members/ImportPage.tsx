import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Result, Select, Space, Spin, Steps, Table } from 'antd';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, download, upload, uploadForDownload } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { bytesText, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { IMPORT_COLUMN_LABELS } from '../../app/labels.ts';
import type { ImportResult } from '../../app/types.ts';
import { useFeedback } from '../../app/feedback.tsx';
import { refuseDownloadInWeChat } from '../../app/wechat.ts';

type Phase = 'idle' | 'checking' | 'invalid' | 'checked' | 'importing' | 'done' | 'failed';
type RowError = ImportResult['errors'][number];

const MAX_BYTES = 20 * 1024 * 1024;

/** What the user told the wizard about this file: sent with every check and with the import, remembered for the county after it. */
interface Mapping {
  headers: Record<string, string>;
  values: Record<string, Record<string, string>>;
  /** The chosen codes' names, for the summary (not sent). */
  labels: Record<string, string>;
}
const NO_MAPPING: Mapping = { headers: {}, values: {}, labels: {} };

function mappingText(m: Mapping): string {
  const h = Object.entries(m.headers).map(
    ([k, v]) => `表头“${k}”→${v === 'ignore' ? '不导入' : ((IMPORT_COLUMN_LABELS as Record<string, string>)[v] ?? v)}`,
  );
  const v = Object.entries(m.values).flatMap(([f, vs]) =>
    Object.entries(vs).map(
      ([raw, code]) =>
        `${(IMPORT_COLUMN_LABELS as Record<string, string>)[f] ?? f}“${raw}”→${m.labels[`${f}:${code}`] ?? code}`,
    ),
  );
  return [...h, ...v].join('；');
}

function mappingCount(m: Mapping): number {
  return Object.keys(m.headers).length + Object.values(m.values).reduce((n, v) => n + Object.keys(v).length, 0);
}

/**
 * 对照: once per file, what an unknown header is and which code an unknown value stands for. The answers
 * apply to every row, and after a successful import the county's later files are read the same way.
 */
function MappingPanel({
  check,
  mapping,
  onChange,
  onRecheck,
  busy,
}: {
  check: ImportResult;
  mapping: Mapping;
  onChange: (m: Mapping) => void;
  onRecheck: () => void;
  busy: boolean;
}) {
  const headers = check.unknownHeaders ?? [];
  const values = check.unknownValues ?? [];
  if (!headers.length && !values.length) return null;
  const columnOptions = [
    ...Object.entries(IMPORT_COLUMN_LABELS).map(([value, label]) => ({ value, label })),
    { value: 'ignore', label: '不导入（忽略此列）' },
  ];
  return (
    <Card
      size="small"
      className="mapping-panel"
      style={{ marginTop: 16 }}
      data-testid="import-mapping"
      title="对照一次，整个文件适用"
    >
      <p className="muted" style={{ marginTop: 0 }}>
        下面是名册里平台不认识的表头和填写。各对照一次即可（每个值只问一次，整个文件的所有行都按此处理）；导入成功后，本县以后的名册会自动按同样的对照识别。
      </p>
      {headers.length ? (
        <>
          <div className="section-title" style={{ marginTop: 0 }}>
            不认识的表头
          </div>
          {headers.map((h) => (
            <div className="mapping-row" key={`h-${h.header}`}>
              <span className="mapping-source">
                “{h.header}”<span className="muted">（{h.column} 列）</span>
              </span>
              <span className="muted">是</span>
              <Select
                aria-label={`表头“${h.header}”对照为`}
                placeholder="选择对应的列"
                value={mapping.headers[h.header]}
                options={columnOptions}
                onChange={(v: string) => onChange({ ...mapping, headers: { ...mapping.headers, [h.header]: v } })}
                style={{ minWidth: 200 }}
              />
            </div>
          ))}
        </>
      ) : null}
      {values.length ? (
        <>
          <div className="section-title">需要对照的填写（不在代码表中，或对应多个党组织）</div>
          {values.map((v) => (
            <div className="mapping-row" key={`v-${v.field}-${v.value}`}>
              <span className="mapping-source">
                {v.header}“{v.value}”
                <span className="muted">
                  （{v.count} 行：第 {v.rows.join('、')}
                  {v.count > v.rows.length ? ' 等' : ''} 行）
                </span>
              </span>
              <span className="muted">对照为</span>
              <Select
                aria-label={`${v.header}“${v.value}”对照为`}
                placeholder={`选择规范的${v.header}`}
                showSearch={{ optionFilterProp: 'label' }}
                value={mapping.values[v.field]?.[v.value]}
                options={v.allowed.map((a) => ({ value: a.code, label: a.label }))}
                onChange={(code: string) =>
                  onChange({
                    ...mapping,
                    values: { ...mapping.values, [v.field]: { ...(mapping.values[v.field] ?? {}), [v.value]: code } },
                    labels: {
                      ...mapping.labels,
                      [`${v.field}:${code}`]: v.allowed.find((a) => a.code === code)?.label ?? code,
                    },
                  })
                }
                style={{ minWidth: 200 }}
              />
            </div>
          ))}
        </>
      ) : null}
      <Button
        type="primary"
        style={{ marginTop: 12 }}
        disabled={busy || !mappingCount(mapping)}
        onClick={onRecheck}
        data-testid="import-recheck"
      >
        按对照重新校验
      </Button>
    </Card>
  );
}

/** What imports but should be completed later (a full member without a 转正日期): listed, never blocking. */
function ImportWarnings({ warnings }: { warnings: ImportResult['warnings'] }) {
  if (!warnings?.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 12 }}
      data-testid="import-warnings"
      title={`${thousands(warnings.length)} 处提示，不影响导入，可导入后补录`}
      description={
        <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 160, overflow: 'auto' }}>
          {warnings.slice(0, 50).map((w) => (
            <li key={`${w.row}-${w.column}`}>
              第 {w.row} 行 {w.column}：{w.message}
            </li>
          ))}
          {warnings.length > 50 ? <li>…… 另有 {thousands(warnings.length - 50)} 处</li> : null}
        </ul>
      }
    />
  );
}

/** What the import changes on each member it updates, field by field, before the user confirms. */
function ImportChanges({ changes, updated }: { changes: ImportResult['changes']; updated: number }) {
  if (!changes?.length) return null;
  return (
    <div style={{ marginTop: 12 }} data-testid="import-changes">
      <div className="section-title" style={{ marginTop: 0 }}>
        将更新的 {thousands(updated)} 人及变化
      </div>
      <div
        className="import-changes"
        style={{ maxHeight: 320, overflow: 'auto', border: '1px solid #f0f0f0', borderRadius: 6, padding: '4px 12px' }}
      >
        {changes.map((c) => (
          <div key={c.row} style={{ padding: '6px 0', borderBottom: '1px solid #f5f5f5' }}>
            <div>
              <strong>{c.name}</strong> <span className="muted">第 {c.row} 行</span>
            </div>
            {c.fields.map((f) => (
              <div key={f.column} style={{ fontSize: 13 }}>
                <span className="muted">{f.column}：</span>
                <span style={{ textDecoration: 'line-through', color: '#999' }}>{f.from}</span> → <span>{f.to}</span>
              </div>
            ))}
          </div>
        ))}
        {updated > changes.length ? (
          <div className="muted" style={{ padding: '6px 0' }}>
            另有 {thousands(updated - changes.length)} 人的变化未列出
          </div>
        ) : null}
      </div>
    </div>
  );
}

function errorsCsv(errors: RowError[]): string {
  const esc = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return `\ufeff行号,列,问题\r\n${errors.map((e) => [e.row, esc(e.column), esc(e.message)].join(',')).join('\r\n')}`;
}

export default function ImportPage() {
  useDocumentTitle('导入党员名册');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const isMobile = useIsMobile();
  const { message } = useFeedback();
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
  const [mapping, setMapping] = useState<Mapping>(NO_MAPPING);

  const [rejectedBusy, setRejectedBusy] = useState(false);

  const fieldsOf = (m: Mapping): Record<string, string> =>
    mappingCount(m) ? { mapping: JSON.stringify({ headers: m.headers, values: m.values }) } : {};

  /** Check (dryRun) or import the file; `skipInvalid`: import the rows without errors and leave the others out. */
  const send = async (f: File, dryRun: boolean, m: Mapping = mapping, skipInvalid = false) => {
    setErr(null);
    setProgress(0);
    setPhase(dryRun ? 'checking' : 'importing');
    const query = { dryRun: dryRun ? 'true' : 'false', ...(skipInvalid ? { skipInvalid: 'true' } : {}) };
    const job = upload<ImportResult>('/api/members/import', query, f, setProgress, [422], fieldsOf(m));
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
      setErr(
        new ApiError(
          415,
          'UNSUPPORTED_FILE',
          `“${f.name}”不是 .xlsx 格式。请在 Excel 中“另存为 Excel 工作簿 (*.xlsx)”后再上传。`,
        ),
      );
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
    setMapping(NO_MAPPING);
    void send(f, true, NO_MAPPING);
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

  /** The rows left out, with what is wrong with each, as an .xlsx to correct and import again. */
  const downloadRejected = async () => {
    if (!file) return;
    setRejectedBusy(true);
    try {
      const name = await uploadForDownload(
        '/api/members/import/rejected',
        {},
        file,
        fieldsOf(mapping),
        '未导入的行.xlsx',
      );
      message.success(`已开始下载：${name}`);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '下载失败');
    } finally {
      setRejectedBusy(false);
    }
  };

  const downloadErrors = (errors: RowError[]) => {
    if (refuseDownloadInWeChat()) return;
    const url = URL.createObjectURL(new Blob([errorsCsv(errors)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `导入错误清单-${file?.name.replace(/\.xlsx$/i, '') ?? ''}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const busy = phase === 'checking' || phase === 'importing';
  const current =
    phase === 'done' ? 3 : phase === 'checked' || phase === 'importing' ? 2 : file || phase !== 'idle' ? 1 : 0;

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
        <div style={{ marginTop: 8, fontSize: 15 }}>
          {file ? '重新选择文件' : isMobile ? '点击选择 Excel 文件' : '点击选择或拖入 Excel 文件'}
        </div>
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
          <Button
            icon={<DownloadOutlined />}
            loading={templateBusy}
            onClick={() => void getTemplate()}
            data-testid="import-template"
          >
            下载导入模板
          </Button>
          <span className="muted">
            模板含填写说明和本级管辖范围内的“党组织列表”。已有的名册表头（如“身份证号”“所在支部”）也可识别。
          </span>
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
                {progress < 100
                  ? `正在上传… ${progress}%`
                  : phase === 'checking'
                    ? '上传完成，正在逐行校验，请稍候…'
                    : '上传完成，正在写入数据，请稍候…'}
              </span>
              <Button size="small" onClick={() => abortRef.current?.()}>
                取消
              </Button>
            </Space>
          </div>
        ) : null}

        {err ? <ErrorAlert err={err} style={{ marginTop: 12 }} /> : null}

        {(phase === 'invalid' || phase === 'checked') && check ? (
          <MappingPanel
            check={check}
            mapping={mapping}
            onChange={setMapping}
            onRecheck={() => file && void send(file, true)}
            busy={busy}
          />
        ) : null}

        {phase === 'invalid' && check ? (
          <div style={{ marginTop: 16 }}>
            <Alert
              type="error"
              showIcon
              title={`发现 ${thousands(check.errors.length)} 处错误，未导入任何数据`}
              description={
                (check.unknownValues?.length ?? 0) > 0
                  ? `共 ${thousands(check.rows)} 行。不在代码表中的填写可在上方对照一次后重新校验；其他错误请按下表在 Excel 中改正后，重新选择文件上传。`
                  : `共 ${thousands(check.rows)} 行。请按下表在 Excel 中改正后，重新选择文件上传。`
              }
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
            {check.validRows ? (
              <div className="skip-invalid" style={{ marginTop: 12 }}>
                <Space wrap>
                  <Button
                    type="primary"
                    icon={<CheckCircleOutlined />}
                    disabled={busy}
                    onClick={() => file && void send(file, false, mapping, true)}
                    data-testid="import-skip-invalid"
                  >
                    只导入无误的 {thousands(check.validRows)} 行
                  </Button>
                  <span className="muted">
                    有误的 {thousands(new Set(check.errors.map((e) => e.row)).size)}{' '}
                    行不导入，导入后可下载这些行（含错误说明），改正后再导入。
                  </span>
                </Space>
              </div>
            ) : null}
            <div data-testid="import-errors">
              <Table<RowError>
                style={{ marginTop: 12 }}
                size="small"
                rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
                dataSource={check.errors}
                pagination={{
                  pageSize: 50,
                  showSizeChanger: false,
                  hideOnSinglePage: true,
                  showTotal: (t) => `共 ${t} 处`,
                }}
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
            <Alert
              type="success"
              showIcon
              title={`校验通过：共 ${thousands(check.rows)} 行，没有发现错误`}
              data-testid="import-check"
            />
            <ImportWarnings warnings={check.warnings} />
            <ImportChanges changes={check.changes} updated={check.updated} />
            <div className="stat-grid" style={{ marginTop: 12, maxWidth: 520 }}>
              {[
                ['新增', check.created],
                ['更新', check.updated],
                ['无变化', check.unchanged],
              ].map(([label, n]) => (
                <div className="stat-cell" key={String(label)}>
                  <div className="stat-label">{label}</div>
                  <div className="stat-value">{thousands(Number(n))}</div>
                </div>
              ))}
            </div>
            <p className="muted" style={{ marginTop: 8 }}>
              新增 {check.created} 人，更新 {check.updated} 人，无变化 {check.unchanged} 人。确认后才会写入数据。
            </p>
            {mappingCount(mapping) ? (
              <p className="muted" data-testid="import-mapping-summary">
                本次对照（导入后本县记住，以后自动识别）：{mappingText(mapping)}
                <Button
                  type="link"
                  size="small"
                  disabled={busy}
                  onClick={() => {
                    if (!file) return;
                    setMapping(NO_MAPPING);
                    void send(file, true, NO_MAPPING);
                  }}
                >
                  清除对照并重新校验
                </Button>
              </p>
            ) : null}
            <Space wrap>
              <Button
                type="primary"
                icon={<CheckCircleOutlined />}
                loading={phase === 'importing'}
                onClick={() => file && void send(file, false)}
                data-testid="import-confirm"
              >
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
              subTitle={`共 ${thousands(result.rows)} 行：新增 ${result.created} 人，更新 ${result.updated} 人，无变化 ${result.unchanged} 人。${result.skipped?.length ? `有误的 ${thousands(new Set(result.skipped.map((e) => e.row)).size)} 行未导入。` : ''}`}
              extra={[
                ...(result.skipped?.length
                  ? [
                      <Button
                        key="rejected"
                        icon={<DownloadOutlined />}
                        loading={rejectedBusy}
                        onClick={() => void downloadRejected()}
                        data-testid="import-rejected"
                      >
                        下载未导入的行（含错误说明）
                      </Button>,
                    ]
                  : []),
                <Button type="primary" key="list" onClick={() => navigate('/members')}>
                  查看党员名册
                </Button>,
                <Button
                  key="again"
                  onClick={() => {
                    setFile(null);
                    setCheck(null);
                    setResult(null);
                    setMapping(NO_MAPPING);
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
