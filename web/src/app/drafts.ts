/**
 * Form drafts in localStorage, so that nothing typed is lost on a weak connection or an expired
 * session. Keyed by user, cleared after a successful save. A draft may hold an ID number or a phone
 * number, so on a shared office computer it must not linger: kept for one day, and every draft goes
 * when the user logs out.
 */
const PREFIX = 'dangjian.draft.';
const MAX_AGE = 86_400_000;

export interface Draft<T> {
  savedAt: number;
  values: T;
}

export function loadDraft<T>(key: string): Draft<T> | null {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    if (!raw) return null;
    const d = JSON.parse(raw) as Draft<T>;
    if (!d || typeof d.savedAt !== 'number' || Date.now() - d.savedAt > MAX_AGE) {
      localStorage.removeItem(PREFIX + key);
      return null;
    }
    return d;
  } catch {
    return null;
  }
}

export function saveDraft<T>(key: string, values: T): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify({ savedAt: Date.now(), values }));
  } catch {
    // Storage full or disabled (private mode): drafts are a convenience, not a requirement.
  }
}

export function clearDraft(key: string): void {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    /* ignore */
  }
}

/** Removes expired drafts (run once at start). */
export function sweepDrafts(): void {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (k?.startsWith(PREFIX)) loadDraft(k.slice(PREFIX.length));
    }
  } catch {
    /* ignore */
  }
}

/** Removes every draft on this browser (at logout). */
export function clearAllDrafts(): void {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (k?.startsWith(PREFIX)) localStorage.removeItem(k);
    }
  } catch {
    /* ignore */
  }
}
