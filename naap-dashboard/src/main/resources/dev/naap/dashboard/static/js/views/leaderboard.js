/* Leaderboard: per pipeline, the orchestrators' nodes ranked by score (docs/METRICS.md,
   "Orchestrator score") with discovery's hard filters, one discovery request per pipeline; a row
   expands to its reliability breakdown. "Unavailable" (NaaP could not compute: the store or the
   scrape failed) is kept apart from "no data" (the orchestrator served nothing in the range). */
import {ApiError, apiUrl, capability, csvUrl, discoverUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {csvData, h, panel} from '../dom.js';
import {label, short, text} from '../format.js';
import {BOUNDS} from '../state.js';
import {heading, orchestratorLink, scoped} from './common.js';

export const TITLE = 'Leaderboard';

const COLUMNS = [
  'rank',
  'signer',
  'score',
  'segments',
  'reliability',
  'quality',
  'output_fps_mean',
  'orchestrator_startup_ms_mean',
  'price',
  'gpu_models',
  'vram_gb_max',
  'region',
  'recent_work',
  'last_seen',
  'address',
  'breakdown'
];
/* What a row's breakdown shows: each rate beside the count it rests on. */
const BREAKDOWN = [
  ['startup_success_rate', 'startup_attempts'],
  ['swap_rate', 'segments'],
  ['lost_after_swap_rate', 'swapped_segments'],
  ['orchestrator_failure_rate', 'segments'],
  ['excused_failure_rate', 'segments'],
  ['degraded_rate', 'fps_compared_hours']
];
const COUNTS = [
  'failed_segments',
  'failed_orchestrator',
  'failed_client_gone',
  'failed_no_capacity',
  'sessions_lost_after_swap',
  'degraded_hours'
];
const BOUND_LABELS = {
  min_score: 'Min score',
  min_fps: 'Min FPS',
  max_startup_ms: 'Max startup (ms)',
  max_price: 'Max price (wei/pixel)',
  min_vram_gb: 'Min VRAM (GB)'
};

export async function render({state, api, link, remember, navigate}) {
  const lede =
    'Orchestrators ranked by their score, 0–100, with its 95 % band and the segments it rests on.';
  const head = heading(TITLE, lede, state);
  const form = boundsForm(state, navigate);
  if (!state.filters.pipeline.length) return [...head, form, await pipelines(state, api, link)];
  const boards = await Promise.all(
    state.filters.pipeline.map(p => board(p, state, api, link, remember))
  );
  return [...head, form, ...boards.flat()];
}

/** The hard filters of discovery that the filter bar has no field for; Apply puts them in the URL. */
function boundsForm(state, navigate) {
  const inputs = BOUNDS.map(b =>
    h(
      'label',
      {},
      BOUND_LABELS[b],
      h('input', {
        name: b,
        type: 'number',
        min: '0',
        step: 'any',
        inputmode: 'decimal',
        value: state.bounds[b] ?? ''
      })
    )
  );
  const form = h(
    'form',
    {class: 'bounds', 'aria-label': 'Leaderboard filters', dataset: {bounds: ''}},
    ...inputs,
    h('button', {type: 'submit'}, 'Apply')
  );
  form.addEventListener('submit', e => {
    e.preventDefault();
    const bounds = {};
    for (const b of BOUNDS) {
      const v = form.elements[b].value.trim();
      if (v !== '' && Number.isFinite(Number(v)) && Number(v) >= 0) bounds[b] = String(Number(v));
    }
    navigate({bounds, open: ''});
  });
  return panel(
    {
      title: 'Hard filters',
      note:
        'The pipeline, GPU model and region come from the filter bar (region: ' +
        'the orchestrator’s scraped region); a node without the number asked about fails its filter.'
    },
    form
  );
}

/** No pipeline chosen: the pipelines with scores over the range, each opening its leaderboard (one request). */
async function pipelines(state, api, link) {
  const url = apiUrl('scores', state, {sort: '-score', limit: 1000, granularity: null});
  const {rows} = await api.all(url);
  const byPipeline = new Map();
  for (const r of rows) {
    const p = byPipeline.get(r.pipeline) ?? {
      pipeline: r.pipeline,
      orchestrators: 0,
      scored: 0,
      best_score: null,
      best: null
    };
    p.orchestrators++;
    if (typeof r.score === 'number') {
      p.scored++;
      if (p.best_score === null || r.score > p.best_score)
        Object.assign(p, {best_score: r.score, best: r.orchestrator_address});
    }
    byPipeline.set(r.pipeline, p);
  }
  return table({
    title: 'Choose a pipeline',
    rows: [...byPipeline.values()],
    csv: csvUrl(url),
    note: 'A leaderboard ranks the orchestrators of one pipeline against that pipeline’s network: choose one.',
    columns: [
      {
        key: 'pipeline',
        // Segments whose pipeline no event named: counted, but no leaderboard to open.
        cell: r =>
          !r.pipeline
            ? 'unknown'
            : h(
                'a',
                {
                  href: link({
                    view: 'leaderboard',
                    filters: {...state.filters, pipeline: [r.pipeline]}
                  }),
                  dataset: {pipeline: r.pipeline}
                },
                r.pipeline
              )
      },
      {key: 'orchestrators', label: 'Orchestrators with segments'},
      {key: 'scored', label: 'Scored'},
      {
        key: 'best_score',
        label: 'Best score',
        numeric: true,
        cell: r => text('score', r.best_score)
      },
      {key: 'best', label: 'Best orchestrator', cell: r => orchestratorLink(link, r.best)}
    ]
  });
}

/** One pipeline's leaderboard: a table and a chart from one discovery request. */
async function board(pipeline, state, api, link, remember) {
  const url = discoverUrl(state, pipeline);
  const title = `${pipeline}: orchestrators by score`;
  let envelope;
  try {
    envelope = await api.get(url);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 429 || error.status < 500)) throw error;
    return [unavailable(title, `the API could not compute the scores (${error.message})`)];
  }
  const meta = envelope.meta ?? {};
  if (meta.fallback) {
    return [
      unavailable(
        title,
        'the store did not answer and no earlier answer is kept; these are the operator’s ' +
          'fallback nodes, not ranked',
        envelope.data
      )
    ];
  }
  const wanted = state.filters.orchestrator;
  // Ranked before the orchestrator filter: a node keeps its place among all of discovery's nodes.
  const rows = envelope.data
    .map((r, i) => ({rank: i + 1, ...r}))
    .filter(r => !wanted.length || wanted.includes(r.signer));
  if (!rows.length) return [await empty(title, pipeline, state, api, url)];
  const stale = meta.stale
    ? h(
        'strong',
        {class: 'unavailable', dataset: {stale: String(meta.stale_age_seconds)}},
        `Unavailable now: the store did not answer; these are the scores of ${meta.stale_age_seconds} s ago. `
      )
    : null;
  const scored = rows.filter(r => typeof r.score === 'number');
  return [
    leaderTable(
      title,
      rows,
      state,
      link,
      remember,
      api,
      pipeline,
      wanted.length ? null : csvUrl(url),
      [
        stale,
        `Capability ${capability(pipeline)}: the nodes a gateway ` +
          'saw advertise it in the hour before the end, best first. Nodes of one orchestrator share its score. ' +
          'Expand a row for its reliability breakdown.'
      ]
    ),
    chart({
      title: `${pipeline}: score by node`,
      column: 'score',
      csv: wanted.length ? null : csvUrl(url),
      data: {
        x: scored.map((_, i) => i),
        series: [{label: 'Score', values: scored.map(r => r.score)}]
      },
      categories: scored.map(r => `${r.rank}. ${short(r.signer)}`)
    })
  ];
}

