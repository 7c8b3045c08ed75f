/* Operations: NaaP's own health for its operators, from /v1/operations (its processes' heartbeats,
   docs/OPERATIONS.md) — whether every process is up, how fast events arrive and how far the
   numbers trail, errors and latency of the API, scraper and load tester health, GPU attribution.
   Each figure carries the alert threshold of deploy/prometheus/naap-alerts.yml that it is held to. */
import {table} from '../components/table.js';
import {h, panel} from '../dom.js';
import {ago, utc} from '../format.js';

export const TITLE = 'Operations';

export async function render({api}) {
  const {data} = await api.get('v1/operations');
  const {
    ingest = {},
    rollups = {},
    store = {},
    api: served = {},
    scraper = {},
    loadtest = {},
    network = {}
  } = data;
  const processes = data.processes ?? [];
  // A process that stopped on purpose (its last heartbeat says so) is neither up nor down.
  const running = processes.filter(p => !p.stopped);
  const stopped = processes.length - running.length;
  const freeRatio = ratio(store.disk_free_bytes, store.disk_total_bytes);
  // Parts the engine set aside as damaged: their rows are missing from every figure.
  const damaged = store.damaged_parts > 0;
  return [
    h('h1', {}, TITLE),
    h(
      'p',
      {class: 'lede'},
      'NaaP’s own health, from the heartbeats its processes write every 15 s: rates are over the ' +
        'last two heartbeats of each process (scrape runs and load tests per hour over the last ' +
        '15 minutes). Figures outside the alert thresholds are marked.'
    ),
    h(
      'div',
      {class: 'cards', dataset: {operations: ''}},
      card(
        'Processes up',
        `${running.filter(p => p.up).length} of ${running.length}`,
        running.length > 0 && running.every(p => p.up),
        'every process heartbeating' + (stopped ? `; ${stopped} stopped on purpose` : '')
      ),
      card('Events ingested', rate(ingest.events_per_second), null, 'per second'),
      card(
        'Consumer lag',
        count(ingest.consumer_lag),
        below(ingest.consumer_lag, 10000),
        'records waiting; alert if > 10 000 and growing'
      ),
      card(
        'Freshness',
        seconds(rollups.freshness_seconds),
        below(rollups.freshness_seconds, 300),
        'rollups trail the clock; objective < 5 min'
      ),
      card(
        'Refresh time',
        seconds(rollups.refresh_seconds_mean),
        below(rollups.refresh_seconds_mean, 30),
        'mean; alert if p95 > 30 s'
      ),
      card(
        'Store',
        store.up === undefined || store.up === null ? 'unknown' : store.up ? 'up' : 'DOWN',
        store.up === undefined || store.up === null ? null : store.up && !damaged,
        (freeRatio === null ? 'disk: unknown' : `disk ${percent(freeRatio)} free`) +
          (damaged ? `; ${count(store.damaged_parts)} damaged part(s) set aside` : '')
      ),
      card(
        'API latency p95',
        seconds(served.latency_p95_seconds),
        below(served.latency_p95_seconds, 1),
        '/v1 routes; alert if > 1 s'
      ),
      card(
        'API server errors',
        percent(served.server_error_ratio),
        below(served.server_error_ratio, 0.02),
        'of requests, 503 apart; alert if > 2 %'
      ),
      card(
        'API 503 / 429',
        `${rate(served.unavailable_per_second)} / ${rate(served.rate_limited_per_second)}`,
        null,
        'per second'
      ),
      card(
        'GPU attribution',
        percent(network.gpu_attribution_ratio),
        above(network.gpu_attribution_ratio, 0.8),
        'of the last hour’s segments; alert if < 80 %'
      ),
      card(
        'Unserved demand',
        percent(network.unserved_demand_ratio),
        below(network.unserved_demand_ratio, 0.1),
        'of the last hour’s requests; alert if > 10 %'
      ),
      card(
        'Load tester',
        loadtest.last_success ? `success ${ago(loadtest.last_success)}` : 'no success yet',
        loadtest.last_success ? Date.now() - Date.parse(loadtest.last_success) < 3600e3 : null,
        // A plan run ends once it has tested every orchestrator; its tests succeed before that.
        loadtest.last_run
          ? `last plan run ended ${ago(loadtest.last_run)}`
          : 'no plan run ended yet'
      )
    ),
    h(
      'div',
      {class: 'grid'},
      table({
        title: 'Processes',
        rows: processes,
        columns: [
          {key: 'component', label: 'Component'},
          {key: 'instance', label: 'Instance'},
          {
            key: 'last_seen',
            label: 'Last heartbeat',
            cell: r => `${utc(r.last_seen)} (${ago(r.last_seen)})`
          },
          {
            key: 'up',
            label: 'Up',
            cell: r =>
              r.up ? 'yes' : r.stopped ? 'stopped' : h('strong', {class: 'alerting'}, 'no')
          }
        ]
      }),
      table({
        title: 'Rejected messages, last hour',
        rows: data.rejects_last_hour ?? [],
        columns: [
          {key: 'reason', label: 'Reason'},
          {key: 'count', label: 'Messages'}
        ],
        note: 'Quarantined in rejected_events; docs/EVENTS.md says what each reason means.'
      }),
      table({
        title: 'Ingest by event family',
        rows: entries(ingest.events_per_second_by_family, 'family', 'per_second'),
        columns: [
          {key: 'family', label: 'Family'},
          {key: 'per_second', label: 'Events/s', cell: r => rate(r.per_second)}
        ]
      }),
      table({
        title: 'Scraper sources',
        rows: scraper.sources ?? [],
        columns: [
          {key: 'source', label: 'Gateway'},
          {
            key: 'up',
            label: 'Last scrape',
            cell: r => (r.up ? 'ok' : h('strong', {class: 'alerting'}, 'failed'))
          },
          {
            key: 'last_success',
            label: 'Last success',
            cell: r => (r.last_success ? ago(r.last_success) : 'never')
          }
        ]
      }),
      panel(
        {title: 'Load tests per hour, by outcome'},
        h(
          'dl',
          {class: 'figures'},
          entries(loadtest.tests_per_hour_by_outcome, 'outcome', 'n').flatMap(r => [
            h('dt', {}, r.outcome),
            h('dd', {}, count(r.n))
          ])
        )
      )
    )
  ];
}

