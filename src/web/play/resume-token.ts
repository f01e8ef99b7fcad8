/**
 * The version-2 resume token as the browser keeps it: in localStorage (so a
 * reload or a new tab logs in again without a password), with the user name
 * and when it expires. The password is never kept anywhere.
 */
export const RESUME_KEY = 'checkers.resume';
/** Where the page kept name and password before version 2 (sessionStorage); removed on load. */
export const LEGACY_CREDENTIALS_KEY = 'checkers.credentials';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface KeptLogin {
  readonly username: string;
  readonly token: Uint8Array;
  /** When the server stops accepting it (ms since the epoch). */
  readonly expiresAt: number;
}

export function keepLogin(store: KeyValueStore, login: KeptLogin): void {
  store.setItem(
    RESUME_KEY,
    JSON.stringify({ username: login.username, token: toHex(login.token), expiresAt: login.expiresAt }),
  );
}

/** The kept login, or undefined when there is none, it is unreadable or it has expired. */
export function keptLogin(store: KeyValueStore, now: number): KeptLogin | undefined {
  try {
    const value = JSON.parse(store.getItem(RESUME_KEY) ?? 'null') as unknown;
    if (!value || typeof value !== 'object') return undefined;
    const { username, token, expiresAt } = value as Record<string, unknown>;
    if (typeof username !== 'string' || typeof token !== 'string' || typeof expiresAt !== 'number') return undefined;
    if (!/^[0-9a-f]{32}$/.test(token) || expiresAt <= now) return undefined;
    return { username, token: fromHex(token), expiresAt };
  } catch {
    return undefined;
  }
}

export function forgetLogin(store: KeyValueStore): void {
  store.removeItem(RESUME_KEY);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
