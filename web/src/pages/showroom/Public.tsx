/**
 * 第一书记推荐展厅, the public page (issue 20): no login, outside the signed-in app, plain React and CSS
 * (no antd: a phone on a slow network loads this chunk and its stylesheet only). `/showroom` lists the
 * published products with search by kind, township and keyword (kept in the address, so a search is a
 * link to share); `/showroom/:id` shows one with its pictures, its office line and the inquiry form.
 * Nothing personal is shown: the API's public shapes carry none (a private phone only with its owner's consent).
 */
import { useEffect, useId, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  PRODUCT_CONTACT_KIND_LABELS,
  PRODUCT_KIND_LABELS,
  PRODUCT_KINDS,
  type ProductKind,
} from '../../../../contract/labels.ts';
import { ApiError, api } from '../../app/api.ts';
import { useDocumentTitle } from '../../app/title.ts';
import type { InquiryReceived, Page, PublicCard, PublicProduct, PublicTownships } from '../../app/types.ts';
import './public.css';

const PAGE_SIZE = 12;

/** A read of the public API: data, error, loading; again when `key` changes. */
function usePublic<T>(path: string, query: Record<string, string | number | undefined>, key: string) {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` says when the query changed
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    api
      .get<T>(path, query, ctl.signal)
      .then((data) => setState({ data, loading: false }))
      .catch((e: unknown) => {
        if ((e as Error).name === 'AbortError') return;
        setState({ error: e instanceof ApiError ? e.message : '加载失败，请稍后重试', loading: false });
      });
    return () => ctl.abort();
  }, [key]);
  return state;
}

function Header({ county }: { county?: string }) {
  return (
    <header className="sr-header">
      <Link to="/showroom" className="sr-brand">
        <span className="sr-mark" aria-hidden="true">
          ★
        </span>
        <span>
          <strong>第一书记推荐展厅</strong>
          <small>{county ? `${county} · ` : ''}乡村好物与合作项目</small>
        </span>
      </Link>
    </header>
  );
}

function Cover({ id, alt }: { id: string | null; alt: string }) {
  return id ? (
    <img className="sr-cover" src={`/api/showroom/pictures/${id}/thumbnail`} alt={alt} loading="lazy" />
  ) : (
    <div className="sr-cover sr-cover-empty" aria-hidden="true">
      暂无图片
    </div>
  );
}

function ListView() {
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') ?? '') as ProductKind | '';
  const township = params.get('township') ?? '';
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const towns = usePublic<PublicTownships>('/api/showroom/townships', {}, 'towns');
  const query = {
    kind: kind || undefined,
    townshipId: township || undefined,
    q: q || undefined,
    page,
    pageSize: PAGE_SIZE,
  };
  const list = usePublic<Page<PublicCard>>('/api/showroom/products', query, JSON.stringify(query));
  useDocumentTitle('第一书记推荐展厅');
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'page') next.delete('page');
    setParams(next);
  };
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <div className="sr-page">
      <Header county={towns.data?.county} />
      <main className="sr-main">
        <form
          className="sr-search"
          onSubmit={(e) => {
            e.preventDefault();
            set('q', draft.trim());
          }}
        >
          <input
            type="search"
            value={draft}
            maxLength={40}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="搜索产品、村名，如：蜜瓜"
            aria-label="关键词"
            data-testid="sr-q"
          />
          <button type="submit" data-testid="sr-search">
            搜索
          </button>
        </form>
        <fieldset className="sr-chips" aria-label="类别">
          <button type="button" className={kind ? '' : 'on'} onClick={() => set('kind', '')}>
            全部
          </button>
          {PRODUCT_KINDS.map((k) => (
            <button
              key={k}
              type="button"
              className={kind === k ? 'on' : ''}
              onClick={() => set('kind', k)}
              data-testid={`sr-kind-${k}`}
            >
              {PRODUCT_KIND_LABELS[k]}
            </button>
          ))}
        </fieldset>
        {towns.data?.items.length ? (
          <select
            className="sr-select"
            value={township}
            onChange={(e) => set('township', e.target.value)}
            aria-label="乡镇"
            data-testid="sr-township"
          >
            <option value="">全部乡镇</option>
            {towns.data.items.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}（{t.count}）
              </option>
            ))}
          </select>
        ) : null}
        {list.error ? <p className="sr-error">{list.error}</p> : null}
        <p className="sr-count" aria-live="polite">
          {list.loading && !list.data ? '正在加载…' : `共 ${total} 个产品和项目`}
        </p>
        <ul className="sr-grid" data-testid="sr-list">
          {list.data?.items.map((p) => (
            <li key={p.id}>
              <Link to={`/showroom/${p.id}`} className="sr-card" data-testid="sr-card">
                <Cover id={p.coverId} alt={p.name} />
                <span className="sr-card-body">
                  <span className="sr-kind">{PRODUCT_KIND_LABELS[p.kind]}</span>
                  <strong className="sr-name">{p.name}</strong>
                  <span className="sr-place">
                    {p.townshipName ? `${p.townshipName} · ` : ''}
                    {p.villageName}
                  </span>
                  {p.price ? <span className="sr-price">{p.price}</span> : null}
                </span>
              </Link>
            </li>
          ))}
        </ul>
        {list.data && !list.data.items.length && !list.loading ? (
          <p className="sr-empty">没有找到符合条件的产品，换个关键词或类别试试。</p>
        ) : null}
        {pages > 1 ? (
          <nav className="sr-pager" aria-label="翻页">
            <button type="button" disabled={page <= 1} onClick={() => set('page', String(page - 1))}>
              上一页
            </button>
            <span>
              {page} / {pages}
            </span>
            <button type="button" disabled={page >= pages} onClick={() => set('page', String(page + 1))}>
              下一页
            </button>
          </nav>
        ) : null}
      </main>
      <footer className="sr-foot">展厅中的产品由各村提交、县委组织部审核后发布。</footer>
    </div>
  );
}

type Field = 'name' | 'contact' | 'message';
const FIELD_LABELS: Record<Field, string> = { name: '称呼', contact: '联系方式', message: '咨询内容' };

function InquiryForm({ productId }: { productId: string }) {
  const uid = useId();
  const [v, setV] = useState<Record<Field, string>>({ name: '', contact: '', message: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    const local: Partial<Record<Field, string>> = {};
    if (!v.name.trim()) local.name = '请填写您的称呼';
    if (!v.contact.trim()) local.contact = '请填写联系方式（手机、电话或微信号）';
    if (!v.message.trim()) local.message = '请填写咨询内容';
    setErrors(local);
    setError('');
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const res = await api.post<InquiryReceived>('/api/showroom/inquiries', {
        productId,
        name: v.name.trim(),
        contact: v.contact.trim(),
        message: v.message.trim(),
      });
      setDone(res.message);
    } catch (err) {
      const byField: Partial<Record<Field, string>> = {};
      for (const f of err instanceof ApiError ? err.fields : [])
        if (f.field in FIELD_LABELS) byField[f.field as Field] = f.message;
      setErrors(byField);
      setError(err instanceof ApiError ? err.message : '提交失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };
  if (done)
    return (
      <div className="sr-done" role="status" data-testid="sr-inquiry-done">
        <strong>提交成功</strong>
        <p>{done}</p>
      </div>
    );
  const field = (f: Field, input: React.ReactNode) => (
    <div className={`sr-field${errors[f] ? ' has-error' : ''}`}>
      <label htmlFor={`${uid}-${f}`}>{FIELD_LABELS[f]}</label>
      {input}
      {errors[f] ? <span className="sr-field-error">{errors[f]}</span> : null}
    </div>
  );
  return (
    <form className="sr-form" onSubmit={send} noValidate data-testid="sr-inquiry">
      <h2>我要咨询</h2>
      <p className="sr-hint">留下您的联系方式，村里会尽快联系您。您的信息只有该村能看到。</p>
      {field(
        'name',
        <input
          id={`${uid}-name`}
          maxLength={40}
          value={v.name}
          onChange={(e) => setV({ ...v, name: e.target.value })}
          placeholder="如：王先生、某某超市"
          data-testid="sr-inquiry-name"
        />,
      )}
      {field(
        'contact',
        <input
          id={`${uid}-contact`}
          maxLength={60}
          value={v.contact}
          inputMode="tel"
          onChange={(e) => setV({ ...v, contact: e.target.value })}
          placeholder="手机、电话或微信号"
          data-testid="sr-inquiry-contact"
        />,
      )}
      {field(
        'message',
        <textarea
          id={`${uid}-message`}
          maxLength={1000}
          rows={4}
          value={v.message}
          onChange={(e) => setV({ ...v, message: e.target.value })}
          placeholder="想采购的数量、时间，或想合作的方式"
          data-testid="sr-inquiry-message"
        />,
      )}
      {error ? (
        <p className="sr-error" role="alert" data-testid="sr-inquiry-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="sr-primary" disabled={busy} data-testid="sr-inquiry-send">
        {busy ? '正在提交…' : '提交咨询'}
      </button>
    </form>
  );
}

function DetailView({ id }: { id: string }) {
  const p = usePublic<PublicProduct>(`/api/showroom/products/${id}`, {}, id);
  const towns = usePublic<PublicTownships>('/api/showroom/townships', {}, 'towns');
  useDocumentTitle(p.data ? `${p.data.name} - 第一书记推荐展厅` : '第一书记推荐展厅');
  const d = p.data;
  return (
    <div className="sr-page">
      <Header county={towns.data?.county} />
      <main className="sr-main">
        <Link to="/showroom" className="sr-back">
          ‹ 返回展厅
        </Link>
        {p.error ? <p className="sr-error">{p.error}</p> : null}
        {!d && p.loading ? <p className="sr-count">正在加载…</p> : null}
        {d ? (
          <article className="sr-detail" data-testid="sr-detail">
            <div className="sr-pictures">
              {d.pictures.length ? (
                d.pictures.map((x, i) => (
                  <a key={x.id} href={`/api/showroom/pictures/${x.id}`} target="_blank" rel="noreferrer">
                    <img
                      src={`/api/showroom/pictures/${x.id}${i === 0 ? '' : '/thumbnail'}`}
                      alt={`${d.name} 图片 ${i + 1}`}
                      loading={i === 0 ? 'eager' : 'lazy'}
                    />
                  </a>
                ))
              ) : (
                <div className="sr-cover sr-cover-empty">暂无图片</div>
              )}
            </div>
            <span className="sr-kind">{PRODUCT_KIND_LABELS[d.kind]}</span>
            <h1>{d.name}</h1>
            <p className="sr-place">
              {d.townshipName ? `${d.townshipName} · ` : ''}
              {d.villageName}
            </p>
            <dl className="sr-facts">
              {d.price ? (
                <>
                  <dt>价格</dt>
                  <dd className="sr-price">{d.price}</dd>
                </>
              ) : null}
              {d.season ? (
                <>
                  <dt>上市季节</dt>
                  <dd>{d.season}</dd>
                </>
              ) : null}
              {d.quantity ? (
                <>
                  <dt>供应数量</dt>
                  <dd>{d.quantity}</dd>
                </>
              ) : null}
              <dt>{PRODUCT_CONTACT_KIND_LABELS[d.contactKind]}</dt>
              <dd>
                <a href={`tel:${d.officePhone.replace(/[^\d+]/g, '')}`} data-testid="sr-phone">
                  {d.officePhone}
                </a>
              </dd>
              {d.privatePhone ? (
                <>
                  <dt>联系手机</dt>
                  <dd>
                    <a href={`tel:${d.privatePhone}`}>{d.privatePhone}</a>
                  </dd>
                </>
              ) : null}
              {d.shopUrl ? (
                <>
                  <dt>网店</dt>
                  <dd>
                    <a href={d.shopUrl} target="_blank" rel="noopener noreferrer nofollow">
                      去网店购买
                    </a>
                  </dd>
                </>
              ) : null}
            </dl>
            {d.description ? <p className="sr-desc">{d.description}</p> : null}
            <InquiryForm productId={d.id} />
          </article>
        ) : null}
      </main>
      <footer className="sr-foot">展厅中的产品由各村提交、县委组织部审核后发布。</footer>
    </div>
  );
}

export default function PublicShowroom() {
  const { id } = useParams();
  return id ? <DetailView key={id} id={id} /> : <ListView />;
}
