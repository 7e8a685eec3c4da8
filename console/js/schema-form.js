// A form generated from an action's data schemas (JSON Schema 2020-12), laid out by the
// action's `form` when it has one (the reference's controls: Layout, Label, TextLine, TextArea,
// Numeric, DateTime, Checkbox, Selection, Choice; scopes as JSON Pointers or JSON Forms'
// "#/properties/x"). Fields the layout leaves out are added after it, so every field can be
// filled. The service checks the data against the schemas; its errors are shown at the fields.
import { h } from './dom.js';
import { field, markField } from './forms.js';

/** Every object schema's properties and required names, merged (the data must pass them all). */
function merge(schemas) {
  const properties = {};
  const required = new Set();
  for (const schema of schemas || []) {
    if (!schema || typeof schema !== 'object') continue;
    Object.assign(properties, schema.properties || {});
    (schema.required || []).forEach(name => required.add(name));
  }
  return { properties, required };
}

function scopeName(scope) {
  if (typeof scope !== 'string') return null;
  const text = scope.startsWith('#/properties/') ? scope.slice('#/properties/'.length) : scope.replace(/^\//, '');
  return text.split('/')[0].replace(/~1/g, '/').replace(/~0/g, '~') || null;
}

function typeOf(schema) {
  const type = Array.isArray(schema.type) ? schema.type.find(t => t !== 'null') : schema.type;
  if (type) return type;
  if (Array.isArray(schema.enum)) return 'enum';
  if (schema.properties) return 'object';
  return 'json';
}

/** One control for a property; returns {wrapper, read} where read() gives the value or undefined. */
function control(name, schema, required, hint) {
  const title = (hint && hint.title) || schema.title || name;
  const label = required ? `${title} *` : title;
  const kind = hint && hint.type;
  const type = typeOf(schema);
  const description = schema.description;
  let wrapper;
  let read;
  if (Array.isArray(schema.enum) || kind === 'Selection' || kind === 'Choice') {
    const options = (schema.enum || (hint.options && hint.options.values) || []).map(v => [JSON.stringify(v), String(v)]);
    const select = h('select', { name }, h('option', { value: '', text: required ? 'Choose…' : '—' }), options.map(([v, t]) => h('option', { value: v, text: t })));
    wrapper = field(label, select, description);
    read = () => (select.value === '' ? undefined : JSON.parse(select.value));
  } else if ((type === 'boolean' || kind === 'Checkbox') && !required) {
    // an optional yes/no: left unanswered unless the user chooses
    const select = h('select', { name }, h('option', { value: '', text: '—' }), h('option', { value: 'true', text: 'Yes' }), h('option', { value: 'false', text: 'No' }));
    wrapper = field(label, select, description);
    read = () => (select.value === '' ? undefined : select.value === 'true');
  } else if (type === 'boolean' || kind === 'Checkbox') {
    const box = h('input', { type: 'checkbox', name });
    wrapper = field(label, box, description);
    wrapper.classList.add('checkbox');
    read = () => box.checked;
  } else if (type === 'integer' || type === 'number' || kind === 'Numeric') {
    const number = h('input', { type: 'number', name, step: type === 'integer' ? '1' : 'any', inputmode: type === 'integer' ? 'numeric' : 'decimal' });
    if (schema.minimum !== undefined) number.min = schema.minimum;
    if (schema.maximum !== undefined) number.max = schema.maximum;
    wrapper = field(label, number, description);
    read = () => {
      if (number.value === '') return number.validity.badInput ? number.value : undefined;
      return Number(number.value);
    };
  } else if (type === 'string') {
    const long = kind === 'TextArea' || (schema.maxLength || 0) > 300;
    const inputType = schema.format === 'date' ? 'date' : schema.format === 'date-time' || kind === 'DateTime' ? 'datetime-local' : schema.format === 'email' ? 'email' : 'text';
    const text = long ? h('textarea', { name }) : h('input', { type: inputType, name });
    if (schema.maxLength) text.maxLength = schema.maxLength;
    wrapper = field(label, text, description);
    read = () => {
      if (text.value === '') return undefined;
      if (inputType === 'datetime-local') return new Date(text.value).toISOString();
      return text.value;
    };
  } else if (type === 'object' && schema.properties) {
    const inner = build([schema], null, `${name}`);
    wrapper = h('fieldset', { class: 'field' }, h('legend', { text: label }), inner.element);
    wrapper.error = h('div', { class: 'field-error' });
    wrapper.control = wrapper;
    wrapper.append(wrapper.error);
    wrapper.inner = inner;
    read = () => {
      const value = inner.value();
      return Object.keys(value).length ? value : undefined;
    };
  } else {
    const raw = h('textarea', { name, class: 'mono', placeholder: 'JSON' });
    wrapper = field(`${label} (JSON)`, raw, description);
    read = () => {
      if (raw.value.trim() === '') return undefined;
      try {
        return JSON.parse(raw.value);
      } catch (e) {
        return raw.value;
      }
    };
  }
  wrapper.dataset.field = name;
  return { wrapper, read };
}

function build(schemas, layout, prefix = '') {
  const { properties, required } = merge(schemas);
  const controls = new Map(); // name → {wrapper, read}
  const element = h('div', { class: 'schema-form' });
  const make = (name, hint) => {
    if (controls.has(name) || !properties[name]) return null;
    const made = control(name, properties[name], required.has(name), hint);
    made.wrapper.dataset.pointer = `${prefix ? '/' + prefix : ''}/${name}`;
    controls.set(name, made);
    return made.wrapper;
  };
  const render = (node, parent) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'Label') {
      parent.append(h('p', { class: 'hint', text: node.title || node.text || '' }));
      return;
    }
    const name = scopeName(node.scope);
    if (name && node.type !== 'Layout') {
      const made = make(name, node);
      if (made) parent.append(made);
      return;
    }
    if (Array.isArray(node.elements)) {
      let box = parent;
      if (node.layout === 'HorizontalLayout') box = h('div', { class: 'row' });
      else if (node.layout === 'Group' || node.layout === 'Categorization') box = h('fieldset', {}, node.title ? h('legend', { text: node.title }) : null);
      if (box !== parent) parent.append(box);
      node.elements.forEach(child => render(child, box));
    }
  };
  if (layout) render(layout, element);
  for (const name of Object.keys(properties)) {
    const made = make(name, null);
    if (made) element.append(made);
  }
  return {
    element,
    empty: controls.size === 0,
    value() {
      const data = {};
      for (const [name, { read }] of controls) {
        const value = read();
        if (value !== undefined) data[name] = value;
      }
      return data;
    },
    /** Shows [{pointer, message}] at their fields; returns those that have no field. */
    showErrors(errors) {
      const rest = [];
      for (const error of errors) {
        const name = scopeName(error.pointer || '');
        const made = name && controls.get(name);
        if (!made) {
          rest.push(error);
          continue;
        }
        if (made.wrapper.inner) {
          const inner = made.wrapper.inner.showErrors([{ ...error, pointer: (error.pointer || '').slice(name.length + 1) }]);
          if (inner.length) markField(made.wrapper, error.message);
        } else {
          markField(made.wrapper, error.message);
        }
      }
      return rest;
    },
    clearErrors() {
      for (const { wrapper } of controls.values()) {
        markField(wrapper, null);
        if (wrapper.inner) wrapper.inner.clearErrors();
      }
    },
  };
}

/** The form for an action: {element, value(), showErrors(errors), clearErrors(), empty}. */
export function schemaForm(schemas, layout) {
  return build(schemas, layout && typeof layout === 'object' ? layout : null);
}
