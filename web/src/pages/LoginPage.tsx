/**
 * The login page: plain React and CSS (styles.css, "Login"), no antd. It is the first screen of
 * everyone who is signed out and sits in the entry chunk; without antd that chunk is a third of its
 * size, which is what a phone on a slow mobile network waits for. It looks like antd's large form
 * (same sizes, colours and states); the signed-in app brings antd in its own chunks.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../app/api.ts';
import { hadSession, homePath, markSignedIn, ME_KEY, rememberLoginPassword } from '../app/auth.ts';
import { fieldIssues, RequestId } from '../app/issues.tsx';
import { useDocumentTitle } from '../app/title.ts';
import type { LoginCounties, Me } from '../app/types.ts';
import { Logo } from '../components/Logo.tsx';

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return null;
  return next;
}

/** Where a freshly signed-in user goes: forced password change first, then forced two-step setup. */
function landing(user: Me, next: string | null): string {
  if (user.mustChangePassword) return '/password';
  if (user.mustSetupTotp) return '/security';
  return next ?? homePath(user);
}

type Field = 'username' | 'password' | 'totpCode';
type Values = Record<Field, string>;
type Errors = Partial<Record<Field, string>>;

const LABELS: Record<Field, string> = { username: '用户名', password: '密码', totpCode: '动态验证码' };

/** The checks antd's form rules did: required fields, six digits for the code. */
function validate(v: Values, needCode: boolean): Errors {
  const e: Errors = {};
  if (!v.username.trim()) e.username = '请输入用户名';
  if (!v.password) e.password = '请输入密码';
  if (needCode) {
    if (!v.totpCode) e.totpCode = '请输入 6 位动态验证码';
    else if (!/^\d{6}$/.test(v.totpCode)) e.totpCode = '动态验证码为 6 位数字';
  }
  return e;
}

/** A 16px line icon (inline SVG: @ant-design/icons would bring antd's context along). */
function Icon({ children }: { children: React.ReactNode }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {children}
    </svg>
  );
}

const ICONS = {
  username: (
    <Icon>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8" />
    </Icon>
  ),
  password: (
    <Icon>
      <rect x="4.5" y="10.5" width="15" height="10.5" rx="1.5" />
      <path d="M8 10.5V7a4 4 0 0 1 8 0v3.5M12 14.5v3" />
    </Icon>
  ),
  totpCode: (
    <Icon>
      <path d="M12 2.8 4.5 5.6v6.1c0 4.6 3.2 8.3 7.5 9.5 4.3-1.2 7.5-4.9 7.5-9.5V5.6z" />
      <path d="m8.6 12 2.4 2.4 4.4-4.6" />
    </Icon>
  ),
};

const EYE = (
  <Icon>
    <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
    <circle cx="12" cy="12" r="3" />
  </Icon>
);
const EYE_OFF = (
  <Icon>
    <path d="M9.9 5.2A10 10 0 0 1 12 5c6.4 0 10 7 10 7a17 17 0 0 1-2.6 3.5M6.6 6.6A17 17 0 0 0 2 12s3.6 7 10 7a10 10 0 0 0 5.4-1.6M9.9 9.9a3 3 0 0 0 4.2 4.2M3 3l18 18" />
  </Icon>
);

const ALERT_ICONS = {
  error: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <circle cx="8" cy="8" r="8" fill="currentColor" />
      <path d="m5.5 5.5 5 5m0-5-5 5" stroke="#fff" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  ),
  warning: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <circle cx="8" cy="8" r="8" fill="currentColor" />
      <path d="M8 4v5" stroke="#fff" strokeWidth="1.6" strokeLinecap="round" />
      <circle cx="8" cy="11.6" r="1" fill="#fff" />
    </svg>
  ),
  info: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <circle cx="8" cy="8" r="8" fill="currentColor" />
      <path d="M8 7v5" stroke="#fff" strokeWidth="1.6" strokeLinecap="round" />
      <circle cx="8" cy="4.4" r="1" fill="#fff" />
    </svg>
  ),
};

function Notice({
  type,
  title,
  description,
  testId,
}: {
  type: 'error' | 'warning' | 'info';
  title: React.ReactNode;
  description?: React.ReactNode;
  testId: string;
}) {
  return (
    <div
      className={`signin-alert signin-alert-${type}`}
      role={type === 'info' ? 'status' : 'alert'}
      data-testid={testId}
    >
      <span className="signin-alert-icon">{ALERT_ICONS[type]}</span>
      <div className="signin-alert-content">
        <div>{title}</div>
        {description ? <div className="signin-alert-desc">{description}</div> : null}
      </div>
    </div>
  );
}

