// The signed-in user's workflow notifications: every wallet they hold is followed on
// /ws/blueprints. Events stored before the console connected fill the list; events that arrive
// live also pop up.
import { myWallets } from './api.js';
import { h, toast } from './dom.js';
import { headSeq, workflowEvents } from './live.js';
import { session } from './session.js';

const items = [];               // newest first, at most LIMIT
const listeners = new Set();
const followed = new Map();     // wallet → stop function
const LIMIT = 200;

export function onNotifications(listener) {
  listeners.add(listener);
  listener(items);
  return () => listeners.delete(listener);
}

export function describeEvent(event) {
  switch (event.type) {
    case 'ActionAvailable': return `Your turn: ${event.title || 'action ' + event.actionId}`;
    case 'ActionConfirmed': return `Sealed: ${event.title || 'action ' + event.actionId} at height ${event.height}`;
    case 'ActionRejected': return `Sent back${event.reason ? ': ' + event.reason : ''}`;
    case 'ActionFailed': return `Refused by the validators: ${event.reason || ''}`;
    case 'WorkflowCompleted': return `Workflow ${String(event.state || 'completed').toLowerCase().replace('_', ' ')}`;
    default: return event.type;
  }
}

export function eventLink(event) {
  return h('a', { href: `#/instances/${encodeURIComponent(event.instanceId)}`, class: 'notification-link', text: describeEvent(event) });
}

function add(wallet, event, live) {
  items.unshift({ wallet, event, live, at: new Date() });
  if (items.length > LIMIT) items.length = LIMIT;
  for (const listener of listeners) listener(items);
  if (live) {
    const box = toast(eventLink(event));
    box.dataset.eventType = event.type;
  }
}

/** Starts following a wallet's notifications (once per wallet). */
export function followWallet(address) {
  if (followed.has(address)) return;
  // begin at the latest 50 stored events: older ones are history, not news
  followed.set(address, null);
  headSeq('/api/instances/events', { wallet: address })
    .then(head => Math.max(0, head - 50))
    .then(afterSeq => {
      if (!followed.has(address)) return;
      followed.set(address, workflowEvents.follow({ wallet: address }, (event, live) => add(address, event, live), afterSeq));
    });
}

export async function followAllWallets() {
  for (const wallet of await myWallets()) followWallet(wallet.address);
}

session.onChange(reason => {
  if (reason === 'signed-out' || reason === 'expired') {
    for (const stop of followed.values()) if (stop) stop();
    followed.clear();
    items.length = 0;
    for (const listener of listeners) listener(items);
  }
});
