/* One orchestrator: its metadata, its numbers beside the network median, its GPUs, its time
   series and its SLA violations. */
import {ApiError, apiUrl, csvUrl, rangeUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h, panel} from '../dom.js';
import {label, text} from '../format.js';
import {measures, median, only, ratio, series, sum, weightedMean} from '../rows.js';
import {gpuLink, heading, jitterByOrchestrator, scoped} from './common.js';

export const TITLE = 'Orchestrator';

const METADATA = [
  'orchestrator_address',
  'service_uri',
  'nodes',
  'version',
  'metadata_region',
  'metadata_region_source',
  'gpu_count',
  'capacity',
  'price_per_unit',
  'pixels_per_unit',
  // scraper, or events when the scraper has no version of it (docs/METRICS.md)
  'metadata_source'
];
const PRICE_INFO = ['price_per_unit', 'pixels_per_unit'];
const COMPARED = [
  'sla_compliance_rate',
  'output_fps_mean',
  'ptff_ms_p95',
  'jitter_coefficient_mean',
  'failure_rate',
  'sessions',
  'segments'
];

export async function render({state, api, link}) {
  const address = state.id.toLowerCase();
  const network = scoped(state, 'orchestrator', null);
  const urls = {
    // The route takes the range alone: its history is the orchestrator's whole work.
    detail: apiUrl(`orchestrators/${encodeURIComponent(address)}`, unfiltered(state), {
      limit: 1000
    }),
    network: apiUrl('orchestrators', network, {limit: 1000}),
    sla: apiUrl('sla/compliance', scoped(state, 'orchestrator', address), {limit: 1000}),
    // Its advertised price per pipeline in force at the range's end, beside the network's median.
    prices: apiUrl('network/prices', scoped(state, 'orchestrator', address), {
      gpu_model: null,
      region: null,
      gateway: null,
      granularity: 'all',
      limit: 1000
    }),
    scores: rangeUrl(`orchestrators/${encodeURIComponent(address)}/scores`, state, {limit: 1000})
  };
  const crumbs = h(
    'p',
    {class: 'crumbs'},
    h('a', {href: link({view: 'orchestrators', id: null})}, '← All orchestrators')
  );
  const head = heading(
    `Orchestrator ${address}`,
    'One orchestrator, with the network median beside its numbers.',
    state,
    crumbs
  );
  const [detail, others, sla, jitter, scores, prices] = await Promise.all([
    api.get(urls.detail).catch(e => {
      if (e.status === 404) return null;
      throw e;
    }),
    api.all(urls.network),
    api.all(urls.sla),
    jitterByOrchestrator(api, network),
    // The score history is one chart: if it cannot be computed, the rest of the page still can.
    api.all(urls.scores, 3).catch(e => {
      if (e instanceof ApiError && e.status === 429) throw e;
      return {error: e};
    }),
    api.all(urls.prices)
  ]);
  if (!detail) {
    return [
      ...head,
      h(
        'div',
        {class: 'table-empty', dataset: {nodata: ''}},
        'No data: NaaP knows no orchestrator with this address.'
      )
    ];
  }
  const {metadata, gpus, history} = detail.data;
  const withJitter = r => ({
    ...r,
    jitter_coefficient_mean:
      jitter.byAddress.get(r.orchestrator_address)?.jitter_coefficient_mean ?? null
  });
  const mine = withJitter(metadata);
  // Orchestrators that served no segment in the range have no rates, and would make the median
  // of sessions and segments 0 wherever most known orchestrators are idle.
  const everyone = others.rows.filter(r => r.segments > 0).map(withJitter);
  const historyCsv = csvUrl(urls.detail);

  return [
    ...head,
    h(
      'div',
      {class: 'grid'},
      panel(
        {
          title: 'Metadata',
          csv: csvUrl(apiUrl('orchestrators', scoped(state, 'orchestrator', address)))
        },
        h(
          'dl',
          {class: 'meta'},
          // The transcoding price (price_info) only when set: AI orchestrators price per
          // pipeline (the Prices table), and a "no data" here would read as no price at all.
          METADATA.filter(
            k => k in metadata && !(PRICE_INFO.includes(k) && metadata[k] === null)
          ).flatMap(k => [
            h('dt', {}, label(k)),
            h(
              'dd',
              {dataset: {col: k}},
              text(k, metadata[k]) ?? h('span', {class: 'nodata'}, 'no data')
            )
          ])
        )
      ),
      table({
        title: 'Compared with the network median',
        csv: csvUrl(urls.network),
        note:
          'The median over every orchestrator that served segments in the range and matches ' +
          'the other filters.',
        rows: COMPARED.map(c => ({
          metric: label(c),
          column: c,
          value: mine[c] ?? null,
          median: median(everyone, c)
        })),
        columns: [
          'metric',
          {
            key: 'value',
            label: 'This orchestrator',
            numeric: true,
            cell: r => text(r.column, r.value)
          },
          {
            key: 'median',
            label: 'Network median',
            numeric: true,
            cell: r => text(r.column, r.median)
          }
        ]
      })
    ),
    table({
      title: 'GPUs',
      rows: gpus,
      csv: null,
      note: 'The GPUs of its latest scraped metadata and those its segments ran on.',
      columns: Object.keys(gpus[0] ?? {}).map(c =>
        c === 'gpu_id' ? {key: c, cell: r => gpuLink(link, r.gpu_id)} : c
      )
    }),
    table({
      title: 'Prices',
      rows: prices.rows,
      csv: csvUrl(urls.prices),
      note:
        'The price it advertises per pipeline, in force at the end of the range, beside the ' +
        'median of every orchestrator advertising that pipeline.',
      columns: [
        'pipeline',
        'wei_per_pixel',
        'wei_per_stream_minute',
        'network_wei_per_pixel_median',
        'price_vs_network'
      ],
      sort: 'pipeline'
    }),
    h(
      'div',
      {class: 'grid'},
      chart({
        title: 'Output FPS (mean over samples)',
        column: 'output_fps_mean',
        csv: historyCsv,
        meta: detail.meta,
        data: measures(history, [
          {name: 'Output FPS', value: weightedMean('output_fps_mean', 'fps_samples')}
        ])
      }),
      chart({
        title: 'Prompt to first frame p95',
        column: 'ptff_ms_p95',
        csv: historyCsv,
        meta: detail.meta,
        data: measures(history, [{name: 'PTFF p95', value: only('ptff_ms_p95')}])
      }),
      chart({
        title: 'Failure rate',
        column: 'failure_rate',
        csv: historyCsv,
        meta: detail.meta,
        data: measures(history, [
          {name: 'Failure rate', value: ratio('failed_segments', 'segments')}
        ])
      }),
      chart({
        title: 'Segments per bucket',
        column: 'segments',
        csv: historyCsv,
        meta: detail.meta,
        data: measures(history, [
          {name: 'Segments', value: sum('segments')},
          {name: 'Failed', value: sum('failed_segments')}
        ])
      })
    ),
    scoreHistory(scores, csvUrl(urls.scores), state),
    table({
      title: 'SLA compliance and violations',
      rows: sla.rows,
      csv: csvUrl(urls.sla),
      columns: Object.keys(sla.rows[0] ?? {}).filter(
        c => c !== 'orchestrator_address' && !c.startsWith('target_') && c !== 'objective'
      ),
      note: targets(sla.meta)
    })
  ];
}

