// Where each value of a JSON text is: JSON Pointer → [start, end) offsets, so that a problem
// reported at a pointer can be shown at its place in the text. Returns null for text that is
// not JSON (JSON.parse then says where).

export function positions(text) {
  const found = new Map();
  let i = 0;
  const space = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const escape = token => token.replace(/~/g, '~0').replace(/\//g, '~1');
  function string() {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  }
  function value(pointer) {
    space();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          space();
          const key = string();
          space();
          i++; // ':'
          value(`${pointer}/${escape(key)}`);
          space();
          if (text[i++] === '}') break;
        }
      }
    } else if (c === '[') {
      i++;
      space();
      if (text[i] === ']') i++;
      else {
        for (let index = 0; ; index++) {
          value(`${pointer}/${index}`);
          space();
          if (text[i++] === ']') break;
        }
      }
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !',]} \t\n\r'.includes(text[i])) i++;
    }
    found.set(pointer, [start, i]);
  }
  try {
    JSON.parse(text);
  } catch (e) {
    return null;
  }
  value('');
  return found;
}

/** The line (from 1) an offset is on. */
export function lineOf(text, offset) {
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text[k] === '\n') line++;
  return line;
}

/** The closest enclosing pointer that has a position (a problem may name a member that is missing). */
export function nearest(map, pointer) {
  let p = pointer;
  while (p && !map.has(p)) p = p.slice(0, p.lastIndexOf('/'));
  return map.get(p) || map.get('');
}
