/* Test Load Results: what the load tester measured on the orchestrators it streams to on a schedule —
   whether its rotation covered them fairly, every test, latencies over time, failures by class. */
import {csvUrl, testLoadUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {csvData, h} from '../dom.js';
import {text} from '../format.js';
import {median} from '../rows.js';
import {heading} from './common.js';
import {
  byErrorClass,
  changeCell,
  CHANGE_FLAGGED,
  fairBadge,
  fairness,
  perTest,
  withBaseline
} from './test-load-rows.js';

export const TITLE = 'Test load results';

const LIMIT = 1000;
const BASELINE_DAYS = 7;

const BOUNDS =
  'Startup and prompt change are upper bounds: go-livepeer reports a stream’s status every 10 s, so ' +
  'each exceeds the truth by up to one status period plus one poll interval. Prompt change runs from the prompt ' +
  'update to the first status showing the new prompt with output flowing; “prompt applied” estimates the update ' +
  'to the runner applying it. The first frame with the new prompt came between the two. Output FPS is the mean over ' +
  'the test’s status samples; FPS jitter is their standard deviation over the mean.';

const RESULT_COLUMNS = [
  'run_id',
  {key: 'orchestrator', cell: r => orchestrator(r.orchestrator)},
  'pipeline',
  'model',
  'dataset',
  {
    key: 'prompt',
    cell: r =>
      r.prompt
        ? h(
            'span',
            {title: r.prompt},
            r.prompt.length > 40 ? r.prompt.slice(0, 38) + '…' : r.prompt
          )
        : null
  },
  {key: 'started_at', label: 'Started'},
  'outcome',
  {key: 'error_class', label: 'Error class'},
  {key: 'startup_ms', label: 'Startup ≤'},
  {key: 'prompt_change_ms', label: 'Prompt change ≤'},
  {key: 'prompt_applied_ms', label: 'Prompt applied ≈'},
  {key: 'prompt_changes_sent', label: 'Changes sent'},
  {key: 'prompt_changes_seen', label: 'Changes seen'},
  {key: 'output_fps', label: 'Output FPS'},
  {key: 'fps_jitter', label: 'FPS jitter'},
  {key: 'status_samples', label: 'Status samples'},
  {key: 'latency_ms', label: 'Batch latency'},
  {key: 'error_message', label: 'Error message'},
  'test_id'
];

/* The quantiles compared with the previous 7 days, and whether more is better. */
const COMPARED = {
  startup_ms_p50: false,
  startup_ms_p95: false,
  prompt_change_ms_p50: false,
  prompt_change_ms_p95: false,
  output_fps_p50: true,
  output_fps_p05: true
};
const COMPARED_LABELS = {
  startup_ms_p50: 'Startup p50 ≤',
  startup_ms_p95: 'Startup p95 ≤',
  prompt_change_ms_p50: 'Prompt change p50 ≤',
  prompt_change_ms_p95: 'Prompt change p95 ≤',
  output_fps_p50: 'Output FPS p50',
  output_fps_p05: 'Output FPS p5'
};
export async function render({state, api, remember}) {
  // One request per table: the routes take every value of a filter (outcome: results only).
  const tested = {orchestrator: state.filters.orchestrator, pipeline: state.filters.pipeline};
  const urls = {
    results: testLoadUrl('results', state, {
      ...tested,
      outcome: state.outcome || null,
      limit: LIMIT
    }),
    coverage: testLoadUrl('coverage', state, tested),
    baseline: testLoadUrl('coverage', previousDays(state, BASELINE_DAYS), tested)
  };
  const [answer, coverageAnswer, baselineAnswer] = await Promise.all([
    api.all(urls.results),
    api.all(urls.coverage),
    api.all(urls.baseline)
  ]);

  const results = answer.rows;
  // The results CSV is the API's own when its first page holds every row shown.
  const resultsCsv = results.length <= LIMIT ? csvUrl(urls.results) : undefined;
  const coverage = withBaseline(coverageAnswer.rows, baselineAnswer.rows, Object.keys(COMPARED));
  const coverageCsv = csvUrl(urls.coverage);
  const rotation = fairness(coverage);
  const classes = byErrorClass(results);

  return [
    ...heading(
      TITLE,
      'What the load tester measured when it streamed to each orchestrator on a schedule.',
      applicable(state)
    ),
    h('p', {class: 'panel-note', dataset: {bounds: ''}}, BOUNDS),
    h(
      'div',
      {class: 'cards', dataset: {headlines: ''}},
      headlines(results, coverage, rotation).map(card)
    ),
    h(
      'div',
      {class: 'grid'},
      table({
        title: 'Rotation by pipeline',
        rows: rotation,
        note:
          'Fair: every orchestrator of the pipeline got the same number of tests, give or take one (a run under way or cut by the range). ' +
          'Tests not pinned to an orchestrator (batch) are left out.',
        columns: [
          'pipeline',
          {key: 'orchestrators', label: 'Orchestrators'},
          {key: 'fewest_tests', label: 'Fewest tests'},
          {key: 'most_tests', label: 'Most tests'},
          {key: 'fair', label: 'Rotation', cell: fairBadge}
        ]
      }),
      chart({
        title: 'Tests per orchestrator',
        column: 'tests',
        csv: coverageCsv,
        categories: coverage.map(r =>
          rotation.length > 1 ? `${host(r.orchestrator)} · ${r.pipeline}` : host(r.orchestrator)
        ),
        data: {
          x: coverage.map((_, i) => i),
          series: [{label: 'Tests', values: coverage.map(r => r.tests)}]
        }
      })
    ),
    table({
      title: 'Coverage: orchestrator × pipeline',
      rows: coverage,
      csv: coverageCsv,
      note:
        `Aborted tests are not counted and the outcome filter does not apply. Quantiles over the tests that measured them, ` +
        `beside the same quantiles over the ${BASELINE_DAYS} days before the range; changes over ${CHANGE_FLAGGED * 100} % are flagged.`,
      columns: [
        {key: 'orchestrator', cell: r => orchestrator(r.orchestrator)},
        'pipeline',
        'tests',
        'successes',
        {key: 'success_rate', label: 'Success rate'},
        ...Object.entries(COMPARED).flatMap(([c, higherIsBetter]) => [
          {key: c, label: COMPARED_LABELS[c]},
          {
            key: `${c}_baseline`,
            label: `Previous ${BASELINE_DAYS} days`,
            cell: r => text(c, r[`${c}_baseline`])
          },
          {
            key: `${c}_change`,
            label: 'Change',
            numeric: true,
            cell: r => changeCell(r[`${c}_change`], higherIsBetter)
          }
        ]),
        {key: 'last_tested_at', label: 'Last test'},
        {key: 'last_outcome', label: 'Last outcome'},
        {key: 'last_error_class', label: 'Last error class'}
      ]
    }),
    h(
      'div',
      {class: 'grid'},
      chart({
        title: 'Startup latency per test (upper bound)',
        column: 'startup_ms',
        csv: resultsCsv ?? perTestCsv(results),
        style: 'dots',
        data: perTest(results, [{name: 'Startup ≤', column: 'startup_ms'}])
      }),
      chart({
        title: 'Prompt change to first frame per test',
        column: 'prompt_change_ms',
        csv: resultsCsv ?? perTestCsv(results),
        style: 'dots',
        note: 'The first frame with the new prompt came between the estimate and the upper bound.',
        data: perTest(results, [
          {name: 'Upper bound', column: 'prompt_change_ms'},
          {name: 'Applied (estimate)', column: 'prompt_applied_ms'}
        ])
      }),
      chart({
        title: 'Output FPS per test',
        column: 'output_fps',
        csv: resultsCsv ?? perTestCsv(results),
        style: 'dots',
        data: perTest(results, [{name: 'Output FPS', column: 'output_fps'}])
      }),
      results.some(r => r.kind === 'batch')
        ? chart({
            title: 'Batch latency per test',
            column: 'latency_ms',
            csv: resultsCsv ?? perTestCsv(results),
            style: 'dots',
            data: perTest(results, [{name: 'Latency', column: 'latency_ms'}])
          })
        : null,
      chart({
        title: 'Tests by outcome and error class',
        column: 'tests',
        csv: csvData(classes, ['outcome', 'error_class', 'tests']),
        categories: classes.map(c =>
          c.outcome === 'success' ? 'success' : `${c.outcome}: ${c.error_class}`
        ),
        data: {
          x: classes.map((_, i) => i),
          series: [{label: 'Tests', values: classes.map(c => c.tests)}]
        }
      })
    ),
    table({
      title: 'Outcomes by error class',
      rows: classes,
      note: 'Error classes as docs/LOADTEST.md defines them; the example is the gateway’s or the tester’s words.',
      columns: [
        'outcome',
        {key: 'error_class', label: 'Error class'},
        'tests',
        {key: 'share', label: 'Share', cell: r => text('share_rate', r.share)},
        {key: 'last_started_at', label: 'Latest'},
        {key: 'example', label: 'Example message'}
      ]
    }),
    table({
      title: 'Tests',
      rows: results,
      csv: resultsCsv,
      columns: RESULT_COLUMNS,
      note: 'One row per test started in the range, newest first. A time with ≤ is an upper bound, ≈ an estimate (see above).',
      sort: state.sort,
      search: state.q,
      onState: ({sort, search}) => remember({sort, q: search})
    })
  ];
}

/** The state with only the filters the load tests take, for the heading. */
function applicable(state) {
  return {
    ...state,
    filters: {
      orchestrator: state.filters.orchestrator,
      pipeline: state.filters.pipeline,
      outcome: state.outcome ? [state.outcome] : []
    }
  };
}

/** The `days` days before the state's range, as a range of its own. */
function previousDays(state, days) {
  const minute = 60_000;
  const end = state.start
    ? Date.parse(state.start)
    : Math.ceil(Date.now() / minute) * minute - WINDOW_MS[state.window];
  const iso = ms => new Date(ms).toISOString().replace('.000Z', 'Z');
  return {start: iso(end - days * 86_400_000), end: iso(end)};
}

const WINDOW_MS = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000
};

