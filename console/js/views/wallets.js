// Wallets: the caller's list, creating one (the mnemonic shown once), recovering one.
import { myWallets, post } from '../api.js';
import { h, replace, short, table, time } from '../dom.js';
import { field, formError, input, select, submitting } from '../forms.js';
import { followWallet } from '../notifications.js';

const ALGORITHMS = [['ED25519', 'Ed25519 (recommended)'], ['P256', 'ECDSA P-256'], ['RSA4096', 'RSA-4096 (cannot be recovered)']];

export async function render(view) {
  const list = h('div', { id: 'wallet-list' });
  const reveal = h('div', { id: 'mnemonic-panel' });
  view.append(h('h1', { text: 'Wallets' }),
    h('p', { class: 'hint', text: 'A wallet holds a signing key. Its private key never leaves the wallet service; what you sign in a workflow is signed with it.' }),
    reveal, list, h('div', { class: 'split' }, createForm(reveal, () => load(list)), recoverForm(() => load(list))));
  await load(list);
}

async function load(list) {
  replace(list, table(['Name', 'Address', 'Algorithm', 'Created'], (await myWallets()).map(w => ({
    id: w.address,
    cells: [w.name, h('code', { class: 'break wallet-address', text: w.address }), w.algorithm, time(w.createdAt)],
  })), 'You have no wallet yet: create one below.'));
}

function createForm(reveal, reload) {
  const name = field('Name', input({ name: 'name', required: true, maxlength: 200 }));
  const algorithm = field('Algorithm', select('algorithm', ALGORITHMS, 'ED25519'));
  const words = field('Recovery words', select('wordCount', ['24', '21', '18', '15', '12'], '24'));
  const passphrase = field('Passphrase (optional)', input({ type: 'password', name: 'passphrase', autocomplete: 'new-password' }),
    'Needed, with the words, to recover the wallet. Cairn does not keep it.');
  const error = formError();
  const form = h('form', { id: 'create-wallet', novalidate: true }, h('h2', { text: 'Create a wallet' }), name, algorithm, words, passphrase, error,
    h('button', { type: 'submit', text: 'Create wallet' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    if (!name.control.value.trim()) {
      error.show('Give the wallet a name.');
      return;
    }
    submitting(form, error, async () => {
      const body = { name: name.control.value.trim(), algorithm: algorithm.control.value };
      if (body.algorithm !== 'RSA4096') body.wordCount = Number(words.control.value);
      if (passphrase.control.value) body.passphrase = passphrase.control.value;
      const wallet = await post('/api/wallets', body);
      form.reset();
      followWallet(wallet.address);
      showMnemonic(reveal, wallet, reload);
    }, { '/name': name, '/algorithm': algorithm, '/wordCount': words, '/passphrase': passphrase });
  });
  return form;
}

/** The mnemonic, once: it is removed from the page when the user confirms it is written down. */
function showMnemonic(reveal, wallet, reload) {
  if (!wallet.mnemonic) {
    replace(reveal, h('div', { class: 'panel notice' }, h('p', { text: `Wallet “${wallet.name}” created. It has no recovery words (${wallet.algorithm}); back up the wallet database.` })));
    reload();
    return;
  }
  const confirm = h('input', { type: 'checkbox', id: 'mnemonic-confirm' });
  const done = h('button', { type: 'button', id: 'mnemonic-done', text: 'I have written them down', disabled: true });
  confirm.addEventListener('change', () => { done.disabled = !confirm.checked; });
  done.addEventListener('click', () => { replace(reveal); reload(); });
  replace(reveal, h('div', { class: 'panel notice', role: 'alertdialog', 'aria-labelledby': 'mnemonic-title' },
    h('h2', { id: 'mnemonic-title', text: `Recovery words of “${wallet.name}”` }),
    h('p', {}, h('strong', { text: 'Write these words down now and keep them safe. ' }),
      'They are shown this once and Cairn does not keep them. Anyone who has them (and the passphrase, if you set one) controls this wallet; without them a lost wallet cannot be recovered.'),
    h('p', { class: 'mnemonic mono', id: 'mnemonic', text: wallet.mnemonic }),
    facts(wallet),
    h('label', { class: 'inline', for: 'mnemonic-confirm' }, confirm, 'I have written the words down and stored them safely'),
    done));
  reveal.scrollIntoView();
}

function facts(wallet) {
  return h('p', { class: 'hint' }, 'Address ', short(wallet.address, 24), ` · ${wallet.algorithm} · path ${wallet.derivationPath || '—'}`);
}

function recoverForm(reload) {
  const mnemonic = field('Recovery words', h('textarea', { name: 'mnemonic', autocomplete: 'off', spellcheck: false }));
  const passphrase = field('Passphrase (if one was set)', input({ type: 'password', name: 'passphrase', autocomplete: 'off' }));
  const algorithm = field('Algorithm', select('algorithm', ALGORITHMS.slice(0, 2), 'ED25519'));
  const name = field('Name', input({ name: 'name' }));
  const error = formError();
  const done = h('p', { class: 'ok', role: 'status' });
  const form = h('form', { id: 'recover-wallet', novalidate: true }, h('h2', { text: 'Recover a wallet' }), mnemonic, passphrase, algorithm, name, error, done,
    h('button', { type: 'submit', class: 'secondary', text: 'Recover wallet' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    done.textContent = '';
    const words = mnemonic.control.value.trim().split(/\s+/).filter(Boolean);
    if (![12, 15, 18, 21, 24].includes(words.length)) {
      error.show(`Recovery words are 12, 15, 18, 21 or 24 words; this is ${words.length}.`);
      return;
    }
    submitting(form, error, async () => {
      const body = { mnemonic: words.join(' '), algorithm: algorithm.control.value, name: name.control.value.trim() || 'Recovered wallet' };
      if (passphrase.control.value) body.passphrase = passphrase.control.value;
      const wallet = await post('/api/wallets/recover', body);
      form.reset();
      done.textContent = `Recovered: ${wallet.address}`;
      followWallet(wallet.address);
      reload();
    }, { '/mnemonic': mnemonic, '/name': name, '/algorithm': algorithm });
  });
  return form;
}
