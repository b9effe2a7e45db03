/**
 * 随机抽查: draw the organizations to inspect below one organization, by township or by field, of a size;
 * the seed (given or made by the server) is shown so the same draw can be redone by anyone, and the list
 * can be copied into a notice or a message.
 */
import { CopyOutlined, ExperimentOutlined, ScheduleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Segmented } from 'antd';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { DRAW_STRATA, DRAW_STRATA_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { orgKeys } from '../../app/org-tree.ts';
import type { DrawResult, OrgDetail } from '../../app/types.ts';
import { OrgSelect } from '../../components/OrgSelect.tsx';

const InspectionPlanModal = lazy(() => import('./InspectionPlanModal.tsx'));

type Strata = (typeof DRAW_STRATA)[number];

interface DrawShown {
  drawn: DrawResult;
  under: string;
  strata: Strata;
}
const LAST_DRAW = 'dangjian.lastDraw';

interface Values {
  underOrgId?: string;
  strata: Strata;
  size: number;
  seed?: string;
}

/** Copies text: the Clipboard API where the page may use it (https), else a selected textarea (http on a LAN). */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export default function DrawPage() {
  useDocumentTitle('随机抽查');
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const [planning, setPlanning] = useState(false);
  const [planOpened, setPlanOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  // The last draw stays for this tab: back from recording one of its visits, the list is still here.
  const [result, setResultState] = useState<DrawShown | null>(() => {
    try {
      return JSON.parse(sessionStorage.getItem(LAST_DRAW) ?? 'null') as DrawShown | null;
    } catch {
      return null;
    }
  });
  const setResult = (r: DrawShown) => {
    setResultState(r);
    try {
      sessionStorage.setItem(LAST_DRAW, JSON.stringify(r));
    } catch {
      /* storage full or disabled: the draw is shown, not kept */
    }
  };
  const underId = Form.useWatch('underOrgId', form);
  const under = useQuery({
    queryKey: orgKeys.detail(underId ?? ''),
    queryFn: () => api.get<OrgDetail>(`/api/orgs/${underId}`),
    enabled: !!underId,
    staleTime: 60_000,
  });
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (me && !form.getFieldValue('underOrgId')) form.setFieldsValue({ underOrgId: me.orgId });
  }, [me, form]);

  const submit = async (v: Values) => {
    setBusy(true);
    setErr(null);
    try {
      const drawn = await api.post<DrawResult>('/api/inspections/draw', {
        underOrgId: v.underOrgId,
        strata: v.strata,
        size: v.size,
        seed: v.seed?.trim() || undefined,
      });
      setResult({
        drawn,
        under: under.data && under.data.id === v.underOrgId ? under.data.name : '',
        strata: v.strata,
      });
      setTimeout(() => resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
    } catch (e) {
      applyFieldErrors(form, e, { underOrgId: '抽查范围', strata: '分层方式', size: '抽取数量', seed: '随机种子' });
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!result) return;
    const { drawn, under, strata } = result;
    const text = [
      `随机抽查${under ? `（${under}，${DRAW_STRATA_LABELS[strata]}）` : `（${DRAW_STRATA_LABELS[strata]}）`}，随机种子 ${drawn.seed}：`,
      ...drawn.sampleNames.map((n, i) => `${i + 1}. ${n}`),
    ].join('\n');
    if (await copyText(text)) message.success(`已复制 ${drawn.sampleNames.length} 个组织的名单`);
    else message.error('无法复制，请长按名单手动选择复制');
  };

  const d = result?.drawn;
  const population = d ? d.strata.reduce((n, s) => n + s.population, 0) : 0;

  return (
    <div style={{ maxWidth: 880 }}>
      <div className="page-head">
        <h1>随机抽查</h1>
      </div>
      <Card size="small" className="mr-card">
        <div className="muted" style={{ marginBottom: 12 }}>
          从所选组织以下的党支部（含联合党支部、党总支）中分层随机抽取督查对象，各层按组织数比例分配。记录随机种子：用同一种子对同一范围再抽一次，结果相同，便于复核。
        </div>
        <ErrorAlert err={err} style={{ marginBottom: 12 }} />
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ strata: 'township', size: 10 }}
          onFinish={submit}
          requiredMark
          data-testid="draw-form"
        >
          <Form.Item name="underOrgId" label="抽查范围" rules={[{ required: true, message: '请选择抽查范围' }]}>
            <OrgSelect allowClear={false} aria-label="抽查范围" data-testid="draw-org" />
          </Form.Item>
          <div className="mr-row draw-row">
            <Form.Item name="strata" label="分层方式" className="mr-field">
              <Segmented<Strata>
                options={DRAW_STRATA.map((s) => ({ value: s, label: DRAW_STRATA_LABELS[s] }))}
                block={isMobile}
                aria-label="分层方式"
                data-testid="draw-strata"
              />
            </Form.Item>
            <Form.Item
              name="size"
              label="抽取数量（个）"
              className="mr-field"
              rules={[{ required: true, message: '请填写抽取数量' }]}
            >
              <InputNumber
                min={1}
                max={500}
                precision={0}
                style={{ width: '100%' }}
                inputMode="numeric"
                data-testid="draw-size"
              />
            </Form.Item>
          </div>
          <Form.Item
            name="seed"
            label="随机种子"
            extra="不填则由系统随机生成；复核以前的抽查时，填入当时的种子"
            rules={[{ max: 64, message: '随机种子不能超过 64 个字符' }]}
          >
            <Input maxLength={64} allowClear placeholder="选填" data-testid="draw-seed" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block={isMobile}
            icon={<ExperimentOutlined />}
            loading={busy}
            data-testid="draw-submit"
          >
            抽取
          </Button>
        </Form>
      </Card>

      {d && result ? (
        <div ref={resultRef} data-testid="draw-result">
          <Card size="small" className="mr-card draw-seed-card">
            <div className="draw-seed-label">随机种子</div>
            <div className="draw-seed mono" data-testid="draw-seed-value">
              {d.seed}
            </div>
            <div className="muted">用同一种子对同一范围再抽一次，结果相同。请把种子记入督查记录或通报。</div>
          </Card>

          <Card
            size="small"
            className="mr-card"
            title={`抽中的组织（${thousands(d.sampleNames.length)}）`}
            extra={
              <span className="draw-actions">
                <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid="draw-copy">
                  复制名单
                </Button>
                <Button
                  icon={<ScheduleOutlined />}
                  onClick={() => {
                    setPlanOpened(true);
                    setPlanning(true);
                  }}
                  data-testid="draw-plan"
                >
                  制定检查计划
                </Button>
              </span>
            }
          >
            <div className="muted" style={{ marginBottom: 8 }}>
              {result.under ? `${result.under}以下，` : ''}
              {DRAW_STRATA_LABELS[result.strata]}，共 {thousands(population)} 个组织中抽取{' '}
              {thousands(d.sampleNames.length)} 个，按抽中顺序排列。
            </div>
            <ol className="draw-sample" data-testid="draw-sample">
              {d.sampleNames.map((n, i) => (
                <li key={d.sample[i]}>
                  <span className="draw-sample-name">{n}</span>
                  <Link
                    to={`/inspections/new?orgId=${d.sample[i]}&drawId=${d.id}&kind=spot`}
                    className="draw-sample-record"
                    data-testid="draw-record"
                  >
                    登记检查
                  </Link>
                </li>
              ))}
            </ol>
          </Card>

          <Card size="small" className="mr-card" title="各层抽取情况">
            <div className="notice-table-wrap">
              <table className="notice-table draw-strata" data-testid="draw-strata-table">
                <thead>
                  <tr>
                    <th>{result.strata === 'township' ? '所属乡镇（街道）或县直单位' : '领域'}</th>
                    <th>组织数</th>
                    <th>抽取数</th>
                  </tr>
                </thead>
                <tbody>
                  {d.strata.map((s) => (
                    <tr key={s.key}>
                      <td className="notice-table-name">{s.label}</td>
                      <td>{thousands(s.population)}</td>
                      <td>{thousands(s.sample)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <td className="notice-table-name">合计</td>
                    <td>{thousands(population)}</td>
                    <td>{thousands(d.sample.length)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </Card>
        </div>
      ) : null}
      <Suspense fallback={null}>
        {planOpened && d ? (
          <InspectionPlanModal
            open={planning}
            draw={{ id: d.id, names: d.sample.map((id, k) => ({ id, name: d.sampleNames[k] })) }}
            onClose={() => setPlanning(false)}
            onDone={(p) => {
              setPlanning(false);
              navigate('/inspections/plans', { state: { highlight: p.id } });
            }}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
