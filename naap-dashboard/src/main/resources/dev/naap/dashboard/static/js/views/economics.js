/* Economics: the fees going to each pipeline, gateway and orchestrator (expected value of the
   tickets sent, exact in the API), the prices orchestrators advertise beside the network's median,
   the fee per stream-minute, and the capacity per model. */
import {apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h} from '../dom.js';
import {series, summarise, sum} from '../rows.js';
import {heading, orchestratorLink} from './common.js';

export const TITLE = 'Economics';

/* The API keeps wei and ETH exact, as decimal strings; charts and sums here read them as numbers. */
const eth = r => Number(r.expected_fees_eth ?? 0) + Number(r.computed_fees_eth ?? 0);
const withFees = rows =>
  rows.map(r => ({
    ...r,
    fees_eth: eth(r),
    fees_wei: Number(r.expected_fees_wei ?? 0) + Number(r.computed_fees_wei ?? 0)
  }));

const TOTALS = {
  fees_eth: sum('fees_eth'),
  payments: sum('payments'),
  signed_tickets: sum('signed_tickets'),
  tickets: sum('tickets'),
  paid_minutes: sum('paid_minutes'),
  billable_seconds: sum('billable_seconds'),
  // Wei per minute run to trillions: gwei reads better.
  fee_per_stream_minute_gwei: rows => {
    const minutes = (sum('paid_minutes')(rows) ?? 0) + (sum('billable_seconds')(rows) ?? 0) / 60;
    return minutes ? sum('fees_wei')(rows) / minutes / 1e9 : null;
  }
};
const TOTAL_COLUMNS = Object.keys(TOTALS);
const FEES_ONLY = {gpu_model: null, region: null};
const WHOLE_RANGE = {granularity: 'all'};

export async function render({state, api, link}) {
  const fees = (by, extra = {}) =>
    apiUrl('network/economics', state, {...FEES_ONLY, group_by: by, limit: 1000, ...extra});
  // The charts are bucket by bucket; the tables are totals, one row per group over the whole range
  // (granularity=all), which no number of buckets or orchestrators can cut short.
  const urls = {
    pipeline: fees('pipeline'),
    pipelineTotals: fees('pipeline', WHOLE_RANGE),
    gateway: fees('gateway'),
    orchestrator: fees('orchestrator', WHOLE_RANGE),
    prices: apiUrl('network/prices', state, {
      gpu_model: null,
      region: null,
      gateway: null,
      group_by: 'pipeline',
      limit: 1000
    }),
    capacity: apiUrl('network/capacity', state, {
      orchestrator: null,
      region: null,
      gateway: null,
      granularity: null,
      group_by: 'pipeline',
      limit: 1000
    })
  };
  const [pipelines, pipelineTotals, gateways, orchestrators, prices, capacity] = await Promise.all(
    [
      urls.pipeline,
      urls.pipelineTotals,
      urls.gateway,
      urls.orchestrator,
      urls.prices,
      urls.capacity
    ].map(u => api.all(u))
  );
  const byPipeline = withFees(pipelines.rows);
  const byGateway = withFees(gateways.rows);
  const byOrchestrator = summarise(withFees(orchestrators.rows), ['orchestrator_address'], TOTALS);
  const feesBy = (rows, key) =>
    series(rows, {seriesKey: key, value: sum('fees_eth'), rank: sum('fees_eth')});
  const latestPrices = latest(prices.rows);

  return [
    ...heading(
      TITLE,
      'The fees paid to orchestrators (the expected value of the tickets sent: a ticket is a lottery, ' +
        'winning tickets are redeemed on chain), the prices they advertise and the capacity they offer.',
      state
    ),
    h(
      'div',
      {class: 'grid'},
      chart({
        title: 'Fees by pipeline (ETH)',
        column: 'fees_eth',
        csv: csvUrl(urls.pipeline),
        meta: pipelines.meta,
        data: feesBy(byPipeline, 'pipeline')
      }),
      chart({
        title: 'Fees by gateway (ETH)',
        column: 'fees_eth',
        csv: csvUrl(urls.gateway),
        meta: gateways.meta,
        data: feesBy(byGateway, 'gateway')
      }),
      chart({
        title: 'Median price per model (wei/pixel), network',
        column: 'wei_per_pixel',
        csv: csvUrl(urls.prices),
        meta: prices.meta,
        data: series(prices.rows, {
          seriesKey: 'pipeline',
          value: rows => rows[0].network_wei_per_pixel_median
        })
      }),
      chart({
        title: 'Fee per stream-minute by pipeline (gwei)',
        column: 'fee_per_stream_minute_gwei',
        csv: csvUrl(urls.pipeline),
        meta: pipelines.meta,
        data: series(byPipeline, {
          seriesKey: 'pipeline',
          value: TOTALS.fee_per_stream_minute_gwei,
          rank: sum('fees_eth')
        })
      })
    ),
    h(
      'div',
      {class: 'grid'},
      table({
        title: 'Top earning orchestrators',
        rows: byOrchestrator,
        csv: csvUrl(urls.orchestrator),
        columns: [
          {key: 'orchestrator_address', cell: r => orchestratorLink(link, r.orchestrator_address)},
          ...TOTAL_COLUMNS
        ],
        sort: '-fees_eth',
        note: "Fees: expected value of the payments plus the remote signers' computed fees."
      }),
      table({
        title: 'Fees by pipeline',
        rows: summarise(withFees(pipelineTotals.rows), ['pipeline'], TOTALS),
        csv: csvUrl(urls.pipelineTotals),
        columns: ['pipeline', ...TOTAL_COLUMNS],
        sort: '-fees_eth'
      }),
      table({
        title: 'Prices per model, latest bucket',
        rows: latestPrices,
        csv: csvUrl(urls.prices),
        columns: [
          'pipeline',
          'orchestrators',
          'wei_per_pixel',
          'wei_per_pixel_min',
          'wei_per_pixel_p10',
          'wei_per_pixel_p90',
          'wei_per_pixel_max',
          'wei_per_stream_minute'
        ],
        sort: 'pipeline',
        note: 'Median (wei_per_pixel) and spread of the prices in force, per stream-minute at the billed 1280x720, 30 frames/s.'
      }),
      table({
        title: 'Capacity per model',
        rows: capacity.rows,
        csv: csvUrl(urls.capacity),
        columns: [
          'pipeline',
          'warm_orchestrators',
          'gpus',
          'slots',
          'slots_in_use',
          'available_slots',
          'available_slots_mean',
          'available_slots_stability'
        ],
        sort: '-slots',
        note: 'The latest capabilities snapshot of the range; mean and stability over all of its snapshots.'
      })
    )
  ];
}

/** The rows of the last bucket that has any. */
function latest(rows) {
  const last = rows
    .map(r => r.window_start)
    .sort()
    .at(-1);
  return rows.filter(r => r.window_start === last);
}
