// Shared pieces of forms: labelled inputs, a form-level error, and showing an API problem at
// the fields it concerns.
import { ApiError, describe } from './api.js';
import { h } from './dom.js';

let counter = 0;

/** A labelled input; returns the wrapper, the control is `.control`. */
export function field(label, control, hint) {
  const id = control.id || `f${++counter}`;
  control.id = id;
  const error = h('div', { class: 'field-error', id: `${id}-error` });
  control.setAttribute('aria-describedby', `${id}-error`);
  const wrapper = h('div', { class: 'field' }, h('label', { for: id, text: label }), control, hint ? h('p', { class: 'hint', text: hint }) : null, error);
  wrapper.control = control;
  wrapper.error = error;
  return wrapper;
}

export function input(attributes) {
  return h('input', { type: 'text', ...attributes });
}

export function select(name, options, selected) {
  return h('select', { name }, options.map(option => {
    const [value, text] = Array.isArray(option) ? option : [option, option];
    return h('option', { value, text, selected: value === selected });
  }));
}

/** The form-level message box; `show(error)` fills it, `clear()` empties it. */
export function formError() {
  const box = h('div', { class: 'form-error', role: 'alert' });
  box.show = error => { box.textContent = typeof error === 'string' ? error : describe(error); };
  box.clear = () => { box.textContent = ''; };
  return box;
}

/**
 * Runs `action` while the form's buttons are disabled; shows a failure in `errorBox`, and the
 * problem's field errors at the fields named by `fieldsByPointer` (pointer → field wrapper).
 */
export async function submitting(form, errorBox, action, fieldsByPointer = {}) {
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach(b => { b.disabled = true; });
  errorBox.clear();
  for (const wrapper of Object.values(fieldsByPointer)) markField(wrapper, null);
  try {
    return await action();
  } catch (error) {
    errorBox.show(error);
    if (error instanceof ApiError) {
      for (const problem of error.errors) {
        const wrapper = fieldsByPointer[problem.pointer] || fieldsByPointer[fieldPointer(problem)];
        if (wrapper) markField(wrapper, problem.message);
      }
    }
    return undefined;
  } finally {
    buttons.forEach(b => { b.disabled = false; });
  }
}

function fieldPointer(problem) {
  return problem.field ? `/${problem.field}` : undefined;
}

export function markField(wrapper, message) {
  wrapper.error.textContent = message || '';
  wrapper.control.classList.toggle('invalid', Boolean(message));
  if (message) wrapper.control.setAttribute('aria-invalid', 'true');
  else wrapper.control.removeAttribute('aria-invalid');
}
