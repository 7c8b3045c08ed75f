/*
 * Whole-range numbers from per-bucket GPU rows. Counts, the mean FPS and the failure rate are exact,
 * so is the mean jitter coefficient; quantiles cannot be merged, so over several buckets p5/p50/p95
 * and PTFF p95 are the means of each bucket's value weighted by its samples — marked ≈ where shown.
 */
import {h} from '../dom.js';
import {min, ratio, sum, weightedMean} from '../rows.js';

export const SUSTAINED_FPS = 20;

/** Segments whose GPU resolved (reported, capabilities or metadata) / segments; null without segments. */
function attributionRate(rows) {
  const segments = sum('segments')(rows);
  if (!segments) return null;
  return rows.reduce((n, r) => n + (r.gpu_reported ?? 0) + (r.gpu_capabilities ?? 0) + (r.gpu_metadata ?? 0), 0) / segments;
}

export const AGGREGATES = {
  segments: sum('segments'),
  fps_samples: sum('fps_samples'),
  output_fps_mean: weightedMean('output_fps_mean', 'fps_samples'),
  output_fps_p05: weightedMean('output_fps_p05', 'fps_samples'),
  output_fps_p50: weightedMean('output_fps_p50', 'fps_samples'),
  output_fps_p95: weightedMean('output_fps_p95', 'fps_samples'),
  ptff_ms_p95: weightedMean('ptff_ms_p95', 'ptff_samples'),
  orchestrator_startup_ms_p95: weightedMean('orchestrator_startup_ms_p95', 'startup_samples'),
  selection_wait_ms_p95: weightedMean('selection_wait_ms_p95', 'selection_wait_samples'),
  gpu_attribution_rate: attributionRate,
  jitter_coefficient_mean: weightedMean('jitter_coefficient_mean', 'jitter_samples'),
  failure_rate: ratio('failed_segments', 'segments'),
  lowest_p50: min('output_fps_p50'),
};

export const APPROXIMATE = {output_fps_p05: '≈ FPS p5', output_fps_p50: '≈ FPS p50', output_fps_p95: '≈ FPS p95',
  ptff_ms_p95: '≈ PTFF p95', orchestrator_startup_ms_p95: '≈ Startup p95', selection_wait_ms_p95: '≈ Selection wait p95'};

/** Whether the median output FPS of every bucket with samples was at least 20: it sustains 20+ FPS. */
export function sustained(row) {
  if (row.lowest_p50 === null) return null;
  const yes = row.lowest_p50 >= SUSTAINED_FPS;
  return h('span', {class: `badge ${yes ? 'yes' : 'no'}`, dataset: {sustained: String(yes)}}, yes ? 'yes' : 'no');
}

export const NOTE = `Over several buckets, ≈ columns are each bucket's value averaged with its samples as weights; `
    + `segments, mean FPS, jitter and failure rate are exact. “Sustains ${SUSTAINED_FPS}+ FPS”: the median of every bucket is `
    + `at least ${SUSTAINED_FPS}. Per-bucket values are in the CSV.`;