const COUNTY_KEY = 'dangjian.county';

function rememberedCounty(): string {
  try {
    return localStorage.getItem(COUNTY_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberCounty(code: string): void {
  try {
    localStorage.setItem(COUNTY_KEY, code);
  } catch {
    // private mode: the choice is asked again next time
  }
}

export default function LoginPage() {
  useDocumentTitle('登录');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  // No /api/auth/me request here (it would answer 401 for everyone who is signed out); use what is known.
  const known = qc.getQueryData<Me | null>(ME_KEY);
  const [values, setValues] = useState<Values>({ username: '', password: '', totpCode: '' });
  const [fieldErrors, setFieldErrors] = useState<Errors>({});
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  // The password was right but the account has two-step verification: ask for the code too.
  const [needCode, setNeedCode] = useState(false);
  const next = safeNext(params.get('next'));
  const [expired] = useState(() => !!next && hadSession());
  const id = useId();
  const refs = {
    username: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    totpCode: useRef<HTMLInputElement>(null),
  };
  // An installation serving several counties: each county's login names are its own, so the user says which (remembered).
  const [counties, setCounties] = useState<LoginCounties>([]);
  const [county, setCounty] = useState<string>(() => rememberedCounty());

  useEffect(() => {
    refs.username.current?.focus();
  }, [refs.username]);

  useEffect(() => {
    let live = true;
    api
      .get<LoginCounties>('/api/auth/counties')
      .then((list) => {
        if (!live) return;
        setCounties(list);
        setCounty((c) => (list.some((x) => x.code === c) ? c : (list[0]?.code ?? '')));
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);

  if (known && !busy) return <Navigate to={landing(known, next)} replace />;

  const change = (field: Field, value: string) => {
    const v = field === 'totpCode' ? value.replace(/\D/g, '').slice(0, 6) : value;
    setValues((old) => ({ ...old, [field]: v }));
    // Typing again clears the field's message, as antd's form did.
    setFieldErrors((old) => (old[field] ? { ...old, [field]: undefined } : old));
    // Another account: it may not use two-step verification.
    if (field === 'username') setNeedCode(false);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const invalid = validate(values, needCode);
    setFieldErrors(invalid);
    const first = (['username', 'password', 'totpCode'] as const).find((f) => invalid[f]);
    if (first) {
      refs[first].current?.focus();
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      const chosen = counties.length > 1 && county ? county : undefined;
      const user = await api.post<Me>('/api/auth/login', {
        username: values.username.trim(),
        password: values.password,
        totpCode: needCode ? values.totpCode : undefined,
        county: chosen,
      });
      if (chosen) rememberCounty(chosen);
      qc.clear();
      qc.setQueryData(ME_KEY, user);
      markSignedIn(user.id);
      if (user.mustChangePassword) rememberLoginPassword(values.password);
      navigate(landing(user, next), { replace: true });
    } catch (caught) {
      const ae = caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', '登录失败，请稍后再试');
      if (ae.code === 'TOTP_REQUIRED') {
        // Not a mistake: the code field appears (and takes the focus) with its hint.
        setNeedCode(true);
        return;
      }
      setErr(ae);
      if (ae.code === 'BAD_CREDENTIALS') setValues((old) => ({ ...old, password: '' }));
      if (ae.code === 'BAD_TOTP') {
        setValues((old) => ({ ...old, totpCode: '' }));
        refs.totpCode.current?.focus();
      }
      const fields = new Set<string>(needCode ? ['username', 'password', 'totpCode'] : ['username', 'password']);
      const { byField } = fieldIssues(ae, fields, LABELS);
      if (byField.size) {
        setFieldErrors(Object.fromEntries([...byField].map(([f, msgs]) => [f, msgs.join('；')])));
        refs[byField.keys().next().value as Field].current?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  const alertType = err?.code === 'LOCKED' || err?.code === 'RATE_LIMITED' ? 'warning' : 'error';
  const alertText =
    err?.code === 'LOCKED'
      ? `${err.message}。如需立即解锁，请联系本级安全管理员或县委组织部。`
      : err?.code === 'BAD_CREDENTIALS'
        ? '用户名或密码错误，请重新输入。连续多次输错后账号将被临时锁定。'
        : err?.message;

  const input = (
    field: Field,
    attrs: React.InputHTMLAttributes<HTMLInputElement> & { 'data-testid': string },
    extra?: React.ReactNode,
    suffix?: React.ReactNode,
  ) => {
    const inputId = `${id}-${field}`;
    const error = fieldErrors[field];
    const helpId = error || extra ? `${inputId}-help` : undefined;
    return (
      <div className={`signin-field${error ? ' signin-field-error' : ''}${helpId ? ' signin-field-help' : ''}`}>
        <label className="signin-label" htmlFor={inputId}>
          {LABELS[field]}
        </label>
        <div className="signin-input">
          <span className="signin-prefix">{ICONS[field]}</span>
          <input
            ref={refs[field]}
            id={inputId}
            name={field}
            value={values[field]}
            onChange={(ev) => change(field, ev.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={helpId}
            aria-required="true"
            {...attrs}
          />
          {suffix}
        </div>
        {helpId ? (
          <div id={helpId} className="signin-help">
            {error ? (
              <div className="signin-help-error" role="alert">
                {error}
              </div>
            ) : null}
            {extra ? <div className="signin-help-extra">{extra}</div> : null}
          </div>
        ) : null}
      </div>
    );
  };

  return (
    <div className="login-page">
      <div className="login-brand">
        <Logo />
        <div className="login-sub">基层党组织和党员信息管理</div>
      </div>
      <section className="login-card signin-card" aria-labelledby={`${id}-title`}>
        <h1 className="signin-head" id={`${id}-title`}>
          账号登录
        </h1>
        <div className="signin-body">
          {err ? (
            <Notice
              type={alertType}
              title={alertText}
              description={err.status >= 500 ? <RequestId err={err} /> : undefined}
              testId="login-error"
            />
          ) : null}
          {/* Only someone who was signed in on this browser (and did not sign out) hears that the session expired; a first visit just sees the form. */}
          {expired && !err ? (
            <Notice type="info" title="登录已过期，请重新登录后继续。" testId="login-expired" />
          ) : null}
          <form onSubmit={(e) => void submit(e)} noValidate autoComplete="on" aria-busy={busy}>
            {counties.length > 1 ? (
              <div className="signin-field">
                <label className="signin-label" htmlFor={`${id}-county`}>
                  所在县（市、区）
                </label>
                <div className="signin-input">
                  <select
                    id={`${id}-county`}
                    className="signin-select"
                    value={county}
                    onChange={(ev) => setCounty(ev.target.value)}
                    data-testid="login-county"
                  >
                    {counties.map((c) => (
                      <option key={c.code} value={c.code}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            ) : null}
            {input('username', {
              type: 'text',
              placeholder: '请输入用户名',
              autoComplete: 'username',
              autoCapitalize: 'off',
              autoCorrect: 'off',
              spellCheck: false,
              'data-testid': 'login-username',
            })}
            {input(
              'password',
              {
                type: showPassword ? 'text' : 'password',
                placeholder: '请输入密码',
                autoComplete: 'current-password',
                'data-testid': 'login-password',
              },
              undefined,
              <button
                type="button"
                className="signin-eye"
                onClick={() => setShowPassword((s) => !s)}
                aria-label={showPassword ? '隐藏密码' : '显示密码'}
                aria-pressed={showPassword}
                tabIndex={-1}
              >
                {showPassword ? EYE : EYE_OFF}
              </button>,
            )}
            {needCode
              ? input(
                  'totpCode',
                  {
                    type: 'text',
                    placeholder: '6 位数字',
                    inputMode: 'numeric',
                    autoComplete: 'one-time-code',
                    maxLength: 6,
                    autoFocus: true,
                    'data-testid': 'login-totp',
                  },
                  '打开手机上的验证器应用（如微信小程序、Google Authenticator、Microsoft Authenticator），输入党建平台显示的 6 位数字',
                )
              : null}
            <button type="submit" className="signin-submit" disabled={busy} data-testid="login-submit">
              {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
              <span>登 录</span>
            </button>
          </form>
          {/* No script: the answer opens in place (the login page's JavaScript is measured on a phone). */}
          <details className="signin-forgot" data-testid="login-forgot">
            <summary>忘记密码？</summary>
            <p>
              请联系为您开通账号的管理员（一般是上级党组织的党建平台管理员，或县委组织部）：管理员在“账号管理”中找到您的账号，点“重置密码”，把新的初始密码告诉您；用它登录后按提示设置新密码。
            </p>
          </details>
        </div>
      </section>
      <div className="login-foot">本系统含党员个人信息，仅限授权人员使用，所有操作均记录审计日志。</div>
    </div>
  );
}
