// Cookie header parsing and Set-Cookie serialization for the console session
// (no cookie library: one cookie, a fixed set of attributes).

export const SESSION_COOKIE = 'eniplane_session';

/** `a=1; b=2` → Map; the first occurrence of a name wins (as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

export interface SessionCookieOptions {
  /** seconds; 0 clears the cookie */
  maxAgeSeconds: number;
  /** add Secure: only when the request came over HTTPS (browsers drop Secure cookies on plain http://host) */
  secure: boolean;
}

/**
 * HttpOnly (scripts never see the session id), SameSite=Strict (other sites'
 * pages never send it), Path=/ because the RPC endpoint "/" needs it too.
 */
export function sessionCookie(value: string, o: SessionCookieOptions): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${o.maxAgeSeconds}`];
  if (o.maxAgeSeconds === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}