function perTestCsv(results) {
  return csvData(results, [
    'test_id',
    'orchestrator',
    'pipeline',
    'started_at',
    'outcome',
    'startup_ms',
    'prompt_change_ms',
    'prompt_applied_ms',
    'output_fps',
    'latency_ms'
  ]);
}

function headlines(results, coverage, rotation) {
  const finished = results.filter(r => r.outcome !== 'aborted');
  const successes = finished.filter(r => r.outcome === 'success').length;
  const pinned = coverage.filter(r => r.orchestrator);
  return [
    {name: 'Tests', value: results.length ? text('tests', results.length) : null},
    {
      name: 'Success rate',
      value: finished.length ? text('success_rate', successes / finished.length) : null,
      detail: finished.length ? `${successes} of ${finished.length}, aborted excluded` : null
    },
    {
      name: 'Orchestrators tested',
      value: pinned.length
        ? text('orchestrators', new Set(pinned.map(r => r.orchestrator)).size)
        : null
    },
    {
      name: 'Tests per orchestrator',
      value: rotation.length
        ? rotation
            .map(r =>
              r.fewest_tests === r.most_tests
                ? `${r.most_tests}`
                : `${r.fewest_tests}–${r.most_tests}`
            )
            .join(' / ')
        : null,
      detail: rotation.length
        ? rotation.map(r => `${r.pipeline}: ${r.fair ? 'fair' : 'uneven'}`).join(', ')
        : null
    },
    {name: 'Startup p50 ≤', value: text('startup_ms', median(results, 'startup_ms'))},
    {
      name: 'Prompt change p50 ≤',
      value: text('prompt_change_ms', median(results, 'prompt_change_ms'))
    }
  ];
}

function card({name, value, detail}) {
  return h(
    'section',
    {class: 'card', dataset: {headline: name, value: value ?? ''}},
    h('h2', {}, name),
    h('p', {class: 'value'}, value ?? h('span', {class: 'nodata'}, 'no data')),
    detail ? h('p', {class: 'compare'}, detail) : null
  );
}

/** The orchestrator a test was pinned to, or the gateway's choice when it was not pinned. */
function orchestrator(uri) {
  return uri
    ? h('span', {class: 'mono', title: uri}, host(uri))
    : h('span', {class: 'nodata'}, 'gateway’s choice');
}

/** An orchestrator's host and port, without the scheme: shorter in tables and on chart axes. */
function host(uri) {
  return uri ? uri.replace(/^[a-z]+:\/\//, '') : 'gateway’s choice';
}
