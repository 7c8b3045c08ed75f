/*
 * Tables: sortable by any column (null always last), optionally searchable, the first rows shown
 * until the visitor asks for all. Each cell keeps the API's raw value in data-value, so what is
 * shown can be checked against the API.
 */
import {csvData, h, panel} from '../dom.js';
import {kindOf, label, text} from '../format.js';

let tableCount = 0;
const FIRST_ROWS = 50;

/**
 * A table panel. `columns` are API column names or {key, label, cell(row) → Node|string|null,
 * numeric}. `sort` ('col' or '-col') and `search` are the initial state; `onState({sort, search})`
 * hears changes (the URL keeps them).
 */
export function table({
  title,
  rows,
  columns,
  csv,
  note,
  sort = '',
  search = null,
  onState = () => {}
}) {
  const specs = columns
    .map(c => (typeof c === 'string' ? {key: c} : c))
    .map(c => ({
      label: label(c.key),
      numeric:
        !['plain', 'time'].includes(kindOf(c.key)) || rows.some(r => typeof r[c.key] === 'number'),
      ...c
    }));
  if (!rows.length) {
    return panel(
      {title, csv, note},
      h(
        'div',
        {class: 'table-empty', dataset: {nodata: ''}},
        'No data for this range and these filters'
      )
    );
  }
  const state = {sort, search: search ?? '', all: false};
  const id = `table-${++tableCount}`;
  const body = h('tbody');
  const count = h('span', {'aria-live': 'polite'});
  const more = h('button', {
    type: 'button',
    class: 'more',
    onclick: () => {
      state.all = true;
      update();
    }
  });
  const headers = specs.map(spec =>
    h(
      'th',
      {scope: 'col', class: spec.numeric ? 'num' : null, dataset: {col: spec.key}},
      h('button', {type: 'button', onclick: () => sortBy(spec)}, spec.label)
    )
  );

  function sortBy(spec) {
    const current = state.sort.replace(/^-/, '');
    const descending = current === spec.key ? !state.sort.startsWith('-') : spec.numeric;
    state.sort = (descending ? '-' : '') + spec.key;
    changed();
  }

  function update() {
    const key = state.sort.replace(/^-/, '');
    const direction = state.sort.startsWith('-') ? -1 : 1;
    headers.forEach((th, i) =>
      th.setAttribute(
        'aria-sort',
        specs[i].key === key ? (direction < 0 ? 'descending' : 'ascending') : 'none'
      )
    );
    const needle = state.search.trim().toLowerCase();
    const shown = rows
      .filter(
        r =>
          !needle ||
          Object.values(r).some(v => typeof v === 'string' && v.toLowerCase().includes(needle))
      )
      .sort((a, b) => (key ? compare(a[key], b[key], direction) : 0));
    const visible = state.all ? shown : shown.slice(0, FIRST_ROWS);
    body.replaceChildren(
      ...visible.map(r =>
        h(
          'tr',
          {},
          specs.map(spec => cell(spec, r))
        )
      )
    );
    count.textContent = needle ? `${shown.length} of ${rows.length} rows` : `${rows.length} rows`;
    more.hidden = visible.length === shown.length;
    more.textContent = `Show all ${shown.length} rows`;
  }

  function changed() {
    update();
    onState({sort: state.sort, search: state.search});
  }

  const tools =
    search === null
      ? null
      : h(
          'div',
          {class: 'table-tools'},
          h('label', {for: id + '-search'}, 'Search '),
          h('input', {
            id: id + '-search',
            type: 'search',
            value: state.search,
            placeholder: 'address, model, region…',
            oninput: e => {
              state.search = e.target.value;
              changed();
            }
          }),
          count
        );
  const element = panel(
    {
      title,
      csv:
        csv ??
        csvData(
          rows,
          specs.map(s => s.key)
        ),
      note
    },
    tools,
    h(
      'div',
      {class: 'table-scroll'},
      h('table', {id, dataset: {table: title}}, h('thead', {}, h('tr', {}, headers)), body)
    ),
    more
  );
  update();
  return element;
}

function cell(spec, row) {
  const raw = row[spec.key];
  const content = spec.cell ? spec.cell(row) : text(spec.key, raw);
  return h(
    'td',
    {
      class: spec.numeric ? 'num' : null,
      dataset: {
        col: spec.key,
        value:
          raw === null || raw === undefined
            ? ''
            : typeof raw === 'object'
              ? JSON.stringify(raw)
              : String(raw)
      }
    },
    content === null || content === undefined ? noData() : content
  );
}

function noData() {
  return h('span', {class: 'nodata'}, 'no data');
}

function compare(a, b, direction) {
  const missingA = a === null || a === undefined;
  const missingB = b === null || b === undefined;
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * direction;
  return String(a).localeCompare(String(b)) * direction;
}
