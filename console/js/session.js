// The signed-in session. Both tokens live only in this module's memory: not in localStorage,
// sessionStorage or a cookie, so they end with the tab and no other page or later script
// can read them from storage. See docs/console.md for the refresh flow.

let tokens = null;        // {accessToken, refreshToken, expiresAt}
let user = null;          // GET /api/auth/me
let refreshing = null;    // the one refresh in flight: a refresh token is good for one use only
let timer = null;
const listeners = new Set();

function notify(reason) {
  for (const listener of listeners) listener(reason);
}

function schedule() {
  clearTimeout(timer);
  if (!tokens) return;
  // refresh when four fifths of the access token's life has passed
  const delay = Math.max(5000, (tokens.expiresAt - Date.now()) * 0.8);
  timer = setTimeout(() => { session.refresh(); }, delay);
}

function retrySoon() {
  clearTimeout(timer);
  timer = setTimeout(() => { session.refresh(); }, 10000);
}

function keep(answer) {
  tokens = {
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken,
    expiresAt: Date.now() + (answer.expiresIn || 900) * 1000,
  };
  schedule();
}

async function postJson(path, body, token) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
  const text = await response.text();
  const content = text ? JSON.parse(text) : null;
  return { response, content };
}

export const session = {
  signedIn: () => tokens !== null,
  accessToken: () => (tokens ? tokens.accessToken : null),
  user: () => user,
  hasRole: role => Boolean(user && Array.isArray(user.roles) && (user.roles.includes(role) || user.roles.includes('SystemAdmin'))),

  /** Called with 'signed-in', 'refreshed', 'signed-out' or 'expired'. */
  onChange(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  /** Signs in; throws the ApiError-shaped {status, problem} on failure. */
  async signIn(email, password) {
    const { response, content } = await postJson('/api/auth/login', { email, password });
    if (!response.ok) {
      const error = new Error((content && content.detail) || 'Sign-in failed');
      error.status = response.status;
      error.problem = content || {};
      error.problem.retryAfter = response.headers.get('Retry-After');
      throw error;
    }
    keep(content);
    const me = await fetch('/api/auth/me', { headers: { Authorization: `Bearer ${tokens.accessToken}`, Accept: 'application/json' }, cache: 'no-store' });
    user = me.ok ? await me.json() : { email };
    notify('signed-in');
  },

  /**
   * Exchanges the refresh token for new tokens. Resolves to 'refreshed'; 'refused' when the
   * session is over (the tenant service said so: it is forgotten); or 'failed' when there was
   * no answer to trust (network, 5xx, 429): the tokens are kept and the refresh tried again soon.
   */
  refresh() {
    if (!tokens) return Promise.resolve('refused');
    if (!refreshing) {
      const used = tokens.refreshToken;
      const current = () => tokens !== null && tokens.refreshToken === used; // not signed out or replaced meanwhile
      refreshing = postJson('/api/auth/token/refresh', { refreshToken: used })
        .then(({ response, content }) => {
          if (!current()) return 'refused';
          if (response.ok) {
            keep(content);
            notify('refreshed');
            return 'refreshed';
          }
          if (response.status === 400 || response.status === 401) {
            session.expired();
            return 'refused';
          }
          retrySoon();
          return 'failed';
        })
        .catch(() => {
          if (current()) retrySoon();
          return 'failed';
        })
        .finally(() => { refreshing = null; });
    }
    return refreshing;
  },

  /** The session ended on the server side (expired or revoked): forget it and ask to sign in again. */
  expired() {
    if (!tokens) return;
    forget();
    notify('expired');
  },

  /** Ends the session on the server (its refresh and access tokens are revoked), then forgets it. */
  async signOut() {
    if (!tokens) return;
    const logout = token => fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    try {
      let answer = await logout(tokens.accessToken);
      // an access token that expired in the meantime: a fresh one, so that the session is really ended
      if (answer.status === 401 && (await session.refresh()) === 'refreshed') answer = await logout(tokens.accessToken);
    } catch (ignored) {
      // no answer: the tokens are forgotten below; the session ends on the server when they expire
    }
    forget();
    notify('signed-out');
  },
};

function forget() {
  clearTimeout(timer);
  tokens = null;
  user = null;
}