function leaderTable(title, rows, state, link, remember, api, pipeline, csv, note) {
  const columns = COLUMNS.map(c => {
    switch (c) {
      case 'rank':
        return {key: c, numeric: true};
      case 'signer':
        return {key: c, cell: r => orchestratorLink(link, r.signer)};
      case 'score':
        return {key: c, numeric: true, cell: scoreCell};
      case 'address':
        return {key: c, cell: r => h('span', {class: 'mono'}, r.address)};
      case 'breakdown':
        return {
          key: c,
          label: 'Breakdown',
          numeric: false,
          cell: r =>
            r.signer
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'expand',
                    'aria-expanded': 'false',
                    dataset: {signer: r.signer},
                    onclick: e => toggle(e.currentTarget, r, state, api, pipeline, remember)
                  },
                  'Show'
                )
              : null
        };
      default:
        return c;
    }
  });
  const element = table({
    title,
    rows,
    columns,
    note,
    csv:
      csv ??
      csvData(
        rows,
        COLUMNS.filter(c => c !== 'breakdown')
      ),
    sort: state.sort || 'rank',
    search: state.q,
    onState: ({sort, search}) => remember({sort, q: search})
  });
  if (state.open)
    element.querySelector(`button.expand[data-signer="${CSS.escape(state.open)}"]`)?.click();
  return element;
}

/** The score with its band; a null score says whether it is no data or unavailable. */
function scoreCell(r) {
  if (typeof r.score === 'number') {
    return h(
      'span',
      {
        dataset: {availability: 'scored'},
        title:
          `95 % band ${text('score', r.score_low)}–${text('score', r.score_high)}` +
          ` over ${r.segments} segments`
      },
      text('score', r.score),
      h('span', {class: 'band'}, ` (${text('score', r.score_low)}–${text('score', r.score_high)})`)
    );
  }
  if (r.score_null_reason === 'no_segments') {
    return h(
      'span',
      {
        class: 'nodata',
        dataset: {availability: 'no-data'},
        title: 'It served no segment of this pipeline in the range'
      },
      'no data'
    );
  }
  return h(
    'span',
    {
      class: 'unavailable',
      dataset: {availability: 'unavailable'},
      title: reason(r.score_null_reason)
    },
    'unavailable'
  );
}

