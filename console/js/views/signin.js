// Sign in, and set up a new installation (the first organisation and its administrator).
import { describe, post } from '../api.js';
import { h } from '../dom.js';
import { field, formError, input, submitting } from '../forms.js';
import { session } from '../session.js';

export function render(view) {
  const email = field('Email', input({ type: 'email', name: 'email', autocomplete: 'username', required: true }));
  const password = field('Password', input({ type: 'password', name: 'password', autocomplete: 'current-password', required: true }));
  const error = formError();
  const form = h('form', { id: 'sign-in', novalidate: true },
    email, password, error, h('button', { type: 'submit', text: 'Sign in' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    if (!email.control.value.trim() || !password.control.value) {
      error.show('Enter your email and password.');
      return;
    }
    submitting(form, error, async () => {
      try {
        await session.signIn(email.control.value.trim(), password.control.value);
      } catch (failure) {
        if (failure.status === 401) throw new Error('Wrong email or password.');
        if (failure.status === 429) {
          throw new Error(`Too many failed attempts: try again in ${failure.problem.retryAfter || 'a few'} seconds.`);
        }
        if (failure.status === 400) throw new Error('Enter a valid email address and your password.');
        throw failure instanceof TypeError ? new Error(describe(failure)) : failure;
      }
    });
  });

  view.append(h('h1', { text: 'Sign in' }), form, setUp());
  email.control.focus();
}

function setUp() {
  const organization = field('Organisation', input({ name: 'organizationName', required: true }));
  const name = field('Your name', input({ name: 'adminName', required: true }));
  const email = field('Email', input({ type: 'email', name: 'adminEmail', autocomplete: 'username' }));
  const password = field('Password', input({ type: 'password', name: 'adminPassword', autocomplete: 'new-password' }),
    '12 to 128 characters.');
  const error = formError();
  const done = h('p', { class: 'ok', hidden: true });
  const form = h('form', { id: 'set-up', novalidate: true }, organization, name, email, password, error, done,
    h('button', { type: 'submit', class: 'secondary', text: 'Create the installation’s first organisation' }));
  const fields = { '/organizationName': organization, '/adminName': name, '/adminEmail': email, '/adminPassword': password };
  form.addEventListener('submit', event => {
    event.preventDefault();
    submitting(form, error, async () => {
      try {
        await post('/api/tenants/bootstrap', {
          organizationName: organization.control.value.trim(), adminName: name.control.value.trim(),
          adminEmail: email.control.value.trim(), adminPassword: password.control.value,
        }, { auth: false });
      } catch (failure) {
        if (failure.status === 409) throw new Error('This installation is already set up: sign in above.');
        throw failure;
      }
      done.hidden = false;
      done.textContent = 'Done: sign in above with the email and password you chose.';
    }, fields);
  });
  return h('details', { class: 'setup' }, h('summary', { text: 'New installation? Set it up' }),
    h('p', { class: 'hint', text: 'Once only: creates the first organisation and its administrator.' }), form);
}
