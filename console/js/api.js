// Every call to the API goes through here: the access token is added, an expired one is
// refreshed once, and problem+json answers become ApiError with their fields.
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.status = status;
    this.problem = problem;
  }

  get type() {
    const type = this.problem.type || '';
    return type.includes('/') ? type.slice(type.lastIndexOf('/') + 1) : type;
  }

  /** Field-level problems: [{pointer, message}] when the service listed them. */
  get errors() {
    const errors = this.problem.errors;
    return Array.isArray(errors) ? errors : [];
  }
}

/** A message for a person: the problem's detail, or what the failure means. */
export function describe(error) {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      const wait = error.problem.retryAfter;
      return (error.problem.detail || 'Too many requests') + (wait ? ` (try again in ${wait} s)` : '');
    }
    return error.message;
  }
  if (error instanceof TypeError) return 'Cairn cannot be reached; check the connection and try again.';
  return error && error.message ? error.message : String(error);
}

async function send(method, path, body, token, extraHeaders) {
  const headers = { Accept: 'application/json, application/problem+json', ...extraHeaders };
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return fetch(path, { method, headers, body: payload, cache: 'no-store', credentials: 'omit' });
}

async function read(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) return JSON.parse(text);
  return text;
}

const RETRIED = new Set([502, 503, 504]);
const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Calls the API. `options.auth` (default true) sends the session's token. A 401 is answered by
 * refreshing the session once (or using the token another call refreshed meanwhile) and trying
 * again; a GET that finds no gateway or replica for a moment (502, 503, 504, no answer) is tried
 * twice more, after half a second and after two. Throws ApiError for any answer that is not 2xx.
 */
export async function api(method, path, body, options = {}) {
  const auth = options.auth !== false;
  const attempt = async () => {
    for (let tries = 0; ; tries++) {
      try {
        const token = auth ? session.accessToken() : null;
        const response = await send(method, path, body, token, options.headers);
        if (method === 'GET' && RETRIED.has(response.status) && tries < 2) {
          await pause(tries === 0 ? 500 : 2000);
          continue;
        }
        return { response, token };
      } catch (error) {
        if (method !== 'GET' || tries >= 2) throw error;
        await pause(tries === 0 ? 500 : 2000);
      }
    }
  };
  let { response, token } = await attempt();
  if (response.status === 401 && auth && session.signedIn()) {
    const outcome = session.accessToken() !== token ? 'refreshed' : await session.refresh();
    if (outcome === 'refreshed') {
      ({ response } = await attempt());
      // a fresh token refused: the session was ended on the server (revoked, password changed)
      if (response.status === 401) session.expired();
    }
  }
  const content = await read(response);
  if (!response.ok) {
    const problem = content && typeof content === 'object' ? content : { status: response.status, detail: content || response.statusText };
    const retryAfter = response.headers.get('Retry-After');
    if (retryAfter && !problem.retryAfter) problem.retryAfter = retryAfter;
    throw new ApiError(response.status, problem);
  }
  return content;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body === undefined ? {} : body, options);
export const put = (path, body, options) => api('PUT', path, body, options);

/** The signed-in user's wallets (every page of them: at most 200 per user here). */
export async function myWallets() {
  return (await get('/api/wallets?size=200')).items || [];
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Path segment, encoded. */
export const seg = value => encodeURIComponent(String(value));
