// Workflow instances: the list (with the user's notifications), starting one with every
// participant bound to a wallet, and one instance live: its current actions, history and
// data; executing an action through a form made from its data schema, or rejecting it.
import { ApiError, get, myWallets, post, query, seg } from '../api.js';
import { badge, facts, h, json, replace, short, table, time } from '../dom.js';
import { field, formError, input, select, submitting } from '../forms.js';
import { headSeq, workflowEvents } from '../live.js';
import { eventLink, onNotifications } from '../notifications.js';
import { schemaForm } from '../schema-form.js';

export async function render(view, params, context) {
  const [id, blueprintId] = params;
  if (id === 'new') return start(view, blueprintId, context);
  if (id) return instance(view, id, context);
  return list(view, context);
}

async function list(view, context) {
  const notices = h('div', { id: 'notifications' });
  const rows = h('div', { id: 'instance-list' });
  view.append(h('h1', { text: 'Instances' }),
    h('p', {}, h('a', { href: '#/instances/new', id: 'new-instance', text: 'Start an instance' })),
    h('h2', { text: 'Notifications' }), notices, h('h2', { text: 'Instances you can see' }), rows);
  const showNotices = items => replace(notices, items.length === 0
    ? h('p', { class: 'muted', text: 'Nothing new. Notifications for your wallets appear here as they happen.' })
    : h('ul', { class: 'notifications' }, items.slice(0, 20).map(({ event, at }) =>
      h('li', { 'data-event-type': event.type }, eventLink(event), ' ', h('span', { class: 'muted', text: at.toLocaleTimeString() })))));
  const load = async () => {
    const own = (await get('/api/instances?size=100')).items || [];
    const seen = new Set(own.map(i => i.id));
    const all = [...own];
    for (const wallet of await myWallets()) {
      // instances of other organisations in which one of the caller's wallets takes part
      for (const item of (await get(`/api/instances${query({ wallet: wallet.address, size: 100 })}`)).items || []) {
        if (!seen.has(item.id)) {
          seen.add(item.id);
          all.push(item);
        }
      }
    }
    all.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    replace(rows, table(['Instance', 'Blueprint', 'State', 'Waiting for', 'Started'], all.map(i => ({
      id: i.id,
      onclick: () => context.navigate(`#/instances/${seg(i.id)}`),
      cells: [h('a', { href: `#/instances/${seg(i.id)}`, class: 'mono', text: i.id.slice(0, 12) }), `${i.blueprintTitle || i.blueprintId} v${i.blueprintVersion}`,
        badge(i.state), (i.currentActions || []).map(a => a.title).join(', '), time(i.createdAt)],
    })), 'No instance yet.'));
  };
  let first = true;
  let reloading = null;
  const stop = onNotifications(items => {
    // a notification may be about an instance this list does not show yet
    if (!first && !reloading) reloading = setTimeout(() => { reloading = null; load().catch(() => {}); }, 300);
    first = false;
    showNotices(items);
  });
  await load();
  return () => { stop(); clearTimeout(reloading); };
}

async function start(view, chosen, context) {
  const [blueprints, registers, wallets] = await Promise.all([get('/api/blueprints'), get('/api/registers'), myWallets()]);
  const published = (Array.isArray(blueprints) ? blueprints : blueprints.items || []).filter(b => b.latestVersion);
  const online = registers.filter(r => r.status === 'ONLINE');
  const error = formError();
  const blueprint = field('Blueprint', select('blueprintId', published.map(b => [b.id, `${b.title} (v${b.latestVersion})`]), chosen));
  const register = field('Register', select('registerId', online.map(r => [r.id, r.name])), 'Every step is a transaction sealed on this register.');
  const bindings = h('div', { id: 'bindings' });
  const choices = h('datalist', { id: 'my-wallets' }, wallets.map(w => h('option', { value: w.address, text: w.name })));
  const form = h('form', { id: 'start-instance', novalidate: true }, blueprint, register,
    h('h2', { text: 'Participants' }), h('p', { class: 'hint', text: 'Bind each participant to the wallet that will act for it: one of yours, or an address another party gave you.' }),
    bindings, choices, error, h('button', { type: 'submit', text: 'Start' }));
  let fields = {};
  const showParticipants = async () => {
    fields = {};
    if (!blueprint.control.value) {
      replace(bindings, h('p', { class: 'muted', text: 'Publish a blueprint first.' }));
      return;
    }
    // the instance runs the latest published version, whose participants may differ from the draft's
    const chosenBlueprint = published.find(b => b.id === blueprint.control.value);
    const version = await get(`/api/blueprints/${seg(chosenBlueprint.id)}/versions/${chosenBlueprint.latestVersion}`);
    replace(bindings, ((version.blueprint && version.blueprint.participants) || []).map(p => {
      const address = input({ name: `participant-${p.id}`, list: 'my-wallets', placeholder: p.walletAddress || 'cairn1…', 'data-participant': p.id, class: 'mono' });
      const wrapper = field(`${p.name || p.id} (${p.id})${p.organisation ? ' · ' + p.organisation : ''}`, address,
        p.walletAddress ? 'Leave empty to use the blueprint’s own wallet for this participant.' : null);
      fields[p.id] = wrapper;
      return wrapper;
    }));
  };
  blueprint.control.addEventListener('change', () => showParticipants().catch(e => error.show(e)));
  await showParticipants();
  form.addEventListener('submit', event => {
    event.preventDefault();
    if (!blueprint.control.value || !register.control.value) {
      error.show(!blueprint.control.value ? 'Choose a published blueprint.' : 'Choose a register that is online.');
      return;
    }
    const participants = {};
    for (const [participant, wrapper] of Object.entries(fields)) {
      const value = wrapper.control.value.trim();
      if (value) participants[participant] = value;
    }
    submitting(form, error, async () => {
      try {
        const created = await post('/api/instances', { blueprintId: blueprint.control.value, registerId: register.control.value, participants });
        context.navigate(`#/instances/${seg(created.id)}`);
      } catch (failure) {
        markParticipants(failure, fields);
        throw failure;
      }
    });
  });
  view.append(h('p', {}, h('a', { href: '#/instances', text: '← Instances' })), h('h1', { text: 'Start an instance' }), form);
}

