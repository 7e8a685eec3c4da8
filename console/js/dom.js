// Small DOM helpers. Text always goes in through textContent, never as HTML, so nothing that
// comes from the API can become markup.

/**
 * h('button', {class: 'secondary', onclick: fn}, 'Save') makes an element. Attributes named
 * on* become listeners; `class`, `text`, `value`, `checked`, `disabled`, `hidden` and
 * `dataset` are set as properties; any other attribute is set as given.
 */
export function h(tag, attributes = {}, ...children) {
  const element = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (name === 'text') {
      element.textContent = value;
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (['value', 'checked', 'disabled', 'hidden', 'selected', 'required', 'readOnly'].includes(name)) {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside a node. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A table with a header row; `rows` are arrays of cells, or {cells, onclick, id}. */
export function table(headers, rows, emptyText = 'Nothing yet.') {
  if (rows.length === 0) return h('p', { class: 'muted', text: emptyText });
  return h('table', {},
    h('thead', {}, h('tr', {}, headers.map(title => h('th', { text: title })))),
    h('tbody', {}, rows.map(row => {
      const cells = Array.isArray(row) ? row : row.cells;
      return h('tr', {
        class: row.onclick ? 'clickable' : null, onclick: row.onclick, 'data-id': row.id,
      }, cells.map(cell => h('td', {}, cell)));
    })));
}

/** A definition list of label → value pairs (values may be nodes). */
export function facts(pairs) {
  return h('dl', { class: 'kv' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .flatMap(([label, value]) => [h('dt', { text: label }), h('dd', {}, value)]));
}

export function badge(text, kind = text) {
  return h('span', { class: ['badge', kind], text });
}

export function short(hash, length = 12) {
  if (!hash) return '';
  const text = String(hash);
  return h('span', { class: 'mono', title: text, text: text.length > length + 1 ? text.slice(0, length) + '…' : text });
}

export function time(value) {
  if (!value) return '';
  const date = new Date(value);
  return h('time', { datetime: value, title: value, text: isNaN(date) ? value : date.toLocaleString() });
}

export function json(value) {
  return h('pre', { text: JSON.stringify(value, null, 2) });
}

/** A transient message in the corner (notifications). */
export function toast(...content) {
  const box = h('div', { class: 'toast', role: 'status' }, content);
  document.getElementById('toasts').append(box);
  setTimeout(() => box.remove(), 20000);
  return box;
}
