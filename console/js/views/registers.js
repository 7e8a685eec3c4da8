// Registers: list and create; a register's dockets (live), a docket's transactions, a
// transaction with its inclusion proof checked in the browser; verifying the whole chain.
import { get, post, query, seg } from '../api.js';
import { badge, facts, h, json, replace, short, table, time } from '../dom.js';
import { field, formError, input, submitting } from '../forms.js';
import { headSeq, registerEvents } from '../live.js';
import { canCheck, checkInclusion } from '../merkle.js';
import { session } from '../session.js';

const PAGE = 20;

export async function render(view, params, context) {
  const [id, kind, key] = params;
  if (!id) return list(view, context);
  if (kind === 'dockets' && key !== undefined) return docket(view, id, key);
  if (kind === 'transactions' && key) return transaction(view, id, key);
  return register(view, id);
}

async function list(view, context) {
  const rows = h('div', { id: 'register-list' });
  view.append(h('h1', { text: 'Registers' }),
    h('p', { class: 'hint', text: 'A register is a ledger: a hash-linked chain of signed dockets, each sealing signed transactions.' }), rows);
  const load = async () => {
    const registers = await get('/api/registers');
    replace(rows, table(['Name', 'Status', 'Height', 'Created'], registers.map(r => ({
      id: r.id,
      onclick: () => context.navigate(`#/registers/${seg(r.id)}`),
      cells: [h('a', { href: `#/registers/${seg(r.id)}`, text: r.name }), badge(r.status), String(r.height), time(r.createdAt)],
    })), 'No register yet.'));
  };
  if (session.hasRole('Administrator')) view.append(createForm(load));
  await load();
  // a new register becomes ONLINE once its genesis docket is sealed (seconds)
  const timer = setInterval(() => load().catch(() => {}), 3000);
  return () => clearInterval(timer);
}