/** unbound-participants / unknown-wallet name participants or addresses: mark those fields. */
function markParticipants(failure, fields) {
  if (!(failure instanceof ApiError)) return;
  const named = [].concat(failure.problem.participants || [], failure.problem.participantIds || []);
  for (const [participant, wrapper] of Object.entries(fields)) {
    const mention = named.includes(participant) || (failure.message.includes(`'${participant}'`))
      || (wrapper.control.value && failure.message.includes(wrapper.control.value.trim()));
    wrapper.error.textContent = mention ? failure.message : '';
    wrapper.control.classList.toggle('invalid', Boolean(mention));
  }
}

async function instance(view, id, context) {
  const head = h('div', { id: 'instance-head' });
  const current = h('div', { id: 'current-actions' });
  const acting = h('div', { id: 'action-panel' });
  const history = h('div', { id: 'history' });
  const data = h('div', { id: 'instance-data' });
  view.append(h('p', {}, h('a', { href: '#/instances', text: '← Instances' })), head,
    h('h2', { text: 'Waiting for' }), current, acting, h('h2', { text: 'History' }), history, h('h2', { text: 'Data you can see' }), data);
  let openAction = null;

  let loads = 0;
  const load = async () => {
    const mine = ++loads;
    const i = await get(`/api/instances/${seg(id)}`);
    if (mine !== loads) return; // a later load is under way
    const yours = new Set((i.participants || []).filter(p => p.yours).map(p => p.walletAddress));
    replace(head, h('h1', { text: i.blueprintTitle || 'Instance' }), facts([
      ['State', badge(i.state)], ['Blueprint', h('a', { href: `#/blueprints/${seg(i.blueprintId)}`, text: `${i.blueprintTitle || i.blueprintId}, version ${i.blueprintVersion}` })],
      ['Register', h('a', { href: `#/registers/${seg(i.registerId)}`, class: 'mono', text: i.registerId })], ['Instance', h('code', { text: i.id })],
      ['Started', time(i.createdAt)], ['Ended', time(i.completedAt)],
      ['Participants', h('div', {}, (i.participants || []).map(p => h('div', {}, `${p.name || p.participantId}: `, short(p.walletAddress, 20), p.yours ? h('strong', { text: ' (you)' }) : null)))],
    ]));
    const actions = i.currentActions || [];
    replace(current, i.state !== 'ACTIVE' ? h('p', { class: 'muted', text: `Nothing: the instance is ${i.state.toLowerCase().replace('_', ' ')}.` })
      : table(['Action', 'By', 'Branch', ''], actions.map(a => ({
        id: String(a.actionId),
        cells: [a.title, `${a.participantId}${yours.has(a.walletAddress) ? ' (you)' : ''}`, a.branchId || '',
          yours.has(a.walletAddress) ? h('button', { type: 'button', class: 'act', 'data-action': a.actionId, text: 'Open',
            onclick: () => { openAction = a; showAction(acting, i, a, load); } }) : h('span', { class: 'muted', text: 'another participant' })],
      })), (i.waiting || []).length ? 'Branches are waiting for each other.' : 'Nothing is open yet: the last step is being sealed.'));
    if (i.state !== 'ACTIVE') {
      openAction = null;
      replace(acting);
    } else if (openAction && !actions.some(a => a.actionId === openAction.actionId && a.branchId === openAction.branchId)) {
      openAction = null;
      if (!acting.querySelector('#execute-outcome')) replace(acting); // keep the answer to what was just submitted
    }
    replace(history, table(['#', 'Action', 'Kind', 'Status', 'Docket', 'By', 'Time'], (i.history || []).map(s => ({
      id: String(s.seq),
      cells: [String(s.seq), s.title, s.kind, badge(s.status), s.height !== undefined && s.height !== null
        ? h('a', { href: `#/registers/${seg(i.registerId)}/transactions/${s.txId}`, text: String(s.height) }) : '—',
        s.participantId, time(s.sealedAt || s.time)],
    })), 'No step yet.'),
    (i.failures || []).length ? h('div', { class: 'panel notice' }, h('h3', { text: 'Refused steps' }),
      h('ul', {}, i.failures.map(f => h('li', {}, `Action ${f.actionId} (${f.kind}): ${f.reason}`)))) : null);
    replace(data, i.data && Object.keys(i.data).length ? json(i.data) : h('p', { class: 'muted', text: 'None disclosed to your wallets yet.' }));
  };
  const after = await headSeq(`/api/instances/${seg(id)}/events`); // before the first load, so that nothing that happens in between is missed
  await load();
  let timer = null;
  const stop = workflowEvents.follow({ instanceId: id }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => load().catch(e => console.warn(e)), 150);
  }, after);
  return () => { stop(); clearTimeout(timer); };
}