/** The state without its filters. */
function unfiltered(state) {
  return {...state, filters: Object.fromEntries(Object.keys(state.filters).map(f => [f, []]))};
}

/**
 * The hourly score by pipeline (each hour scored alone, against the pipeline's network over the 7
 * days to the range's end); with one pipeline, its 95 % band beside it. Filters other than the
 * range do not apply: a score is per orchestrator × pipeline.
 */
function scoreHistory(scores, csv, state) {
  const title = 'Score per hour (0–100)';
  if (scores.error) {
    return panel(
      {title},
      h(
        'p',
        {class: 'unavailable', dataset: {availability: 'unavailable'}},
        `Unavailable: the score history could not be computed (${scores.error.message}).`
      )
    );
  }
  const wanted = state.filters.pipeline;
  const rows = scores.rows.filter(r => !wanted.length || wanted.includes(r.pipeline));
  const data = series(rows, {
    seriesKey: 'pipeline',
    value: b => b[0].score,
    rank: g => sum('segments')(g)
  });
  if (data.series.length === 1) {
    const band = series(rows, {name: 'band', value: b => b[0].score_low});
    const high = series(rows, {name: 'band', value: b => b[0].score_high});
    data.series.push(
      {label: '95 % band, low', values: band.series[0].values},
      {label: '95 % band, high', values: high.series[0].values}
    );
  }
  return chart({
    title,
    column: 'score',
    csv,
    meta: scores.meta,
    data,
    note:
      'Each hour with segments scored by itself against its pipeline’s network over the 7 days ' +
      'to the end of the range; an hour without segments is a gap (no data). The band is ' +
      'reliability’s 95 % interval.'
  });
}

/** The SLA targets in force, as the API states them in meta. */
function targets(meta) {
  const list = meta?.sla_targets ?? [];
  if (!list.length) return null;
  return (
    'Targets: ' +
    list
      .map(
        t =>
          `${t.pipeline === '*' ? 'default' : t.pipeline}: ` +
          `orchestrator startup ≤ ${text('startup_ms', t.orchestrator_startup_ms)}, ` +
          `FPS ≥ ${text('fps', t.fps)}, jitter ≤ ${text('jitter', t.jitter_coefficient)}, no failure, objective ${text('objective', t.objective)}; ` +
          `user-visible PTFF ≤ ${text('ptff_ms', t.ptff_ms)} is shown but not judged`
      )
      .join('; ') +
    '.'
  );
}
