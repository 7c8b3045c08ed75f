/* GPU Metrics: by GPU model and pipeline, and by GPU — FPS distribution, PTFF, jitter, failures,
   and which models sustain 20+ FPS per pipeline. */
import {apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h} from '../dom.js';
import {groupBy, series, sum, summarise, weightedMean} from '../rows.js';
import {gpuLink, heading, orchestratorLink} from './common.js';
import {AGGREGATES, APPROXIMATE, NOTE, SUSTAINED_FPS, sustained} from './gpu-summary.js';

export const TITLE = 'GPU metrics';

const METRICS = ['segments', 'output_fps_mean', 'output_fps_p05', 'output_fps_p50', 'output_fps_p95',
  'ptff_ms_p95', 'orchestrator_startup_ms_p95', 'selection_wait_ms_p95', 'jitter_coefficient_mean', 'failure_rate',
  'gpu_attribution_rate'];

export async function render({state, api, link, remember}) {
  const urls = {
    models: apiUrl('gpu/metrics', state, {group_by: 'gpu_model,pipeline', limit: 1000}),
    gpus: apiUrl('gpu/metrics', state, {granularity: '1d', limit: 1000}),
  };
  const [models, gpus] = await Promise.all([api.all(urls.models), api.all(urls.gpus)]);
  const modelRows = models.rows.map(r => ({...r, model_pipeline: `${r.gpu_model || 'unknown model'} · ${r.pipeline || 'unknown pipeline'}`}));
  const metricColumns = METRICS.map(c => APPROXIMATE[c] ? {key: c, label: APPROXIMATE[c]} : c);

  return [
    ...heading(TITLE, 'Output FPS, prompt to first frame, jitter and failures of each GPU model and GPU.', state),
    table({title: `GPU models by pipeline (sustains ${SUSTAINED_FPS}+ FPS?)`, csv: csvUrl(urls.models), note: NOTE,
      rows: summarise(models.rows, ['gpu_model', 'pipeline'], AGGREGATES),
      columns: ['gpu_model', 'pipeline', {key: 'lowest_p50', label: `Sustains ${SUSTAINED_FPS}+ FPS`, cell: sustained}, ...metricColumns],
      sort: '-output_fps_mean'}),
    h('div', {class: 'grid'},
      chart({title: 'Output FPS p50 by GPU model and pipeline', column: 'output_fps_p50', csv: csvUrl(urls.models),
        data: series(modelRows, {seriesKey: 'model_pipeline', value: weightedMean('output_fps_p50', 'fps_samples'), rank: sum('fps_samples')})}),
      chart({title: 'Output FPS p5 by GPU model and pipeline', column: 'output_fps_p05', csv: csvUrl(urls.models),
        data: series(modelRows, {seriesKey: 'model_pipeline', value: weightedMean('output_fps_p05', 'fps_samples'), rank: sum('fps_samples')})}),
      chart({title: 'Prompt to first frame p95 by GPU model', column: 'ptff_ms_p95', csv: csvUrl(urls.models),
        data: series(modelRows, {seriesKey: 'model_pipeline', value: weightedMean('ptff_ms_p95', 'ptff_samples'), rank: sum('segments')})}),
      chart({title: 'FPS distribution by GPU model (p5 / p50 / p95, ≈)', column: 'output_fps_p50', csv: csvUrl(urls.models),
        style: 'dots', ...distribution(models.rows)})),
    table({title: 'GPUs', csv: csvUrl(urls.gpus), note: NOTE + ' A GPU opens its own page.',
      rows: summarise(gpus.rows, ['gpu_id', 'gpu_model', 'orchestrator_address'], AGGREGATES),
      columns: [{key: 'gpu_id', cell: r => gpuLink(link, r.gpu_id)}, 'gpu_model',
        {key: 'orchestrator_address', cell: r => orchestratorLink(link, r.orchestrator_address)}, ...metricColumns],
      sort: state.sort || '-output_fps_mean', search: state.q, onState: ({sort, search}) => remember({sort, q: search})}),
  ];
}

/** Bars of p5, p50 and p95 per GPU model over the whole range. */
function distribution(rows) {
  const models = groupBy(rows, ['gpu_model']).map(g => ({model: g.key.gpu_model || 'unknown', ...summarise(g.rows, [], AGGREGATES)[0]}))
      .sort((a, b) => (b.output_fps_p50 ?? -1) - (a.output_fps_p50 ?? -1));
  return {
    categories: models.map(m => m.model),
    data: {x: models.map((_, i) => i), series: ['output_fps_p05', 'output_fps_p50', 'output_fps_p95'].map(c => ({
      label: {output_fps_p05: 'p5', output_fps_p50: 'p50', output_fps_p95: 'p95'}[c], values: models.map(m => m[c])}))},
  };
}