function createForm(reload) {
  const name = field('Name', input({ name: 'name', maxlength: 200 }));
  const description = field('Description (optional)', input({ name: 'description' }));
  const error = formError();
  const form = h('form', { id: 'create-register', novalidate: true }, h('h2', { text: 'Create a register' }), name, description, error,
    h('button', { type: 'submit', text: 'Create register' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    if (!name.control.value.trim()) {
      error.show('Give the register a name.');
      return;
    }
    submitting(form, error, async () => {
      const body = { name: name.control.value.trim() };
      if (description.control.value.trim()) body.description = description.control.value.trim();
      await post('/api/registers', body);
      form.reset();
      await reload();
    }, { '/name': name, '/description': description });
  });
  return form;
}

async function register(view, id) {
  const summary = h('div', { id: 'register-summary' });
  const dockets = h('div', { id: 'docket-list' });
  const verdict = h('div', { id: 'verify-result', role: 'status' });
  const pager = h('div', { class: 'pager' });
  let top = null; // the highest height shown; null: follow the newest
  const verifyButton = h('button', { type: 'button', id: 'verify', text: 'Verify the whole chain' });
  verifyButton.addEventListener('click', async () => {
    verifyButton.disabled = true;
    replace(verdict, h('p', { class: 'muted', text: 'Checking every docket and transaction…' }));
    try {
      const result = await get(`/api/registers/${seg(id)}/verify`);
      const signed = await get(`/api/registers/${seg(id)}/head`).catch(() => null);
      let head = 'none yet';
      if (signed) {
        const same = signed.treeSize === result.dockets;
        head = `${signed.treeSize} dockets, root ${signed.rootHash.slice(0, 16)}…` + (same ? (signed.rootHash === result.treeHead
          ? ': the same root as the chain checked' : ': NOT the root of the chain checked') : ' (signed before the latest dockets)');
      }
      replace(verdict, h('div', { class: 'panel' },
        h('p', { class: ['check', result.ok ? 'ok' : 'bad'], text: result.ok ? 'Verified: the chain is intact.' : `Not valid at height ${result.height}: ${result.reason}` }),
        facts([['Dockets', String(result.dockets)], ['Transactions', String(result.transactions)], ['Genesis', short(result.genesisHash, 20)],
          ['Docket tree root', short(result.treeHead, 24)], ['Validators’ signed head', head]])));
    } catch (error) {
      replace(verdict, h('p', { class: 'form-error', text: error.message }));
    } finally {
      verifyButton.disabled = false;
    }
  });

  view.append(h('p', {}, h('a', { href: '#/registers', text: '← Registers' })), summary, verifyButton, verdict, h('h2', { text: 'Dockets' }), dockets, pager);

  let loads = 0;
  const load = async () => {
    const mine = ++loads;
    const r = await get(`/api/registers/${seg(id)}`);
    if (mine !== loads) return; // a later load is under way
    replace(summary, h('h1', { text: r.name }), facts([
      ['Status', badge(r.status)], ['Height', String(r.height)], ['Latest docket', short(r.latestDocketHash, 24)],
      ['Id', h('code', { text: r.id })], ['Description', r.description], ['Created', time(r.createdAt)],
    ]));
    if (r.height < 0) { // awaiting its genesis docket
      replace(dockets, h('p', { class: 'muted', text: 'No docket yet: the genesis docket is sealed within seconds of creating the register.' }));
      replace(pager);
      return;
    }
    const highest = top === null ? r.height : Math.min(top, r.height);
    const from = Math.max(0, highest - PAGE + 1);
    const page = await get(`/api/registers/${seg(id)}/dockets${query({ from, limit: highest - from + 1 })}`);
    if (mine !== loads) return;
    const items = [...(page.items || [])].reverse();
    replace(dockets, table(['Height', 'Hash', 'Transactions', 'Sealed'], items.map(d => ({
      id: String(d.height),
      onclick: () => { location.hash = `#/registers/${seg(id)}/dockets/${d.height}`; },
      cells: [h('a', { href: `#/registers/${seg(id)}/dockets/${d.height}`, text: String(d.height) }), short(d.hash, 20),
        String((d.docket.transactionIds || []).length), time(d.docket.timestamp)],
    })), 'No docket yet: the genesis docket is sealed within seconds of creating the register.'));
    replace(pager,
      h('button', { type: 'button', class: 'secondary', text: 'Newer', disabled: highest >= r.height, onclick: () => { top = highest + PAGE >= r.height ? null : highest + PAGE; load(); } }),
      h('button', { type: 'button', class: 'secondary', text: 'Older', disabled: from === 0, onclick: () => { top = from - 1; load(); } }));
  };
  const after = await headSeq(`/api/registers/${seg(id)}/events`); // before the first load, so that nothing sealed in between is missed
  await load();
  // live: a sealed docket shows up without reloading
  let pending = null;
  const stop = registerEvents.follow({ registerId: id }, event => {
    if (event.type !== 'RegisterHeightUpdated' || pending) return;
    pending = setTimeout(() => { pending = null; load().catch(() => {}); }, 250);
  }, after);
  return () => { stop(); clearTimeout(pending); };
}

async function docket(view, id, height) {
  const d = await get(`/api/registers/${seg(id)}/dockets/${seg(height)}`);
  const docketRecord = d.docket;
  view.append(h('p', {}, h('a', { href: `#/registers/${seg(id)}`, text: '← Register' })),
    h('h1', { text: `Docket ${d.height}` }),
    facts([['Hash', h('code', { class: 'break', text: d.hash })], ['Previous', h('code', { class: 'break', text: docketRecord.previousHash })],
      ['Merkle root', h('code', { class: 'break', text: docketRecord.merkleRoot })], ['Sealed', time(docketRecord.timestamp)],
      ['Validator', docketRecord.validatorId], ['Signature', docketRecord.signature ? `${docketRecord.signature.algorithm} by ${docketRecord.signature.publicKey.slice(0, 16)}…` : '']]),
    h('h2', { text: 'Transactions' }),
    table(['#', 'Transaction'], (docketRecord.transactionIds || []).map((txId, index) => ({
      id: txId,
      onclick: () => { location.hash = `#/registers/${seg(id)}/transactions/${txId}`; },
      cells: [String(index), h('a', { href: `#/registers/${seg(id)}/transactions/${txId}`, class: 'mono', text: txId })],
    }))),
    h('details', {}, h('summary', { text: 'The docket as stored' }), json(docketRecord)));
}

async function transaction(view, id, txId) {
  const tx = await get(`/api/registers/${seg(id)}/transactions/${seg(txId)}`);
  const record = tx.transaction;
  const proofBox = h('div', { id: 'proof' });
  view.append(h('p', {}, h('a', { href: `#/registers/${seg(id)}/dockets/${tx.height}`, text: `← Docket ${tx.height}` })),
    h('h1', { text: 'Transaction' }),
    facts([['Id', h('code', { class: 'break', text: tx.txId })], ['DID', h('code', { class: 'break', text: tx.did })], ['Type', record.type],
      ['Sealed in docket', String(tx.height)], ['Sender', h('code', { class: 'break', text: record.sender })],
      ['Recipients', (record.recipients || []).length ? h('div', {}, record.recipients.map(r => h('div', {}, h('code', { class: 'break', text: r })))) : null],
      ['Workflow', record.instanceId ? h('a', { href: `#/instances/${seg(record.instanceId)}`, text: `instance ${record.instanceId}, action ${record.actionId}` }) : null],
      ['Time', time(record.timestamp)]]),
    h('h2', { text: 'Inclusion proof' }), proofBox,
    h('details', {}, h('summary', { text: 'The transaction as signed' }), json(record)));
  const proof = await get(`/api/registers/${seg(id)}/transactions/${seg(txId)}/proof`);
  const docketAnswer = await get(`/api/registers/${seg(id)}/dockets/${proof.height}`);
  let verdict;
  if (!canCheck()) {
    verdict = h('p', { class: 'muted', text: 'This page cannot hash here (WebCrypto needs https or localhost); the proof is shown unchecked.' });
  } else {
    const result = await checkInclusion(proof, txId);
    const rootMatches = docketAnswer.docket.merkleRoot === proof.merkleRoot && docketAnswer.hash === proof.docketHash;
    const ok = result.ok && rootMatches;
    verdict = h('p', { class: ['check', ok ? 'ok' : 'bad'], id: 'proof-check',
      text: ok ? `Checked in this browser: the transaction is leaf ${proof.leafIndex} of ${proof.treeSize} under docket ${proof.height}'s Merkle root.`
        : `The proof does not check out: ${result.ok ? 'its root is not the docket’s' : result.reason}.` });
  }
  replace(proofBox, verdict, facts([['Leaf', `${proof.leafIndex} of ${proof.treeSize}`], ['Leaf hash', short(proof.leafHash, 24)],
    ['Path', h('div', {}, proof.path.map(p => h('div', {}, short(p, 40))))], ['Merkle root', short(proof.merkleRoot, 24)], ['Docket hash', short(proof.docketHash, 24)]]));
}