function reason(code) {
  return (
    {
      no_cohort_quality:
        'The pipeline’s network had no output to compare with, so no score could be computed',
      fallback: 'The store did not answer: a fallback node, not scored'
    }[code] ?? `Not computed: ${code}`
  );
}

/** Shows (or hides) the reliability breakdown of a row's orchestrator, from /v1/reliability. */
async function toggle(button, row, state, api, pipeline, remember) {
  const tr = button.closest('tr');
  const next = tr.nextElementSibling;
  if (next?.classList.contains('breakdown')) {
    next.remove();
    button.setAttribute('aria-expanded', 'false');
    button.textContent = 'Show';
    remember({open: ''});
    return;
  }
  const cell = h(
    'td',
    {colspan: String(tr.children.length)},
    h('p', {class: 'loading'}, 'Loading the breakdown…')
  );
  tr.after(h('tr', {class: 'breakdown', dataset: {breakdown: row.signer}}, cell));
  button.setAttribute('aria-expanded', 'true');
  button.textContent = 'Hide';
  remember({open: row.signer});
  const url = apiUrl(
    'reliability',
    scoped(scoped(state, 'orchestrator', row.signer), 'pipeline', pipeline),
    {group_by: 'orchestrator,pipeline', granularity: null, gateway: null, region: null, limit: 10}
  );
  try {
    const {data} = await api.get(url);
    cell.replaceChildren(breakdown(data[0], csvUrl(url)));
  } catch (error) {
    cell.replaceChildren(
      h(
        'p',
        {class: 'unavailable', dataset: {availability: 'unavailable'}},
        `Unavailable: the breakdown could not be computed (${error.message}).`
      )
    );
  }
}

function breakdown(r, csv) {
  if (!r)
    return h(
      'p',
      {class: 'nodata', dataset: {availability: 'no-data'}},
      'No data: no segment in this range.'
    );
  const item = (name, value) => [
    h('dt', {}, label(name)),
    h(
      'dd',
      {dataset: {col: name, value: value ?? ''}},
      text(name, value) ?? h('span', {class: 'nodata'}, 'no data')
    )
  ];
  return h(
    'div',
    {class: 'breakdown-body'},
    h(
      'dl',
      {class: 'figures'},
      BREAKDOWN.flatMap(([rate, n]) => [
        h('dt', {}, label(rate)),
        h(
          'dd',
          {dataset: {col: rate, value: r[rate] ?? ''}},
          text(rate, r[rate]) ?? h('span', {class: 'nodata'}, 'no data'),
          h('span', {class: 'band'}, ` of ${text(n, r[n]) ?? 0} ${label(n).toLowerCase()}`)
        )
      ])
    ),
    h(
      'dl',
      {class: 'figures'},
      COUNTS.flatMap(c => item(c, r[c]))
    ),
    h('a', {class: 'csv', href: csv, download: 'reliability-breakdown.csv'}, 'Download CSV')
  );
}

/** No node: the filters removed them all, or nothing advertised the pipeline although it served work. */
async function empty(title, pipeline, state, api, url) {
  const filtered =
    Object.keys(state.bounds).length ||
    state.filters.gpu_model.length ||
    state.filters.region.length ||
    state.filters.orchestrator.length;
  if (filtered) {
    return panel(
      {title, csv: csvUrl(url)},
      h(
        'div',
        {class: 'table-empty', dataset: {nodata: ''}},
        'No orchestrator passes these filters.'
      )
    );
  }
  // Work without advertising nodes means the capability snapshots are missing, not the orchestrators.
  const {data} = await api.get(
    apiUrl('scores', scoped(state, 'pipeline', pipeline), {limit: 1, granularity: null})
  );
  if (data.length) {
    return unavailable(
      title,
      `orchestrators served ${pipeline} in the range, but no gateway capability snapshot ` +
        `of the hour before the end named a node advertising ${capability(pipeline)} (the scraper or the ` +
        'gateways’ capability reports failed)'
    );
  }
  return panel(
    {title, csv: csvUrl(url)},
    h(
      'div',
      {class: 'table-empty', dataset: {nodata: ''}},
      `No data: no node advertised ${capability(pipeline)} and nothing was served in the range.`
    )
  );
}

/** What NaaP could not compute, said as such (never as no data), with any rows it still has. */
function unavailable(title, why, rows = []) {
  const message = h(
    'p',
    {class: 'unavailable', role: 'status', dataset: {availability: 'unavailable'}},
    `Unavailable: ${why}.`
  );
  if (!rows.length) return panel({title}, message);
  return panel(
    {title},
    message,
    table({
      title: `${title} (fallback)`,
      rows,
      csv: null,
      columns: [
        {key: 'address', cell: r => h('span', {class: 'mono'}, r.address)},
        {key: 'score', numeric: true, cell: scoreCell}
      ]
    })
  );
}
