/* Live: the sessions in flight now, straight from the events (not the rollups), refreshed with one
   request as often as the visitor's quota allows, and paused while the tab is hidden. */
import {csvUrl, refreshSeconds} from '../api.js';
import {table} from '../components/table.js';
import {h} from '../dom.js';
import {heading, orchestratorLink} from './common.js';

export const TITLE = 'Live';
/**
 * How often the view refreshes itself (main.js) unless auto-refresh is off, or less often: each
 * poll is a new answer (its seconds_since_request), counted against the visitor's quota.
 */
export const REFRESH_SECONDS = 5;

const LIVE_FILTERS = ['orchestrator', 'pipeline', 'gateway'];

export async function render({state, api, link, remember}) {
  const params = new URLSearchParams({limit: '1000'});
  for (const f of LIVE_FILTERS) for (const v of state.filters[f]) params.append(f, v);
  const url = `v1/streams/live?${params}`;
  const envelope = await api.get(url);
  const totals = envelope.meta.totals;
  // As main.js paces this render: one request.
  const every = refreshSeconds(REFRESH_SECONDS, 1, api.rateLimit);
  const count = (title, byKey, key) =>
    table({
      title,
      csv: null,
      rows: Object.entries(byKey).map(([k, v]) => ({[key]: k, sessions: v})),
      columns: [key, 'sessions'],
      sort: '-sessions'
    });

  return [
    h('h1', {}, TITLE),
    h(
      'p',
      {class: 'lede'},
      `Sessions in flight at ${envelope.meta.as_of.slice(11, 19)} UTC: a trace, status or ingest ` +
        `event in the last ${envelope.meta.idle_seconds} s and none that ends them. ` +
        (state.refresh === 'off'
          ? 'Auto-refresh is off.'
          : `Refreshed every ${every} s while the tab is shown.`)
    ),
    h(
      'p',
      {class: 'headline', dataset: {liveSessions: String(totals.sessions)}},
      h('strong', {}, String(totals.sessions)),
      totals.sessions === 1 ? ' session live' : ' sessions live',
      totals.truncated ? ' (only the newest are listed)' : ''
    ),
    h(
      'div',
      {class: 'grid'},
      count('Live sessions by pipeline', totals.by_pipeline, 'pipeline'),
      count('Live sessions by gateway', totals.by_gateway, 'gateway')
    ),
    table({
      title: 'Sessions in flight',
      rows: envelope.data,
      csv: csvUrl(url),
      columns: [
        'stream_id',
        'pipeline',
        'gateway',
        {key: 'orchestrator_address', cell: r => orchestratorLink(link, r.orchestrator_address)},
        'gpu_id',
        'state',
        'output_fps',
        'seconds_since_request',
        'startup_ms',
        'swaps'
      ],
      sort: state.sort || '-seconds_since_request',
      search: state.q,
      onState: ({sort, search}) => remember({sort, q: search})
    })
  ];
}
