/*
 * How values are shown. A null is "no data" everywhere, never 0: the API sends null where nothing
 * was measured. The kind of a value follows from its column name, as the API names them. Numbers
 * are rounded for reading by their unit (the API and its CSV keep full precision): ms and kbit/s
 * whole, FPS to 0.1, percentages to 0.1 (0.01 below 1 %, whole from 100 %), other decimals to
 * three significant places at most.
 */
const LABELS = {
  orchestrator_address: 'Orchestrator',
  gpu_id: 'GPU',
  gpu_model: 'GPU model',
  pipeline: 'Pipeline',
  region: 'Region',
  gateway: 'Gateway',
  window_start: 'Time (UTC)',
  segments: 'Segments',
  failed_segments: 'Failed segments',
  sessions: 'Sessions',
  output_fps_mean: 'Output FPS (mean)',
  output_fps_p05: 'FPS p5',
  output_fps_p50: 'FPS p50',
  output_fps_p95: 'FPS p95',
  fps_samples: 'FPS samples',
  ptff_ms_p50: 'PTFF p50',
  ptff_ms_p95: 'PTFF p95',
  jitter_coefficient_mean: 'Jitter coefficient',
  failure_rate: 'Failure rate',
  bandwidth_up_kbps_mean: 'Upload',
  bandwidth_down_kbps_mean: 'Download',
  sessions_requested: 'Requested',
  sessions_started: 'Started',
  sessions_no_orchestrator: 'No orchestrator',
  stream_minutes: 'Stream-minutes',
  peak_concurrent_streams: 'Peak concurrent',
  capacity_idle: 'Idle capacity',
  capacity_in_use: 'Capacity in use',
  utilisation: 'Utilisation',
  fps_samples_20plus: 'FPS samples at 20+',
  fps_share_20plus: 'Time at 20+ FPS',
  eligible_segments: 'Eligible segments',
  compliant_segments: 'Compliant segments',
  compliance_rate: 'SLA compliance',
  sla_compliance_rate: 'SLA compliance',
  error_budget_remaining: 'Error budget left',
  active_streams: 'Active streams',
  orchestrators: 'Orchestrators seen',
  gpus: 'GPUs seen',
  metadata_region: 'Region (metadata)',
  metadata_region_source: 'Region source',
  metadata_source: 'Metadata from',
  gpu_count: 'GPUs',
  service_uri: 'Service URI',
  nodes: 'Nodes',
  price_per_unit: 'Price per unit (wei)',
  pixels_per_unit: 'Pixels per unit',
  memory_bytes: 'Memory',
  ptff_samples: 'PTFF samples',
  jitter_samples: 'Jitter samples',
  violations_failure: 'Failed',
  violations_ptff: 'PTFF over target',
  violations_fps: 'FPS under target',
  violations_jitter: 'Jitter over target',
  target_ptff_ms: 'PTFF target',
  target_fps: 'FPS target',
  target_jitter: 'Jitter target',
  orchestrator_startup_ms_p50: 'Startup p50',
  orchestrator_startup_ms_p95: 'Orchestrator startup p95',
  orchestrator_startup_ms_mean: 'Startup (mean)',
  startup_samples: 'Startup samples',
  selection_wait_ms_p50: 'Selection wait p50',
  selection_wait_ms_p95: 'Selection wait p95',
  selection_wait_ms_mean: 'Selection wait (mean)',
  selection_wait_samples: 'Selection wait samples',
  gpu_attribution_rate: 'GPU attribution',
  violations_startup: 'Startup over target',
  target_startup_ms: 'Startup target',
  gpu_reported: 'GPU reported',
  gpu_capabilities: 'GPU from capabilities',
  gpu_metadata: 'GPU from metadata',
  gpu_ambiguous: 'GPU ambiguous',
  score: 'Score',
  score_low: 'Score, band low',
  score_high: 'Score, band high',
  score_null_reason: 'Why no score',
  reliability: 'Reliability',
  quality: 'Quality',
  signer: 'Orchestrator',
  address: 'Service URI',
  price: 'Price (wei/pixel)',
  vram_gb_max: 'VRAM (GB)',
  recent_work: 'Recent work',
  gpu_models: 'GPU models',
  capabilities: 'Capabilities',
  last_seen: 'Last seen',
  rank: '#',
  startup_success_rate: 'Startup success',
  startup_attempts: 'Startup attempts',
  swap_rate: 'Swapped away',
  lost_after_swap_rate: 'Lost after a swap',
  orchestrator_failure_rate: 'Failures charged to it',
  excused_failure_rate: 'Failures excused',
  degraded_rate: 'Degraded hours',
  failed_orchestrator: 'Charged failures',
  failed_client_gone: 'Excused: client gone',
  failed_no_capacity: 'Excused: no capacity',
  swapped_segments: 'Swapped segments',
  fps_compared_hours: 'Hours compared',
  gpu_stale: 'GPU stale',
  gpu_unknown: 'GPU unknown',
  fees_eth: 'Fees (ETH)',
  payments: 'Payments',
  signed_tickets: 'Signed tickets',
  tickets: 'Tickets',
  paid_minutes: 'Paid minutes',
  billable_seconds: 'Billable seconds',
  fee_per_stream_minute_gwei: 'Fee per stream-minute (gwei)',
  wei_per_pixel: 'Price (wei/pixel)',
  wei_per_pixel_min: 'Lowest',
  wei_per_pixel_p10: 'p10',
  wei_per_pixel_p90: 'p90',
  wei_per_pixel_max: 'Highest',
  wei_per_stream_minute: 'Per stream-minute (wei)',
  network_wei_per_pixel_median: 'Network median (wei/pixel)',
  price_vs_network: 'Against the median (×)',
  warm_orchestrators: 'Warm orchestrators',
  slots: 'Slots',
  slots_in_use: 'Slots in use',
  available_slots: 'Available slots',
  available_slots_mean: 'Available (mean)',
  available_slots_stability: 'Stability',
  stream_id: 'Stream',
  state: 'State',
  seconds_since_request: 'Seconds since request',
  startup_ms: 'Startup',
  swaps: 'Swaps'
};

