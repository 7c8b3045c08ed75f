/* One orchestrator: its metadata, its numbers beside the network median, its GPUs, its time
   series and its SLA violations. */
import {apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h, panel} from '../dom.js';
import {label, text} from '../format.js';
import {flatten, measures, median, ratio, sum, weightedMean} from '../rows.js';
import {gpuLink, heading, scoped} from './common.js';

export const TITLE = 'Orchestrator';

const COMPARED = ['compliance_rate', 'sla_compliance', 'output_fps_mean', 'ptff_ms_p50', 'ptff_ms_p95',
  'jitter_coefficient_mean', 'failure_rate', 'sessions', 'segments'];

export async function render({state, api, link}) {
  const address = state.id;
  const own = scoped(state, 'orchestrator', address);
  const urls = {
    detail: apiUrl(`orchestrators/${encodeURIComponent(address)}`, own),
    network: apiUrl('orchestrators', scoped(state, 'orchestrator', null), {limit: 1000}),
    sla: apiUrl('sla/compliance', own, {limit: 1000}),
  };
  const [detail, network, sla] = await Promise.all([
    api.get(urls.detail).catch(e => { if (e.status === 404) return null; throw e; }),
    api.all(urls.network), api.all(urls.sla)]);
  const crumbs = h('p', {class: 'crumbs'}, h('a', {href: link({view: 'orchestrators', id: null})}, '← All orchestrators'));
  const head = heading(`Orchestrator ${address}`, 'One orchestrator, with the network median beside its numbers.', state, crumbs);
  if (!detail) {
    return [...head, h('div', {class: 'table-empty', dataset: {nodata: ''}}, 'No data: NaaP knows no orchestrator with this address.')];
  }
  const metadata = asRecord(detail.data.metadata);
  const gpus = detail.data.gpus ?? [];
  const history = detail.data.history ?? [];
  const mine = network.rows.find(r => r.orchestrator_address === address) ?? metadata;

  return [
    ...head,
    h('div', {class: 'grid'},
      panel({title: 'Metadata', csv: csvUrl(urls.detail)}, Object.keys(metadata).length
        ? h('dl', {class: 'meta'}, Object.entries(metadata).flatMap(([k, v]) =>
          [h('dt', {}, label(k)), h('dd', {dataset: {col: k}}, text(k, v) ?? h('span', {class: 'nodata'}, 'no data'))]))
        : h('div', {class: 'table-empty', dataset: {nodata: ''}}, 'No metadata scraped for this orchestrator')),
      table({title: 'Compared with the network median', csv: csvUrl(urls.network),
        note: 'The median over every orchestrator that matches the filters.',
        rows: COMPARED.filter(c => c in mine).map(c => ({metric: label(c), column: c, value: mine[c], median: median(network.rows, c)})),
        columns: ['metric', {key: 'value', label: 'This orchestrator', numeric: true, cell: r => text(r.column, r.value)},
          {key: 'median', label: 'Network median', numeric: true, cell: r => text(r.column, r.median)}]})),
    table({title: 'GPUs', rows: gpus, csv: csvUrl(urls.detail),
      columns: Object.keys(gpus[0] ?? {}).map(c => c === 'gpu_id' ? {key: c, cell: r => gpuLink(link, r.gpu_id)} : c)}),
    h('div', {class: 'grid'},
      chart({title: 'Output FPS (mean over samples)', column: 'output_fps_mean', csv: csvUrl(urls.detail),
        data: measures(history, [{name: 'Output FPS', value: weightedMean('output_fps_mean', 'fps_samples')}])}),
      chart({title: 'Failure rate', column: 'failure_rate', csv: csvUrl(urls.detail),
        data: measures(history, [{name: 'Failure rate', value: ratio('failed_segments', 'segments')}])}),
      chart({title: 'Segments per bucket', column: 'segments', csv: csvUrl(urls.detail),
        data: measures(history, [{name: 'Segments', value: sum('segments')}, {name: 'Failed', value: sum('failed_segments')}])})),
    table({title: 'SLA compliance and violations', rows: sla.rows.map(flatten), csv: csvUrl(urls.sla),
      columns: Object.keys(flatten(sla.rows[0] ?? {})).filter(c => c !== 'orchestrator_address'),
      note: 'Targets and objective: ' + targets(sla.meta)}),
  ];
}

/** Metadata as one record, whether the API sends an object, one row, or name/value rows. */
function asRecord(metadata) {
  if (!metadata) return {};
  if (!Array.isArray(metadata)) return metadata;
  if (metadata.length && 'name' in metadata[0] && 'value' in metadata[0]) {
    return Object.fromEntries(metadata.map(r => [r.name, r.value]));
  }
  return metadata[0] ?? {};
}

function targets(meta) {
  const found = meta?.targets ?? meta?.sla_targets ?? meta?.sla;
  if (!found) return 'as in docs/METRICS.md.';
  return JSON.stringify(found).replace(/[{}"[\]]/g, ' ').replace(/\s+/g, ' ').trim() + '.';
}