/** A figure: its value, whether it is within its threshold (null: no threshold or unknown), a note. */
function card(title, value, ok, note) {
  return h(
    'section',
    {class: 'card', dataset: {figure: title, ok: ok === null ? '' : String(ok)}},
    h('h2', {}, title),
    h('p', {class: 'value'}, ok === false ? h('strong', {class: 'alerting'}, '⚠ ', value) : value),
    h('p', {class: 'compare'}, note)
  );
}

const known = v => v !== null && v !== undefined && Number.isFinite(v);
const below = (v, limit) => (known(v) ? v <= limit : null);
const above = (v, limit) => (known(v) ? v >= limit : null);
const ratio = (a, b) => (known(a) && known(b) && b > 0 ? a / b : null);
const percent = v => (known(v) ? `${(v * 100).toFixed(1)} %` : 'no data');
const rate = v =>
  known(v)
    ? v >= 100
      ? Math.round(v).toLocaleString('en')
      : v.toFixed(v >= 1 ? 1 : 3)
    : 'no data';
const count = v => (known(v) ? Math.round(v).toLocaleString('en') : 'no data');
const seconds = v =>
  known(v)
    ? v >= 120
      ? `${(v / 60).toFixed(1)} min`
      : `${v.toFixed(v >= 10 ? 0 : 2)} s`
    : 'no data';
const entries = (map, key, value) =>
  Object.entries(map ?? {}).map(([k, v]) => ({[key]: k, [value]: v}));
