/** The signed-in user (GET /api/auth/me) and permission checks. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ApiError, api } from './api.ts';
import { clearAllDrafts } from './drafts.ts';
import type { Permission } from '../../../contract/modules/index.ts';
import type { Me } from './types.ts';

export const ME_KEY = ['me'] as const;

/** The account last signed in on this browser (its id only): offline, the shell lists its records waiting to be sent. */
const LAST_USER_KEY = 'dangjian.lastUser';

export function lastUserId(): string | null {
  try {
    return localStorage.getItem(LAST_USER_KEY);
  } catch {
    return null;
  }
}

function rememberUser(id: string): void {
  try {
    localStorage.setItem(LAST_USER_KEY, id);
  } catch {
    // storage disabled: offline the shell shows no waiting records
  }
}

export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me');
    if (me) rememberUser(me.id);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000, retry: 1 });
}

export type { Permission } from '../../../contract/modules/index.ts';
export { homePath } from './modules.ts';

/** Permission check for the signed-in user; false while unknown. */
export function useCan(): (p: Permission) => boolean {
  const { data } = useMe();
  return (p) => !!data?.permissions.includes(p);
}

const SIGNED_IN_KEY = 'dangjian.signedIn';

/** Remember on this browser that someone signed in (and who), so a later trip to the login page can say the session expired. */
export function markSignedIn(userId: string): void {
  rememberUser(userId);
  try {
    localStorage.setItem(SIGNED_IN_KEY, '1');
  } catch {
    // private mode: the login page then just asks to sign in
  }
}

/** Whether this browser had a session that was not ended by 退出 (so a redirect to login means it expired). */
export function hadSession(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_KEY) === '1';
  } catch {
    return false;
  }
}

function forgetSignedIn(): void {
  try {
    localStorage.removeItem(SIGNED_IN_KEY);
    localStorage.removeItem(LAST_USER_KEY);
  } catch {
    // nothing to forget
  }
}

/** Sign out: end the session, forget cached data and every form draft on this browser, go to the login page. */
export function useLogout(): () => Promise<void> {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    await api.post('/api/auth/logout').catch(() => undefined); // already signed out or offline: leave anyway
    qc.clear();
    clearAllDrafts();
    forgetSignedIn();
    forgetLoginPassword();
    navigate('/login', { replace: true });
  };
}

/**
 * The password typed at login, kept in memory only (never storage) for a few minutes, so the forced
 * change right after an administrator-issued one-time password does not ask for that 16-character
 * string again. The server still checks it as the old password.
 */
let loginPassword: { value: string; at: number } | null = null;
const LOGIN_PASSWORD_MS = 10 * 60_000;
export function rememberLoginPassword(value: string): void {
  loginPassword = { value, at: Date.now() };
}
export function takeLoginPassword(): string | null {
  if (!loginPassword || Date.now() - loginPassword.at > LOGIN_PASSWORD_MS) return null;
  return loginPassword.value;
}
export function forgetLoginPassword(): void {
  loginPassword = null;
}
