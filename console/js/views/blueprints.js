// Blueprints: list; paste or upload the JSON, validate it with each problem shown at its place,
// save the draft, publish versions; a diagram of the actions and routes.
import { ApiError, get, post, put, seg } from '../api.js';
import { badge, facts, h, replace, table, time } from '../dom.js';
import { formError, submitting } from '../forms.js';
import { diagram } from '../diagram.js';
import { lineOf, nearest, positions } from '../json-positions.js';
import { session } from '../session.js';

export async function render(view, params, context) {
  const [id] = params;
  if (id === 'new') return editor(view, null, context);
  if (id) return detail(view, id, context);
  return list(view, context);
}

async function list(view, context) {
  const blueprints = await get('/api/blueprints');
  const items = Array.isArray(blueprints) ? blueprints : blueprints.items || [];
  view.append(h('h1', { text: 'Blueprints' }),
    h('p', { class: 'hint', text: 'A blueprint describes a multi-party workflow: who takes part, what each does, with what data, and what follows.' }),
    canDesign() ? h('p', {}, h('a', { href: '#/blueprints/new', id: 'new-blueprint', text: 'New blueprint' })) : null,
    table(['Title', 'Status', 'Latest version', 'Updated'], items.map(b => ({
      id: b.id,
      onclick: () => context.navigate(`#/blueprints/${seg(b.id)}`),
      cells: [h('a', { href: `#/blueprints/${seg(b.id)}`, text: b.title }), badge(b.status), b.latestVersion ? String(b.latestVersion) : '—', time(b.updatedAt)],
    })), 'No blueprint yet.'));
}

function canDesign() {
  return session.hasRole('Administrator') || session.hasRole('Designer');
}

/** The JSON editor with validation; `existing` is a stored draft to replace, or null for a new one. */
function editor(view, existing, context) {
  const text = h('textarea', { class: 'code', id: 'blueprint-json', spellcheck: false, 'aria-label': 'Blueprint JSON' });
  text.value = existing ? JSON.stringify(existing.blueprint, null, 2) : '';
  const file = h('input', { type: 'file', accept: '.json,application/json', id: 'blueprint-file' });
  file.addEventListener('change', async () => {
    if (file.files.length) text.value = await file.files[0].text();
  });
  const problems = h('div', { id: 'blueprint-problems', role: 'status' });
  const picture = h('div', { id: 'diagram-box' });
  const error = formError();
  const validate = h('button', { type: 'button', class: 'secondary', id: 'validate-blueprint', text: 'Validate' });
  const save = h('button', { type: 'submit', id: 'save-blueprint', text: existing ? 'Save draft' : 'Create draft' });
  const form = h('form', { id: 'blueprint-editor', novalidate: true },
    h('label', { for: 'blueprint-file', text: 'Upload a file, or paste the JSON below' }), file,
    h('label', { for: 'blueprint-json', text: 'Blueprint JSON (Cairn’s model, or the reference’s template wrapper)' }), text,
    error, problems, validate, save);

  const parsed = () => {
    try {
      return JSON.parse(text.value);
    } catch (e) {
      throw new Error(`This is not JSON: ${e.message}`);
    }
  };
  validate.addEventListener('click', () => submitting(form, error, async () => {
    const document = parsed();
    const result = await post('/api/blueprints/validate', document);
    showProblems(problems, text, result);
    replace(picture, diagram(document.template && !document.actions ? document.template : document));
  }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    submitting(form, error, async () => {
      const document = parsed();
      try {
        const saved = existing ? await put(`/api/blueprints/${seg(existing.id)}`, document) : await post('/api/blueprints', document);
        context.navigate(`#/blueprints/${seg(saved.id)}`);
      } catch (failure) {
        if (failure instanceof ApiError && failure.errors.length) showProblems(problems, text, { valid: false, errors: failure.errors, warnings: [] });
        throw failure;
      }
    });
  });

  view.append(h('p', {}, h('a', { href: existing ? `#/blueprints/${seg(existing.id)}` : '#/blueprints', text: '← Back' })),
    h('h1', { text: existing ? `Edit “${existing.title}”` : 'New blueprint' }), form, picture);
  text.focus();
}

