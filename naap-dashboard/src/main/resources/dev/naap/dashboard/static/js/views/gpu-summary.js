/*
 * Whole-range numbers from per-bucket GPU rows. Counts, the mean FPS and the failure rate are exact,
 * so are the mean jitter coefficient and the share of time at 20+ FPS; quantiles cannot be merged,
 * so over several buckets p5/p50/p95 and PTFF p95 are the means of each bucket's value weighted by
 * its samples — marked ≈ where shown.
 */
import {h} from '../dom.js';
import {ratio, sum, weightedMean} from '../rows.js';
import {text} from '../format.js';

export const SUSTAINED_FPS = 20;
/* The verdict, from the share of FPS samples (each ~10 s of output) at 20+ FPS (docs/METRICS.md). */
export const SUSTAINED_SHARE = 0.95;
export const MOSTLY_SHARE = 0.5;

/**
 * sum(fps_samples_20plus) / sum(fps_samples); null with no samples, or when a row with samples has
 * no count (rollups computed before the count existed): a share of part of the samples would mislead.
 */
const share20 = rows => {
  if (rows.some(r => r.fps_samples > 0 && (r.fps_samples_20plus === null || r.fps_samples_20plus === undefined))) return null;
  return ratio('fps_samples_20plus', 'fps_samples')(rows);
};

/** Segments whose GPU resolved (reported, capabilities or metadata) / segments; null without segments. */
function attributionRate(rows) {
  const segments = sum('segments')(rows);
  if (!segments) return null;
  return rows.reduce((n, r) => n + (r.gpu_reported ?? 0) + (r.gpu_capabilities ?? 0) + (r.gpu_metadata ?? 0), 0) / segments;
}

export const AGGREGATES = {
  segments: sum('segments'),
  fps_samples: sum('fps_samples'),
  fps_share_20plus: share20,
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
};

export const APPROXIMATE = {output_fps_p05: '≈ FPS p5', output_fps_p50: '≈ FPS p50', output_fps_p95: '≈ FPS p95',
  ptff_ms_p95: '≈ PTFF p95', orchestrator_startup_ms_p95: '≈ Startup p95', selection_wait_ms_p95: '≈ Selection wait p95'};

/** "yes" at 95 % of the time or more at 20+ FPS, "mostly" from half of it, "no" below; with the share. */
export function verdict(share) {
  if (share === null || share === undefined) return null;
  return share >= SUSTAINED_SHARE ? 'yes' : share >= MOSTLY_SHARE ? 'mostly' : 'no';
}

/** The verdict of a summary row as a badge beside the share it rests on. */
export function sustained(row) {
  const answer = verdict(row.fps_share_20plus);
  if (answer === null) return null;
  return h('span', {class: 'sustained'},
    h('span', {class: `badge ${answer}`, dataset: {sustained: answer}}, answer), ' ',
    h('span', {class: 'share'}, text('fps_share_20plus', row.fps_share_20plus)));
}

/** The sortable column of the verdict: it sorts by the share. */
export const SUSTAINED_COLUMN = {key: 'fps_share_20plus', label: `Sustains ${SUSTAINED_FPS}+ FPS`, numeric: true, cell: sustained};

export const NOTE = `“Sustains ${SUSTAINED_FPS}+ FPS”: the share of the time (of FPS samples, each about 10 s of output) `
    + `at ${SUSTAINED_FPS} frames/s or more — yes from ${SUSTAINED_SHARE * 100} %, mostly from ${MOSTLY_SHARE * 100} %, no below. `
    + `Over several buckets, ≈ columns are each bucket's value averaged with its samples as weights; segments, mean FPS, `
    + `the share, jitter and failure rate are exact. Per-bucket values are in the CSV.`;
