// Live event streams over WebSocket (/ws/blueprints, /ws/registers). The access token goes as
// the second of two subprotocols, since a browser cannot set an Authorization header on a
// WebSocket. Each subscription remembers the last sequence number it processed; after a
// reconnect it subscribes again from there, so the server sends whatever was missed first
// (backfill) and nothing twice. Every PING_MS the channel pings the replica (an application
// frame, answered by the service itself rather than by a proxy on the way); a connection that
// has answered nothing for SILENCE_MS is dropped and made again, even if a hop still holds it open.
import { get, query } from './api.js';
import { session } from './session.js';

/**
 * The latest sequence number of a stream, from its HTTP backfill endpoint (e.g.
 * /api/instances/{id}/events, with `params` naming the stream when the path does not): where
 * following it from now on begins. 0 when it cannot be read.
 */
export async function headSeq(eventsPath, params = {}) {
  try {
    return (await get(`${eventsPath}${query({ ...params, afterSeq: 0, limit: 1 })}`)).headSeq || 0;
  } catch (e) {
    return 0;
  }
}

const PING_MS = 20000;
const SILENCE_MS = 45000;

const states = new Set();
const channels = [];

/** Called with the combined state of every channel: connected, connecting, reconnecting or offline. */
export function onLiveState(listener) {
  states.add(listener);
  listener(overallState());
  return () => states.delete(listener);
}

/**
 * connected: every stream followed is subscribed (the server confirmed it); connecting,
 * reconnecting: not yet, or not again; idle: signed in with nothing to follow; offline: signed out.
 */
function overallState() {
  const active = channels.filter(c => c.subscriptions.size > 0);
  if (active.length === 0) return session.signedIn() ? 'idle' : 'offline';
  for (const state of ['offline', 'reconnecting', 'connecting']) {
    if (active.some(c => c.state === state)) return state;
  }
  const confirmed = active.every(c => [...c.subscriptions.values()].every(entry => entry.confirmed));
  return confirmed ? 'connected' : 'connecting';
}

function announce() {
  const state = overallState();
  for (const listener of states) listener(state);
}

class Channel {
  constructor(path) {
    this.path = path;
    this.socket = null;
    this.state = 'offline';
    this.subscriptions = new Map(); // key → {name, lastSeq, handlers:Set}
    this.attempt = 0;
    this.retry = null;
    this.keepAlive = null;
    this.heardAt = 0;
    channels.push(this);
  }

  /**
   * Follows a stream named by `name` (e.g. {wallet: address}) from after `afterSeq`; `handler`
   * gets each event once, in order, with `live` false for events that were already stored when
   * the subscription began. Returns a function that stops following.
   */
  follow(name, handler, afterSeq = 0) {
    const key = JSON.stringify(name);
    let entry = this.subscriptions.get(key);
    if (!entry) {
      entry = { name, lastSeq: afterSeq, headSeq: null, first: true, confirmed: false, handlers: new Set() };
      this.subscriptions.set(key, entry);
      this.sendSubscribe(entry);
    }
    entry.handlers.add(handler);
    this.ensureOpen();
    announce();
    return () => {
      entry.handlers.delete(handler);
      if (entry.handlers.size === 0) {
        this.subscriptions.delete(key);
        this.sendFrame({ type: 'unsubscribe', ...name });
        if (this.subscriptions.size === 0) this.close();
      }
      announce();
    };
  }

  ensureOpen() {
    if (this.socket || !session.signedIn()) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(`${scheme}//${location.host}${this.path}`, ['cairn.bearer', session.accessToken()]);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.heardAt = Date.now();
      this.stopKeepAlive();
      this.keepAlive = setInterval(() => this.ping(socket), PING_MS);
      this.setState('connected');
      for (const entry of this.subscriptions.values()) this.sendSubscribe(entry);
    });
    socket.addEventListener('message', message => {
      if (this.socket === socket) this.heardAt = Date.now();
      this.receive(message.data);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.reconnectLater();
    });
    // 'error' is always followed by 'close', where reconnecting is decided
  }

  /** After a lost connection: again in 1 s, 2 s, 4 s ... at most 10 s, with jitter so that many tabs do not come back at once. */
  reconnectLater() {
    this.stopKeepAlive();
    if (this.subscriptions.size === 0 || !session.signedIn()) {
      this.setState('offline');
      return;
    }
    const delay = Math.min(10000, 1000 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt++;
    this.setState('reconnecting');
    clearTimeout(this.retry);
    this.retry = setTimeout(() => { this.retry = null; this.ensureOpen(); }, delay);
  }

  /** Pings the replica, or gives up on a connection that has been silent too long. */
  ping(socket) {
    if (this.socket !== socket) return;
    if (Date.now() - this.heardAt > SILENCE_MS) {
      this.socket = null;
      socket.close(4000, 'no answer');
      this.reconnectLater();
      return;
    }
    this.sendFrame({ type: 'ping' });
  }

  stopKeepAlive() {
    clearInterval(this.keepAlive);
    this.keepAlive = null;
  }

  sendSubscribe(entry) {
    entry.headSeq = null;
    entry.confirmed = false;
    this.sendFrame({ type: 'subscribe', ...entry.name, afterSeq: entry.lastSeq });
  }

  sendFrame(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  entryFor(frame) {
    for (const entry of this.subscriptions.values()) {
      if (Object.entries(entry.name).every(([field, value]) => frame[field] === value)) return entry;
    }
    return null;
  }

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return;
    }
    const entry = this.entryFor(frame);
    if (frame.type === 'subscribed' && entry) {
      // what was stored before the first subscription is history; what was missed while
      // reconnecting is news, as if it had arrived live
      entry.headSeq = entry.first ? frame.headSeq : entry.lastSeq;
      entry.first = false;
      entry.confirmed = true;
      announce();
    } else if (frame.type === 'event' && entry && frame.event) {
      const seq = frame.event.seq;
      if (typeof seq !== 'number' || seq <= entry.lastSeq) return; // already processed
      entry.lastSeq = seq;
      const live = entry.headSeq === null || seq > entry.headSeq;
      for (const handler of entry.handlers) handler(frame.event, live);
    } else if (frame.type === 'error') {
      // a subscription refused (the caller may not read the stream): it stays unconfirmed
      console.warn('Live stream:', frame.detail);
    }
  }

  close() {
    this.stopKeepAlive();
    clearTimeout(this.retry);
    this.retry = null;
    this.attempt = 0;
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close(1000);
    this.setState('offline');
  }

  /** Reconnects now (after a refresh, with the new token). */
  restart() {
    if (!this.socket && this.subscriptions.size === 0) return;
    this.stopKeepAlive();
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close(1000);
    clearTimeout(this.retry);
    this.ensureOpen();
  }

  setState(state) {
    this.state = state;
    announce();
  }
}

export const workflowEvents = new Channel('/ws/blueprints');
export const registerEvents = new Channel('/ws/registers');

session.onChange(reason => {
  if (reason === 'refreshed') {
    // a replica checks each subscription against the token of the handshake: use the new one
    for (const channel of channels) channel.restart();
  }
  if (reason === 'signed-out' || reason === 'expired') {
    for (const channel of channels) {
      channel.subscriptions.clear();
      channel.close();
    }
  }
  announce();
});
