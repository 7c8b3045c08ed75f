/* GPU Metrics: by GPU model and pipeline, and by GPU — FPS distribution, PTFF, jitter, failures,
   and which models sustain 20+ FPS per pipeline. */
import {apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h} from '../dom.js';
import {series, sum, weightedMean} from '../rows.js';
import {gpuLink, heading, orchestratorLink} from './common.js';
import {NOTE, SUSTAINED_COLUMN, SUSTAINED_FPS} from './gpu-summary.js';

export const TITLE = 'GPU metrics';

const METRICS = [
  'segments',
  'output_fps_mean',
  'output_fps_p05',
  'output_fps_p50',
  'output_fps_p95',
  'ptff_ms_p95',
  'orchestrator_startup_ms_p95',
  'selection_wait_ms_p95',
  'jitter_coefficient_mean',
  'failure_rate',
  'gpu_attribution_rate'
];

export async function render({state, api, link, remember}) {
  // The charts are bucket by bucket; the tables and the distribution are the whole range, which
  // the API merges exactly (granularity=all), quantiles included.
  const whole = by => apiUrl('gpu/metrics', state, {group_by: by, granularity: 'all', limit: 1000});
  const urls = {
    models: apiUrl('gpu/metrics', state, {group_by: 'gpu_model,pipeline', limit: 1000}),
    modelTotals: whole('gpu_model,pipeline'),
    distribution: whole('gpu_model'),
    gpus: whole('gpu_id,gpu_model,orchestrator')
  };
  const [models, modelTotals, distribution, gpus] = await Promise.all(
    [urls.models, urls.modelTotals, urls.distribution, urls.gpus].map(url => api.all(url))
  );
  const modelRows = models.rows.map(r => ({
    ...r,
    model_pipeline: `${r.gpu_model || 'unknown model'} · ${r.pipeline || 'unknown pipeline'}`
  }));

  return [
    ...heading(
      TITLE,
      'Output FPS, prompt to first frame, jitter and failures of each GPU model and GPU.',
      state
    ),
    table({
      title: `GPU models by pipeline (sustains ${SUSTAINED_FPS}+ FPS?)`,
      csv: csvUrl(urls.modelTotals),
      note: NOTE,
      rows: modelTotals.rows,
      columns: ['gpu_model', 'pipeline', SUSTAINED_COLUMN, ...METRICS],
      sort: '-output_fps_mean'
    }),
    h(
      'div',
      {class: 'grid'},
      chart({
        title: 'Output FPS p50 by GPU model and pipeline',
        column: 'output_fps_p50',
        csv: csvUrl(urls.models),
        meta: models.meta,
        data: series(modelRows, {
          seriesKey: 'model_pipeline',
          value: weightedMean('output_fps_p50', 'fps_samples'),
          rank: sum('fps_samples')
        })
      }),
      chart({
        title: 'Output FPS p5 by GPU model and pipeline',
        column: 'output_fps_p05',
        csv: csvUrl(urls.models),
        meta: models.meta,
        data: series(modelRows, {
          seriesKey: 'model_pipeline',
          value: weightedMean('output_fps_p05', 'fps_samples'),
          rank: sum('fps_samples')
        })
      }),
      chart({
        title: 'Prompt to first frame p95 by GPU model',
        column: 'ptff_ms_p95',
        csv: csvUrl(urls.models),
        meta: models.meta,
        data: series(modelRows, {
          seriesKey: 'model_pipeline',
          value: weightedMean('ptff_ms_p95', 'ptff_samples'),
          rank: sum('segments')
        })
      }),
      chart({
        title: 'FPS distribution by GPU model (p5 / p50 / p95)',
        column: 'output_fps_p50',
        csv: csvUrl(urls.distribution),
        style: 'dots',
        ...fpsDistribution(distribution.rows)
      })
    ),
    table({
      title: 'GPUs',
      csv: csvUrl(urls.gpus),
      note: NOTE + ' A GPU opens its own page.',
      rows: gpus.rows,
      columns: [
        {key: 'gpu_id', cell: r => gpuLink(link, r.gpu_id)},
        'gpu_model',
        {key: 'orchestrator_address', cell: r => orchestratorLink(link, r.orchestrator_address)},
        SUSTAINED_COLUMN,
        ...METRICS
      ],
      sort: state.sort || '-output_fps_mean',
      search: state.q,
      onState: ({sort, search}) => remember({sort, q: search})
    })
  ];
}

/** Dots of p5, p50 and p95 per GPU model over the whole range (a row each), highest median first. */
function fpsDistribution(rows) {
  const models = [...rows].sort((a, b) => (b.output_fps_p50 ?? -1) - (a.output_fps_p50 ?? -1));
  return {
    categories: models.map(m => m.gpu_model || 'unknown'),
    data: {
      x: models.map((_, i) => i),
      series: ['output_fps_p05', 'output_fps_p50', 'output_fps_p95'].map(c => ({
        label: {output_fps_p05: 'p5', output_fps_p50: 'p50', output_fps_p95: 'p95'}[c],
        values: models.map(m => m[c])
      }))
    }
  };
}
