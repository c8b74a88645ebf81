// The console's only way to the API: every call goes through the same security rules as any client's,
// with the bearer token the person pasted (kept in sessionStorage for this tab, never in a cookie, so a
// cross-site request carries nothing), or none in open mode.

const TOKEN_KEY = 'bpfmapd.token';
export const API = '/api/v1';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** A problem detail (RFC 9457) the API answered with, or a network failure (status 0). */
export class Problem extends Error {
  constructor(status, body) {
    super(body.detail || body.title || `HTTP ${status}`);
    this.status = status;
    this.title = body.title || `HTTP ${status}`;
    this.detail = body.detail || '';
    this.errno = body.errno || null;
    this.type = body.type || 'about:blank';
  }

  /** One line for a person: the title, the errno unless the title names it, and the detail. */
  describe() {
    const errno = this.errno && !this.title.includes(this.errno) ? ` (${this.errno})` : '';
    return `${this.title}${errno}: ${this.detail || this.message}`;
  }
}

/** The request headers every call sends: the token, and what a call asks for. */
export function headers(extra = {}) {
  const all = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) {
    all.Authorization = `Bearer ${t}`;
  }
  return all;
}

/** Calls the API; resolves to the JSON body (null for 204), rejects with a Problem. */
export async function call(method, path, body, signal) {
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (failure) {
    if (failure.name === 'AbortError') {
      throw failure;
    }
    throw new Problem(0, { title: 'Network error', detail: String(failure.message || failure) });
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { detail: text };
  }
  if (!response.ok) {
    throw new Problem(response.status, json);
  }
  return json;
}

export const get = (path, signal) => call('GET', path, undefined, signal);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);
