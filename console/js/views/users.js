// Users of the organisation, for its Administrators: the list, and adding one.
import { get, post } from '../api.js';
import { h, replace, table, time } from '../dom.js';
import { field, formError, input, submitting } from '../forms.js';

const ROLES = ['Administrator', 'Designer', 'Auditor', 'Member'];

export async function render(view) {
  const rows = h('div', { id: 'user-list' });
  const load = async () => {
    const users = await get('/api/tenants/users');
    const items = Array.isArray(users) ? users : users.items || [];
    replace(rows, table(['Name', 'Email', 'Roles', 'Status', 'Added'], items.map(u => [u.displayName, u.email, (u.roles || []).join(', '), u.status, time(u.createdAt)])));
  };
  view.append(h('h1', { text: 'Users' }), rows, createForm(load));
  await load();
}

function createForm(reload) {
  const name = field('Name', input({ name: 'displayName' }));
  const email = field('Email', input({ type: 'email', name: 'email', autocomplete: 'off' }));
  const password = field('Initial password', input({ type: 'password', name: 'password', autocomplete: 'new-password' }), '12 to 128 characters; tell the user, who can change it.');
  const roles = h('fieldset', { class: 'roles' }, h('legend', { text: 'Roles' }),
    ROLES.map(role => h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'role', value: role, checked: role === 'Member' }), role)));
  const error = formError();
  const form = h('form', { id: 'create-user', novalidate: true }, h('h2', { text: 'Add a user' }), name, email, password, roles, error,
    h('button', { type: 'submit', text: 'Add user' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const chosen = [...roles.querySelectorAll('input:checked')].map(box => box.value);
    if (chosen.length === 0) {
      error.show('Give the user at least one role.');
      return;
    }
    submitting(form, error, async () => {
      await post('/api/tenants/users', { displayName: name.control.value.trim(), email: email.control.value.trim(), password: password.control.value, roles: chosen });
      form.reset();
      await reload();
    }, { '/displayName': name, '/email': email, '/password': password });
  });
  return form;
}
