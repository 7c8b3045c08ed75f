/* One GPU: its FPS distribution, PTFF and failures over time, bucket by bucket. */
import {apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h} from '../dom.js';
import {measures, ratio, sum, weightedMean} from '../rows.js';
import {heading, orchestratorLink} from './common.js';

export const TITLE = 'GPU';

export async function render({state, api, link}) {
  const url = apiUrl('gpu/metrics', state, {gpu_id: state.id, limit: 1000});
  const {rows} = await api.all(url);
  const csv = csvUrl(url);
  const fps = c => weightedMean(c, 'fps_samples');
  const crumbs = h('p', {class: 'crumbs'}, h('a', {href: link({view: 'gpus', id: null})}, '← All GPUs'));
  const about = rows[0] ? `${rows[0].gpu_model || 'A GPU of unknown model'}, bucket by bucket.` : 'One GPU, bucket by bucket.';
  return [
    ...heading(`GPU ${state.id}`, about, state, crumbs),
    rows[0] ? h('p', {}, 'On orchestrator ', orchestratorLink(link, rows[0].orchestrator_address)) : null,
    h('div', {class: 'grid'},
      chart({title: 'Output FPS p5 / p50 / p95', column: 'output_fps_p50', csv,
        data: measures(rows, [{name: 'p5', value: fps('output_fps_p05')}, {name: 'p50', value: fps('output_fps_p50')},
          {name: 'p95', value: fps('output_fps_p95')}])}),
      chart({title: 'Prompt to first frame p50 / p95', column: 'ptff_ms_p95', csv,
        data: measures(rows, [{name: 'p50', value: weightedMean('ptff_ms_p50', 'ptff_samples')},
          {name: 'p95', value: weightedMean('ptff_ms_p95', 'ptff_samples')}])}),
      chart({title: 'Failure rate', column: 'failure_rate', csv,
        data: measures(rows, [{name: 'Failure rate', value: ratio('failed_segments', 'segments')}])}),
      chart({title: 'Segments per bucket', column: 'segments', csv,
        data: measures(rows, [{name: 'Segments', value: sum('segments')}, {name: 'Failed', value: sum('failed_segments')}])})),
    table({title: 'Buckets', rows, csv, sort: '-window_start',
      columns: ['window_start', 'pipeline', 'region', 'segments', 'fps_samples', 'fps_share_20plus', 'output_fps_mean', 'output_fps_p05',
        'output_fps_p50', 'output_fps_p95', 'ptff_ms_p50', 'ptff_ms_p95', 'jitter_coefficient_mean', 'failure_rate',
        'bandwidth_up_kbps_mean', 'bandwidth_down_kbps_mean']}),
  ];
}
