/* Network Demand: sessions requested by gateway, pipeline and region; unmet demand; supply,
   utilisation and peak concurrency. */
import {DEMAND_ONLY, apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h} from '../dom.js';
import {max, only, ratio, series, sum, summarise} from '../rows.js';
import {demandNote, heading} from './common.js';

export const TITLE = 'Network demand';

const TOTALS = {
  sessions_requested: sum('sessions_requested'),
  sessions_started: sum('sessions_started'),
  sessions_no_orchestrator: sum('sessions_no_orchestrator'),
  unmet_rate: ratio('sessions_no_orchestrator', 'sessions_requested'),
  stream_minutes: sum('stream_minutes'),
  peak_concurrent_streams: max('peak_concurrent_streams')
};
const TOTAL_COLUMNS = Object.keys(TOTALS).map(c =>
  c === 'unmet_rate' ? {key: c, label: 'Unmet share'} : c
);

export async function render({state, api}) {
  const url = by => apiUrl('network/demand', state, {...DEMAND_ONLY, group_by: by, limit: 1000});
  const urls = {gateway: url('gateway'), pipeline: url('pipeline'), region: url('region')};
  const [gateways, pipelines, regions] = await Promise.all([
    api.all(urls.gateway),
    api.all(urls.pipeline),
    api.all(urls.region)
  ]);
  const requested = (rows, key) => series(rows, {seriesKey: key, value: sum('sessions_requested')});
  const perPipeline = column =>
    series(pipelines.rows, {
      seriesKey: 'pipeline',
      value: only(column),
      rank: sum('sessions_requested')
    });

  return [
    ...heading(
      TITLE,
      'How many streams were asked for, how many found an orchestrator, and how busy supply was.',
      state
    ),
    demandNote(state) ? h('p', {class: 'notice', role: 'note'}, demandNote(state)) : null,
    h(
      'div',
      {class: 'grid'},
      chart({
        title: 'Sessions requested by gateway',
        column: 'sessions_requested',
        csv: csvUrl(urls.gateway),
        meta: gateways.meta,
        data: requested(gateways.rows, 'gateway')
      }),
      chart({
        title: 'Sessions requested by pipeline',
        column: 'sessions_requested',
        csv: csvUrl(urls.pipeline),
        meta: pipelines.meta,
        data: requested(pipelines.rows, 'pipeline')
      }),
      chart({
        title: 'Sessions requested by region',
        column: 'sessions_requested',
        csv: csvUrl(urls.region),
        meta: regions.meta,
        data: requested(regions.rows, 'region')
      }),
      chart({
        title: 'Unmet demand: no orchestrator available, by pipeline',
        column: 'sessions_no_orchestrator',
        csv: csvUrl(urls.pipeline),
        meta: pipelines.meta,
        data: series(pipelines.rows, {
          seriesKey: 'pipeline',
          value: sum('sessions_no_orchestrator'),
          rank: sum('sessions_requested')
        })
      }),
      chart({
        title: 'Utilisation of supply by pipeline',
        column: 'utilisation',
        csv: csvUrl(urls.pipeline),
        meta: pipelines.meta,
        data: perPipeline('utilisation')
      }),
      chart({
        title: 'Capacity in use by pipeline',
        column: 'capacity_in_use',
        csv: csvUrl(urls.pipeline),
        meta: pipelines.meta,
        data: perPipeline('capacity_in_use')
      }),
      chart({
        title: 'Idle capacity by pipeline',
        column: 'capacity_idle',
        csv: csvUrl(urls.pipeline),
        meta: pipelines.meta,
        data: perPipeline('capacity_idle')
      }),
      chart({
        title: 'Peak concurrent streams by pipeline',
        column: 'peak_concurrent_streams',
        csv: csvUrl(urls.pipeline),
        meta: pipelines.meta,
        data: perPipeline('peak_concurrent_streams')
      })
    ),
    h(
      'div',
      {class: 'grid'},
      table({
        title: 'Demand by pipeline',
        rows: summarise(pipelines.rows, ['pipeline'], TOTALS),
        csv: csvUrl(urls.pipeline),
        columns: ['pipeline', ...TOTAL_COLUMNS],
        sort: '-sessions_requested',
        note: 'Peak concurrent: the highest of any bucket.'
      }),
      table({
        title: 'Demand by gateway',
        rows: summarise(gateways.rows, ['gateway'], TOTALS),
        csv: csvUrl(urls.gateway),
        columns: ['gateway', ...TOTAL_COLUMNS],
        sort: '-sessions_requested'
      }),
      table({
        title: 'Demand by region',
        rows: summarise(regions.rows, ['region'], TOTALS),
        csv: csvUrl(urls.region),
        columns: ['region', ...TOTAL_COLUMNS],
        sort: '-sessions_requested'
      })
    )
  ];
}
