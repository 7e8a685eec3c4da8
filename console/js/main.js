// The console's shell: the header, the router (#/section/...), the session's life cycle.
import { ApiError, describe } from './api.js';
import { h, replace } from './dom.js';
import { onLiveState } from './live.js';
import { followAllWallets } from './notifications.js';
import { session } from './session.js';
import * as signIn from './views/signin.js';
import * as instances from './views/instances.js';
import * as blueprints from './views/blueprints.js';
import * as registers from './views/registers.js';
import * as wallets from './views/wallets.js';
import * as users from './views/users.js';
import * as status from './views/status.js';

const sections = { instances, blueprints, registers, wallets, users, status };
const view = document.getElementById('view');
let cleanup = null;
let routes = 0; // which navigation is the current one

/** Shows a message above the page (session expired, a failure that concerns no one field). */
let bannerRoutes = 0; // a message outlives the navigation it came with, then goes

export function banner(message, kind = 'notice') {
  const element = document.getElementById('banner');
  element.className = `banner ${kind}`;
  element.textContent = message || '';
  element.hidden = !message;
  bannerRoutes = 0;
}

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { section: parts[0] || '', params: parts.slice(1) };
}

async function route() {
  if (cleanup) {
    try { cleanup(); } catch (e) { console.error(e); }
    cleanup = null;
  }
  if (++bannerRoutes > 1) banner('');
  const { section, params } = parseRoute();
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('current', a.dataset.section === section));
  let module;
  if (!session.signedIn()) {
    module = section === 'status' ? status : signIn;
  } else {
    module = sections[section] || (section === '' || section === 'signin' ? instances : null);
  }
  // each page renders into a container of its own: one still loading when the user moves on
  // fills a container that is no longer shown
  const page = h('div', { class: 'page' });
  replace(view, page);
  if (!module) {
    page.append(h('h1', { text: 'Not found' }), h('p', { text: `There is no page “${location.hash}”.` }));
    return;
  }
  const generation = ++routes;
  try {
    const stop = (await module.render(page, params, { banner, navigate })) || null;
    if (generation === routes) cleanup = stop;
    else if (stop) stop(); // the user moved on while this page was loading
  } catch (error) {
    if (generation !== routes) return; // a page left behind (e.g. the session ended meanwhile)
    if (!(error instanceof ApiError)) console.error(error);
    page.append(h('p', { class: 'form-error', text: describe(error) }));
  }
  if (generation === routes) view.focus({ preventScroll: true });
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function renderAccount() {
  const user = session.user();
  const who = document.getElementById('who');
  const nav = document.getElementById('nav');
  const out = document.getElementById('sign-out');
  if (!user) {
    who.textContent = '';
    nav.hidden = true;
    out.hidden = true;
    return;
  }
  who.textContent = `${user.displayName || user.email} · ${user.organizationName || 'no organisation'}`;
  who.title = `${user.email} (${(user.roles || []).join(', ')})`;
  nav.hidden = false;
  out.hidden = false;
  nav.querySelectorAll('[data-role]').forEach(a => { a.hidden = !session.hasRole(a.dataset.role); });
}

session.onChange(reason => {
  renderAccount();
  if (reason === 'signed-in') {
    banner('');
    followAllWallets().catch(error => console.warn('Notifications:', describe(error)));
    if (parseRoute().section === 'signin' || parseRoute().section === '') navigate('#/instances');
    else route();
  } else if (reason === 'expired') {
    banner('Your session has ended. Sign in again to go on.', 'error');
    route();
  } else if (reason === 'signed-out') {
    banner('You are signed out.');
    navigate('#/signin');
  }
});

onLiveState(state => {
  const element = document.getElementById('live');
  element.dataset.state = state;
  element.textContent = { connected: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…', idle: 'idle', offline: 'offline' }[state];
  element.title = `Live notifications: ${state}`;
});

document.getElementById('sign-out').addEventListener('click', () => session.signOut());
window.addEventListener('hashchange', route);
renderAccount();
route();
