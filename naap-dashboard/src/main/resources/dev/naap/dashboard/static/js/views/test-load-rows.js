/*
 * The load tests' rows combined for the Test Load Results view: how evenly the rotation spread
 * the tests, failures by error class, each test as a point in time, and the change from the
 * previous 7 days. Counts are exact; nothing measured is null, never 0.
 */
import {h} from '../dom.js';
import {text} from '../format.js';
import {groupBy} from '../rows.js';

/** A change larger than this, either way, is flagged. */
export const CHANGE_FLAGGED = 0.2;

/**
 * Per pipeline: how many orchestrators were tested and the fewest and most tests any of them got;
 * the rotation is fair when these are equal (or one apart while a run is under way).
 */
export function fairness(coverage) {
  // Batch tests are not pinned (empty orchestrator): the gateway chose, so there is no rotation.
  return groupBy(
    coverage.filter(r => r.orchestrator),
    ['pipeline']
  ).map(({key, rows}) => {
    const tests = rows.map(r => r.tests);
    const fewest = Math.min(...tests);
    const most = Math.max(...tests);
    return {
      pipeline: key.pipeline,
      orchestrators: rows.length,
      fewest_tests: fewest,
      most_tests: most,
      spread: most - fewest,
      fair: most - fewest <= 1
    };
  });
}

/** A "fair"/"uneven" badge for a fairness row. */
export function fairBadge(row) {
  return h(
    'span',
    {class: `badge ${row.fair ? 'yes' : 'no'}`, dataset: {fair: String(row.fair)}},
    row.fair ? 'fair' : 'uneven'
  );
}

/** Tests by outcome and error class, the most frequent first, with an example of the gateway's words. */
export function byErrorClass(results) {
  return groupBy(results, ['outcome', 'error_class'])
    .map(({key, rows}) => ({
      ...key,
      tests: rows.length,
      share: rows.length / results.length,
      last_started_at: rows
        .map(r => r.started_at)
        .sort()
        .at(-1),
      example: rows.find(r => r.error_message)?.error_message ?? ''
    }))
    .sort((a, b) => b.tests - a.tests);
}

/**
 * Each test as a point of a chart over time: x its start (unix seconds, ascending), one series per
 * spec, null where the test did not measure it.
 */
export function perTest(results, specs) {
  const ordered = [...results].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at));
  return {
    x: ordered.map(r => Date.parse(r.started_at) / 1000),
    series: specs.map(({name, column}) => ({
      label: name,
      values: ordered.map(r => r[column] ?? null)
    }))
  };
}

/**
 * The coverage rows with the same orchestrator × pipeline's medians over the 7 days before the
 * range beside them, and the relative change of each (null without a baseline).
 */
export function withBaseline(coverage, baseline, columns) {
  const before = new Map(baseline.map(r => [`${r.orchestrator}\n${r.pipeline}`, r]));
  return coverage.map(r => {
    const previous = before.get(`${r.orchestrator}\n${r.pipeline}`);
    const out = {...r};
    for (const c of columns) {
      const base = previous?.[c] ?? null;
      out[`${c}_baseline`] = base;
      out[`${c}_change`] = base && r[c] !== null && r[c] !== undefined ? r[c] / base - 1 : null;
    }
    return out;
  });
}

/**
 * A change from the baseline as "+35 %", flagged beyond ±20 %; `higherIsBetter` says which
 * direction is the good one (FPS) and which the bad one (latency).
 */
export function changeCell(change, higherIsBetter) {
  if (change === null) return null;
  const amount = `${change > 0 ? '+' : '−'}${text('x_rate', Math.abs(change))}`;
  if (Math.abs(change) <= CHANGE_FLAGGED) return amount;
  const worse = change > 0 !== higherIsBetter;
  return h(
    'span',
    {
      class: `badge ${worse ? 'no' : 'yes'}`,
      dataset: {flagged: worse ? 'worse' : 'better'},
      title: `Changed by more than ${CHANGE_FLAGGED * 100} % from the previous 7 days`
    },
    `${change > 0 ? '▲' : '▼'} ${amount}`
  );
}
