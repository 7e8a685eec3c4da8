// A diagram of a blueprint's actions and routes as SVG: actions in columns by their distance
// from a starting action, routes as arrows (labelled with the route's id when it has a
// condition), rejections as dashed red arrows back to their target.
import { h } from './dom.js';

const W = 170, H = 54, GX = 110, GY = 50, PAD = 20, TOP = 50;

export function diagram(blueprint) {
  const actions = Array.isArray(blueprint.actions) ? blueprint.actions.filter(a => a && Number.isInteger(a.id)) : [];
  if (actions.length === 0) return h('p', { class: 'muted', text: 'No actions to draw.' });
  const byId = new Map(actions.map(a => [a.id, a]));
  const starts = actions.filter(a => a.isStartingAction === true);
  const level = levels(byId, starts.length ? starts : [actions[0]]);
  let maxLevel = Math.max(...level.values());
  for (const a of actions) if (!level.has(a.id)) level.set(a.id, ++maxLevel); // unreachable: drawn at the end
  const columns = new Map();
  for (const a of actions) {
    const l = level.get(a.id);
    if (!columns.has(l)) columns.set(l, []);
    columns.get(l).push(a);
  }
  const place = new Map();
  let height = 0;
  for (const [l, column] of columns) {
    column.forEach((a, row) => place.set(a.id, { x: PAD + l * (W + GX), y: TOP + row * (H + GY) }));
    height = Math.max(height, column.length);
  }
  const width = PAD * 2 + (maxLevel + 1) * (W + GX);
  const svgHeight = TOP + PAD + height * (H + GY);
  const svg = h('svg:svg', { viewBox: `0 0 ${width} ${svgHeight}`, width, height: svgHeight, role: 'img', 'aria-label': 'Actions and routes' });
  svg.append(h('svg:defs', {},
    marker('arrow', '#57606a'), marker('arrow-reject', '#cf222e')));
  const ends = [];
  for (const a of actions) {
    const from = place.get(a.id);
    for (const route of Array.isArray(a.routes) ? a.routes : []) {
      const next = Array.isArray(route.nextActionIds) ? route.nextActionIds : [];
      const label = route.condition ? route.id || 'if' : (route.isDefault ? '' : route.id || '');
      if (next.length === 0) ends.push({ from, label });
      for (const target of next) {
        if (place.has(target)) svg.append(edge(from, place.get(target), 'edge', label));
      }
    }
    const rejection = a.rejectionConfig;
    if (rejection && place.has(rejection.targetActionId)) {
      svg.append(edge(from, place.get(rejection.targetActionId), 'edge reject', rejection.isTerminal ? 'reject (ends)' : 'reject'));
    }
  }
  // a branch that ends: a short stub to a dot below and right of the action
  ends.forEach(({ from, label }) => {
    const x1 = from.x + W, y1 = from.y + H * 0.75, cx = from.x + W + 38, cy = from.y + H + 16;
    svg.append(h('svg:g', { class: 'end' },
      h('svg:path', { d: `M ${x1} ${y1} Q ${cx} ${y1}, ${cx} ${cy - 8}`, class: 'edge' }),
      h('svg:circle', { cx, cy, r: 6 }),
      label ? h('svg:text', { x: cx + 10, y: cy + 4, class: 'edge-label', text: clip(label, 16) }) : null));
  });
  for (const a of actions) {
    const { x, y } = place.get(a.id);
    svg.append(h('svg:g', { class: a.isStartingAction ? 'node start' : 'node', 'data-action': a.id },
      h('svg:rect', { x, y, width: W, height: H, rx: 6 }),
      h('svg:text', { x: x + 8, y: y + 20, text: clip(`${a.id}. ${a.title || ''}`, 26) }),
      h('svg:text', { x: x + 8, y: y + 40, class: 'edge-label', text: clip(`by ${a.sender || '?'}`, 28) })));
  }
  return h('div', { class: 'diagram', id: 'blueprint-diagram' }, svg);
}

/**
 * Each action's column: the longest way to it from a starting action, once the edges that close
 * a cycle (found by a depth-first walk) are left out, so that what follows is always further right.
 */
function levels(byId, starts) {
  const state = new Map(); // id → 'open' | 'done'
  const forward = new Map(); // id → successors without back edges
  const order = [];
  const visit = id => {
    state.set(id, 'open');
    const kept = [];
    for (const next of successors(byId.get(id))) {
      if (!byId.has(next) || state.get(next) === 'open') continue; // missing, or a back edge
      kept.push(next);
      if (!state.has(next)) visit(next);
    }
    forward.set(id, kept);
    state.set(id, 'done');
    order.push(id);
  };
  starts.forEach(a => { if (!state.has(a.id)) visit(a.id); });
  const level = new Map(starts.map(a => [a.id, 0]));
  for (const id of order.reverse()) { // topological order
    if (!level.has(id)) continue;
    for (const next of forward.get(id)) level.set(next, Math.max(level.get(next) ?? 0, level.get(id) + 1));
  }
  return level;
}

function successors(action) {
  if (!action) return [];
  const next = [];
  for (const route of Array.isArray(action.routes) ? action.routes : []) {
    if (Array.isArray(route.nextActionIds)) next.push(...route.nextActionIds);
  }
  return next;
}

function marker(id, color) {
  return h('svg:marker', { id, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    h('svg:path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: color }));
}

function edge(from, to, kind, label) {
  let d, lx, ly;
  if (to.x <= from.x) {
    // backwards (a loop or a rejection): an arc below the boxes
    const xa = from.x + W / 2, xb = to.x + W / 2, low = Math.max(from.y, to.y) + H + 26;
    d = `M ${xa} ${from.y + H} C ${xa} ${low}, ${xb} ${low}, ${xb} ${to.y + H}`;
    lx = (xa + xb) / 2;
    ly = low - 4;
  } else if (to.x - from.x > W + GX && to.y === from.y) {
    // over the actions in between: an arc above the row
    const xa = from.x + W / 2, xb = to.x + W / 2, high = from.y - 38;
    d = `M ${xa} ${from.y} C ${xa} ${high}, ${xb} ${high}, ${xb} ${to.y}`;
    lx = (xa + xb) / 2;
    ly = high + 4;
  } else {
    const x1 = from.x + W, y1 = from.y + H / 2, x2 = to.x, y2 = to.y + H / 2, mid = (x1 + x2) / 2;
    d = `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`;
    lx = mid;
    ly = (y1 + y2) / 2 - 5;
  }
  const g = h('svg:g', {}, h('svg:path', { d, class: kind, 'marker-end': kind.includes('reject') ? 'url(#arrow-reject)' : 'url(#arrow)' }));
  if (label) g.append(h('svg:text', { x: lx, y: ly, 'text-anchor': 'middle', class: 'edge-label', text: clip(label, 16) }));
  return g;
}

function clip(text, n) {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}