export function label(name) {
  if (LABELS[name]) return LABELS[name];
  const words = name
    .replace(/_/g, ' ')
    .replace(/\bms\b/, '(ms)')
    .replace(/\bkbps\b/, '(kbit/s)');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/* Dimension values are strings; an empty one means the events did not say. */
const DIMENSIONS = new Set([
  'orchestrator_address',
  'gpu_id',
  'gpu_model',
  'pipeline',
  'region',
  'gateway',
  'app',
  'metadata_region',
  'metadata_region_source'
]);

/** What kind of number a column holds, from its name. */
export function kindOf(name) {
  if (name.endsWith('_eth')) return 'eth';
  if (name === 'error_budget_remaining') return 'budget';
  if (name === 'price') return 'price';
  if (name === 'stream_minutes') return 'minutes';
  if (
    /(^|_)(violations|segments|samples|sessions|count|streams|minutes|gpus|orchestrators|hours)(_|$)/.test(
      name
    )
  )
    return 'plain';
  if (
    name === 'window_start' ||
    name.endsWith('_at') ||
    name === 'first_seen' ||
    name === 'last_seen'
  )
    return 'time';
  if (/(^|_)(rate|compliance|utilisation|share|objective|stability)(_|$)/.test(name))
    return 'percent';
  if (/(^|_)ms(_|$)/.test(name)) return 'ms';
  if (/bytes/.test(name)) return 'bytes';
  if (/kbps/.test(name)) return 'kbps';
  if (/jitter/.test(name)) return 'coefficient';
  if (/fps/.test(name) && !/samples/.test(name)) return 'fps';
  return 'plain';
}

const integer = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});
const oneDecimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1
});
const twoDecimals = new Intl.NumberFormat('en-US', {maximumFractionDigits: 2});
const threeDecimals = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 3,
  maximumFractionDigits: 3
});

/** A decimal with the places its size deserves: 29,558 · 12.5 · 3.14. */
function rounded(value) {
  const abs = Math.abs(value);
  return (abs >= 100 ? integer : abs >= 10 ? oneDecimal : twoDecimals).format(value);
}

/** A ratio as a percentage: 97.3 % · 0.25 % · 9,899 %. */
function percent(ratio) {
  const abs = Math.abs(ratio * 100);
  return (
    (abs >= 100 ? integer : abs > 0 && abs < 1 ? twoDecimals : oneDecimal).format(ratio * 100) +
    ' %'
  );
}

/** The text of one value of column `name`; null when there is no data. */
export function text(name, value) {
  if (value === '' && DIMENSIONS.has(name)) return 'unknown';
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value))
    return value.length
      ? value.map(v => (typeof v === 'object' ? JSON.stringify(v) : v)).join(', ')
      : null;
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value !== 'number') return kindOf(name) === 'time' ? utc(value) : String(value);
  switch (kindOf(name)) {
    case 'percent':
      return percent(value);
    // The share of the error budget left; below 0 the failures overspent it by that share of itself.
    case 'budget':
      return value > 0
        ? `${percent(value)} left`
        : value === 0
          ? 'exhausted'
          : `exhausted (by ${percent(-value)})`;
    case 'minutes':
      return rounded(value);
    // Wei per pixel spans many orders of magnitude: three significant digits.
    case 'price':
      return Number(value.toPrecision(3)).toLocaleString('en-US', {maximumSignificantDigits: 3});
    case 'ms':
      return integer.format(value) + ' ms';
    case 'kbps':
      return integer.format(value) + ' kbit/s';
    case 'bytes':
      return oneDecimal.format(value / 2 ** 30) + ' GiB';
    case 'coefficient':
      return threeDecimals.format(value);
    // Fees are small: below 1 ETH they read in milli-ETH, rounded like any decimal.
    case 'eth':
      return Math.abs(value) >= 1 || value === 0
        ? `${rounded(value)} ETH`
        : `${rounded(value * 1000)} mETH`;
    case 'fps':
      return oneDecimal.format(value);
    default:
      return Number.isInteger(value) ? integer.format(value) : rounded(value);
  }
}

/** The unit a chart axis of this column is labelled with. */
export function unit(name) {
  return (
    {
      eth: 'ETH',
      percent: '%',
      budget: '%',
      minutes: 'min',
      ms: 'ms',
      kbps: 'kbit/s',
      fps: 'frames/s',
      coefficient: 'σ/mean'
    }[kindOf(name)] ?? ''
  );
}

/** A chart-axis value: percents are plotted as 0–100. */
export function plotValue(name, value) {
  if (value === null || value === undefined) return null;
  return ['percent', 'budget'].includes(kindOf(name)) ? value * 100 : value;
}

/** An ISO time as "2026-01-08 18:00 UTC". */
export function utc(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** "3 min ago" for an ISO time. */
export function ago(iso, now = Date.now()) {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 90) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

/** A long address as 0x1234…abcd; the whole one goes in a title. */
export function short(address) {
  return /^0x[0-9a-f]{40}$/i.test(address)
    ? `${address.slice(0, 6)}…${address.slice(-4)}`
    : address;
}
