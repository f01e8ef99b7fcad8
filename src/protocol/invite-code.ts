import { TOKEN_BYTES } from './messages.js';

/** The web path of an invite link: `/invite/` and the code as 32 lowercase hex digits (docs/PROTOCOL.md 12.7). */
export const INVITE_PATH_PREFIX = '/invite/';

/** The code of InviteCreated as the 32 lowercase hex digits of its link. */
export function inviteCodeHex(code: Uint8Array): string {
  if (code.length !== TOKEN_BYTES) throw new RangeError(`an invite code is ${TOKEN_BYTES} bytes, not ${code.length}`);
  return Array.from(code, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The path of an invite link, for a web page: `/invite/0f1e…`. */
export function invitePath(code: Uint8Array): string {
  return `${INVITE_PATH_PREFIX}${inviteCodeHex(code)}`;
}

/**
 * Reads an invite from what a player pastes: a whole link
 * (`http://host:8864/invite/<32 hex>`), its path, or the bare 32 hex digits
 * (any case). Undefined when it is none of those.
 */
export function parseInviteCode(text: string): Uint8Array | undefined {
  const match = /^(?:(?:https?:\/\/[^/\s]+)?\/invite\/)?([0-9a-f]{32})\/?$/i.exec(text.trim());
  const digits = match?.[1];
  if (!digits) return undefined;
  const code = new Uint8Array(TOKEN_BYTES);
  for (let i = 0; i < TOKEN_BYTES; i++) code[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return code;
}
