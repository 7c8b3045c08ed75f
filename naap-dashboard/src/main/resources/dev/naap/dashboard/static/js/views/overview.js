/* Network Overview: headline numbers against the previous period, demand and quality over time,
   the best and worst orchestrators. */
import {DEMAND_ONLY, apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h} from '../dom.js';
import {kindOf, label, text} from '../format.js';
import {measures, only, pick, ratio, series, sum, weightedMean} from '../rows.js';
import {demandNote, heading, orchestratorLink} from './common.js';

export const TITLE = 'Network overview';

export async function render({state, api, link}) {
  const urls = {
    overview: apiUrl('network/overview', state, {granularity: null}),
    demand: apiUrl('network/demand', state, {...DEMAND_ONLY, group_by: 'pipeline', limit: 1000}),
    quality: apiUrl('gpu/metrics', state, {group_by: 'pipeline', limit: 1000}),
    orchestrators: apiUrl('orchestrators', state, {limit: 1000})
  };
  const [overview, demand, quality, orchestrators] = await Promise.all([
    api.get(urls.overview),
    api.all(urls.demand),
    api.all(urls.quality),
    api.all(urls.orchestrators)
  ]);

  const compliance = pick(orchestrators.rows, 'sla_compliance_rate', 'compliance_rate');
  const ranked = orchestrators.rows
    .filter(r => r[compliance] !== null && r[compliance] !== undefined)
    .sort((a, b) => b[compliance] - a[compliance]);
  const columns = [
    'orchestrator_address',
    compliance,
    'output_fps_mean',
    'ptff_ms_p95',
    'failure_rate',
    'sessions'
  ]
    .filter(c => orchestrators.rows.some(r => c in r))
    .map(c =>
      c === 'orchestrator_address' ? {key: c, cell: r => orchestratorLink(link, r[c])} : c
    );

  return [
    ...heading(
      TITLE,
      'How the Livepeer AI network served real-time AI video, beside the period just before.',
      state
    ),
    h('div', {class: 'cards', dataset: {headlines: ''}}, headlines(overview.data).map(card)),
    h(
      'div',
      {class: 'grid'},
      chart({
        title: 'Demand: sessions per bucket',
        column: 'sessions_requested',
        csv: csvUrl(urls.demand),
        meta: demand.meta,
        note: demandNote(state),
        data: measures(demand.rows, [
          {name: 'Requested', value: sum('sessions_requested')},
          {name: 'Started', value: sum('sessions_started')},
          {name: 'No orchestrator', value: sum('sessions_no_orchestrator')}
        ])
      }),
      chart({
        title: 'Output FPS by pipeline (mean over samples)',
        column: 'output_fps_mean',
        csv: csvUrl(urls.quality),
        meta: quality.meta,
        data: series(quality.rows, {
          seriesKey: 'pipeline',
          value: weightedMean('output_fps_mean', 'fps_samples'),
          rank: sum('fps_samples')
        })
      }),
      chart({
        title: 'Prompt to first frame, p95, by pipeline',
        column: 'ptff_ms_p95',
        csv: csvUrl(urls.quality),
        meta: quality.meta,
        data: series(quality.rows, {
          seriesKey: 'pipeline',
          value: only('ptff_ms_p95'),
          rank: sum('segments')
        })
      }),
      chart({
        title: 'Failure rate (failed / segments)',
        column: 'failure_rate',
        csv: csvUrl(urls.quality),
        meta: quality.meta,
        data: measures(quality.rows, [
          {name: 'All pipelines', value: ratio('failed_segments', 'segments')}
        ])
      })
    ),
    h(
      'div',
      {class: 'grid'},
      table({
        title: 'Top orchestrators by SLA compliance',
        rows: ranked.slice(0, 5),
        columns,
        csv: csvUrl(urls.orchestrators)
      }),
      table({
        title: 'Bottom orchestrators by SLA compliance',
        rows: ranked.slice(-5).reverse(),
        columns,
        csv: csvUrl(urls.orchestrators)
      })
    )
  ];
}

/** The API's headline numbers as a list, whether it sends a list or an object keyed by name. */
function headlines(data) {
  if (Array.isArray(data)) return data;
  return Object.entries(data ?? {}).map(([name, v]) => ({name, ...v}));
}

function card(headline) {
  const {name, value, previous} = headline;
  const count = headline.count ?? headline.sample_count;
  const previousCount = headline.previous_count ?? headline.previousCount;
  const column = columnFor(name, headline.unit);
  return h(
    'section',
    {class: 'card', dataset: {headline: name, value: value ?? ''}},
    h('h2', {}, label(name)),
    h('p', {class: 'value'}, text(column, value) ?? h('span', {class: 'nodata'}, 'no data')),
    h(
      'p',
      {class: 'compare'},
      'previous period: ',
      text(column, previous) ?? h('span', {class: 'nodata'}, 'no data'),
      ' ',
      delta(column, value, previous)
    ),
    count === undefined
      ? null
      : h(
          'p',
          {class: 'compare'},
          `n = ${text('count', count)}`,
          previousCount === undefined ? '' : ` (before: ${text('count', previousCount)})`
        )
  );
}

/** The column name whose format fits a headline, from its unit when the name does not tell. */
function columnFor(name, unit = '') {
  if (kindOf(name) !== 'plain') return name;
  if (/^ms$/.test(unit)) return 'x_ms';
  if (/ratio|%|fraction/.test(unit)) return 'x_rate';
  if (/fps|frames/.test(unit)) return 'x_fps';
  return name;
}

/**
 * The change from the previous period. From nothing (a previous 0 of a count, or a previous period
 * with no data) the number is new, never "no change"; percentages change in percentage points.
 */
function delta(column, value, previous) {
  if (value === null || value === undefined) return null;
  if (previous === null || previous === undefined) {
    return h(
      'span',
      {
        class: 'delta',
        dataset: {delta: 'unmeasured'},
        'aria-label': 'new: nothing measured in the previous period'
      },
      '(new)'
    );
  }
  const percentPoints = kindOf(column) === 'percent';
  if (!percentPoints && previous === 0) {
    return value === 0
      ? h('span', {class: 'delta', dataset: {delta: 'none'}}, '(no change)')
      : h(
          'span',
          {
            class: 'delta',
            dataset: {delta: 'new'},
            'aria-label': 'new: none in the previous period'
          },
          '▲ new'
        );
  }
  const change = percentPoints
    ? (value - previous) * 100
    : ((value - previous) / Math.abs(previous)) * 100;
  if (Math.abs(change) < 0.05)
    return h('span', {class: 'delta', dataset: {delta: 'none'}}, '(no change)');
  const direction = change > 0 ? 'up' : 'down';
  // No-break spaces: a narrow card wraps before the arrow, never inside "▼ −2.2 %".
  const amount = `${change > 0 ? '+' : '−'}${Math.abs(change).toFixed(1)}\u00a0${percentPoints ? 'pp' : '%'}`;
  return h(
    'span',
    {class: 'delta', dataset: {delta: direction}, 'aria-label': `${direction} ${amount}`},
    `${change > 0 ? '▲' : '▼'}\u00a0${amount}`
  );
}
