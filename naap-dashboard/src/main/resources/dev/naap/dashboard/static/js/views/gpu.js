/* One GPU: its FPS distribution, PTFF and failures over time, bucket by bucket. */
import {apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h} from '../dom.js';
import {measures, only} from '../rows.js';
import {heading, orchestratorLink} from './common.js';

export const TITLE = 'GPU';

export async function render({state, api, link}) {
  // The table has a row per bucket and pipeline, region and gateway; the charts one per bucket,
  // whose quantiles the API merges over all of the GPU's samples in it.
  const url = apiUrl('gpu/metrics', state, {gpu_id: state.id, limit: 1000});
  const perBucketUrl = apiUrl('gpu/metrics', state, {
    gpu_id: state.id,
    group_by: 'gpu_id',
    limit: 1000
  });
  const [{rows}, perBucket] = await Promise.all([api.all(url), api.all(perBucketUrl)]);
  const csv = csvUrl(url);
  const chartCsv = csvUrl(perBucketUrl);
  const buckets = perBucket.rows;
  const crumbs = h(
    'p',
    {class: 'crumbs'},
    h('a', {href: link({view: 'gpus', id: null})}, '← All GPUs')
  );
  const about = rows[0]
    ? `${rows[0].gpu_model || 'A GPU of unknown model'}, bucket by bucket.`
    : 'One GPU, bucket by bucket.';
  return [
    ...heading(`GPU ${state.id}`, about, state, crumbs),
    rows[0]
      ? h('p', {}, 'On orchestrator ', orchestratorLink(link, rows[0].orchestrator_address))
      : null,
    h(
      'div',
      {class: 'grid'},
      chart({
        title: 'Output FPS p5 / p50 / p95',
        column: 'output_fps_p50',
        csv: chartCsv,
        meta: perBucket.meta,
        data: measures(buckets, [
          {name: 'p5', value: only('output_fps_p05')},
          {name: 'p50', value: only('output_fps_p50')},
          {name: 'p95', value: only('output_fps_p95')}
        ])
      }),
      chart({
        title: 'Prompt to first frame p50 / p95',
        column: 'ptff_ms_p95',
        csv: chartCsv,
        meta: perBucket.meta,
        data: measures(buckets, [
          {name: 'p50', value: only('ptff_ms_p50')},
          {name: 'p95', value: only('ptff_ms_p95')}
        ])
      }),
      chart({
        title: 'Failure rate',
        column: 'failure_rate',
        csv: chartCsv,
        meta: perBucket.meta,
        data: measures(buckets, [{name: 'Failure rate', value: only('failure_rate')}])
      }),
      chart({
        title: 'Segments per bucket',
        column: 'segments',
        csv: chartCsv,
        meta: perBucket.meta,
        data: measures(buckets, [
          {name: 'Segments', value: only('segments')},
          {name: 'Failed', value: only('failed_segments')}
        ])
      })
    ),
    table({
      title: 'Buckets',
      rows,
      csv,
      sort: '-window_start',
      columns: [
        'window_start',
        'pipeline',
        'region',
        'segments',
        'fps_samples',
        'fps_share_20plus',
        'output_fps_mean',
        'output_fps_p05',
        'output_fps_p50',
        'output_fps_p95',
        'ptff_ms_p50',
        'ptff_ms_p95',
        'jitter_coefficient_mean',
        'failure_rate',
        'bandwidth_up_kbps_mean',
        'bandwidth_down_kbps_mean'
      ]
    })
  ];
}