/** Lists errors and warnings; each names its line and, clicked, selects its place in the text. */
function showProblems(box, textarea, result) {
  const map = positions(textarea.value);
  const entry = (problem, kind) => {
    const place = map ? nearest(map, problem.pointer || '') : null;
    const where = place ? `line ${lineOf(textarea.value, place[0])}` : '';
    const jump = h('button', { type: 'button', class: 'link', text: problem.pointer || '/', title: 'Show in the text' });
    jump.addEventListener('click', () => {
      if (!place) return;
      textarea.focus();
      textarea.setSelectionRange(place[0], place[1]);
      const line = lineOf(textarea.value, place[0]);
      textarea.scrollTop = Math.max(0, (line - 4) * 18);
    });
    return h('li', { class: kind, 'data-pointer': problem.pointer || '' }, jump, ` ${where ? '(' + where + ') ' : ''}`, problem.message);
  };
  const errors = result.errors || [];
  const warnings = result.warnings || [];
  replace(box,
    h('p', { class: ['check', result.valid ? 'ok' : 'bad'], id: 'validation-verdict',
      text: result.valid ? `Valid${warnings.length ? `, with ${warnings.length} warning${warnings.length > 1 ? 's' : ''}` : ''}.` : `${errors.length} problem${errors.length === 1 ? '' : 's'} to fix before it can be published.` }),
    errors.length ? h('ul', { class: 'problems', id: 'validation-errors' }, errors.map(p => entry(p, 'bad'))) : null,
    warnings.length ? h('details', { open: errors.length === 0 }, h('summary', { text: `Warnings (${warnings.length})` }),
      h('ul', { class: 'problems', id: 'validation-warnings' }, warnings.map(p => entry(p, 'pending')))) : null);
}

async function detail(view, id, context) {
  const b = await get(`/api/blueprints/${seg(id)}`);
  const problems = h('div', { id: 'blueprint-problems' });
  const versions = h('div', { id: 'versions' });
  const error = formError();
  const actions = h('form', { id: 'blueprint-actions', class: 'panel' }, error);
  if (canDesign()) {
    const publish = h('button', { type: 'button', id: 'publish-blueprint', text: 'Publish a version' });
    const edit = h('button', { type: 'button', class: 'secondary', text: 'Edit the draft' });
    publish.addEventListener('click', () => submitting(actions, error, async () => {
      try {
        const version = await post(`/api/blueprints/${seg(id)}/publish`);
        context.banner(`Published version ${version.version} of “${version.title}”.`);
        context.navigate(`#/blueprints/${seg(id)}`);
      } catch (failure) {
        if (failure instanceof ApiError && failure.errors.length) showValidation(problems, b, { valid: false, errors: failure.errors, warnings: [] });
        throw failure;
      }
    }));
    edit.addEventListener('click', () => { replace(view); editor(view, b, context); });
    actions.append(publish, edit);
  }
  view.append(h('p', {}, h('a', { href: '#/blueprints', text: '← Blueprints' })),
    h('h1', { text: b.title }),
    facts([['Status', badge(b.status)], ['Latest version', b.latestVersion ? String(b.latestVersion) : 'none published'],
      ['Id', h('code', { text: b.id })], ['Description', b.blueprint && b.blueprint.description], ['Updated', time(b.updatedAt)]]),
    actions, problems,
    h('h2', { text: 'Actions and routes' }), diagram(b.blueprint || {}),
    h('h2', { text: 'Participants' }),
    table(['Id', 'Name', 'Organisation', 'Wallet'], ((b.blueprint && b.blueprint.participants) || []).map(p => [p.id, p.name, p.organisation || '', p.walletAddress || ''])),
    h('h2', { text: 'Versions' }), versions,
    b.latestVersion ? h('p', {}, h('a', { href: `#/instances/new/${seg(id)}`, id: 'start-instance', text: 'Start an instance of the latest version' })) : null);
  showValidation(problems, b, await post(`/api/blueprints/${seg(id)}/validate`));
  const list = await get(`/api/blueprints/${seg(id)}/versions`);
  replace(versions, table(['Version', 'Title', 'Published by', 'Published'], list.map(v => [String(v.version), v.title, v.publishedBy || '', time(v.publishedAt)]), 'Not published yet.'));
}

function showValidation(box, blueprint, result) {
  const textarea = h('textarea', { class: 'code', readOnly: true, hidden: true });
  textarea.value = JSON.stringify(blueprint.blueprint, null, 2);
  showProblems(box, textarea, result);
  // in the read-only view a pointer shows the JSON around it
  box.querySelectorAll('li button.link').forEach(button => button.addEventListener('click', () => {
    textarea.hidden = false;
  }));
  box.append(textarea);
}
