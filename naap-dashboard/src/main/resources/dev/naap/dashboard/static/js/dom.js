/** Builds an element: h('a', {href: '#', class: 'x'}, 'text', child). Null children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** A titled panel with an optional CSV link and note, holding `body`. */
export function panel({title, csv, note}, ...body) {
  return h(
    'section',
    {class: 'panel', 'aria-label': title},
    h('div', {class: 'panel-head'}, h('h2', {}, title), csv ? csvLink(csv, title) : null),
    note ? h('p', {class: 'panel-note'}, note) : null,
    ...body
  );
}

/** A link that downloads the API's CSV behind a table or chart. */
function csvLink(href, title) {
  const file =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') + '.csv';
  return h(
    'a',
    {class: 'csv', href, download: file, 'aria-label': `Download CSV: ${title}`},
    'Download CSV'
  );
}

/** Rows as a CSV data URL with the columns `keys`: for what no single API request returns as shown. */
export function csvData(rows, keys) {
  // Text a spreadsheet would run as a formula gets a leading ' (as the API's CSV does): names
  // come from Kafka producers. Numbers, negative ones too, stay numbers.
  const defused = v => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v));
  const quote = v => {
    if (v === null || v === undefined) {
      return '';
    }
    const s = defused(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [keys, ...rows.map(r => keys.map(k => r[k]))].map(line =>
    line.map(quote).join(',')
  );
  return 'data:text/csv;charset=utf-8,' + encodeURIComponent(lines.join('\n') + '\n');
}