function newKey() {
  return globalThis.crypto && crypto.randomUUID ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

async function showAction(panel, inst, ref, reload) {
  const action = await get(`/api/instances/${seg(inst.id)}/actions/${ref.actionId}`);
  const generated = schemaForm(action.dataSchemas, action.form);
  const error = formError();
  const outcome = h('div', { class: 'outcome', role: 'status' });
  let key = newKey(); // the same key for a retry after a failure the service may have acted on
  const form = h('form', { id: 'execute-action', novalidate: true, 'data-action': ref.actionId },
    h('h2', { text: action.title }), action.description ? h('p', { class: 'hint', text: action.description }) : null,
    generated.empty ? h('p', { class: 'muted', text: 'This action takes no data.' }) : generated.element,
    error, h('button', { type: 'submit', text: 'Submit' }), outcome);
  form.addEventListener('submit', event => {
    event.preventDefault();
    generated.clearErrors();
    submitting(form, error, async () => {
      try {
        const answer = await post(`/api/instances/${seg(inst.id)}/actions/${ref.actionId}/execute`,
          { data: generated.value(), idempotencyKey: key, branchId: ref.branchId || undefined });
        replace(outcome, h('p', { class: 'ok', id: 'execute-outcome', text: `Submitted: transaction ${answer.txId.slice(0, 12)}… is ${answer.status}; it shows as sealed once a docket holds it.` }));
        form.querySelectorAll('input, select, textarea, button').forEach(c => { c.disabled = true; });
        await reload();
      } catch (failure) {
        if (failure instanceof ApiError && failure.status < 500) key = newKey(); // refused: nothing was kept
        if (failure instanceof ApiError && failure.errors.length) {
          const rest = generated.showErrors(failure.errors);
          if (rest.length === 0) throw new Error('Some fields need attention: see the messages at each.');
        }
        throw failure;
      }
    });
  });
  replace(panel, form, action.rejection ? rejectForm(inst, ref, action.rejection, reload) : null);
  form.scrollIntoView({ block: 'nearest' });
}

function rejectForm(inst, ref, rejection, reload) {
  const reason = field(rejection.requireReason ? 'Reason *' : 'Reason', h('textarea', { name: 'reason', maxlength: 1000 }),
    rejection.terminal ? 'Rejecting ends the instance.' : 'The work goes back to an earlier action.');
  const error = formError();
  let key = newKey();
  const form = h('form', { id: 'reject-action', novalidate: true }, h('h3', { text: 'Send back' }), reason, error,
    h('button', { type: 'submit', class: 'danger', text: 'Reject' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    if (rejection.requireReason && !reason.control.value.trim()) {
      error.show('Give a reason for sending this back.');
      return;
    }
    submitting(form, error, async () => {
      try {
        await post(`/api/instances/${seg(inst.id)}/actions/${ref.actionId}/reject`,
          { reason: reason.control.value.trim() || undefined, idempotencyKey: key, branchId: ref.branchId || undefined });
      } catch (failure) {
        if (failure instanceof ApiError && failure.status < 500) key = newKey();
        throw failure;
      }
      form.replaceChildren(h('p', { class: 'ok', text: 'Rejected; waiting for the ledger to seal it.' }));
      await reload();
    }, { '/reason': reason });
  });
  return form;
}
