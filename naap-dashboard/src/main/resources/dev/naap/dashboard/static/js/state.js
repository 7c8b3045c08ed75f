/*
 * The whole view state lives in the URL hash, so a copied link reopens the same view:
 *   #/orchestrators?window=7d&pipeline=a,b&sort=-compliance_rate&q=0x12&refresh=off
 *   #/orchestrator/0xabc…?start=2026-01-08T00:00:00Z&end=2026-01-09T00:00:00Z
 *   #/test-load?outcome=failure&sort=-startup_ms
 *   #/leaderboard?pipeline=streamdiffusion&min_score=60&max_startup_ms=2000&open=0xabc…
 * Defaults are left out of the URL.
 */
export const VIEWS = [
  'overview',
  'orchestrators',
  'orchestrator',
  'leaderboard',
  'gpus',
  'gpu',
  'demand',
  'economics',
  'live',
  'test-load',
  'operations'
];
export const FILTERS = ['orchestrator', 'gpu_model', 'pipeline', 'region', 'gateway'];
/* The load tests' own filter (the Test Load Results view); '' is every outcome. */
export const OUTCOMES = ['', 'success', 'failure', 'aborted'];
/* The leaderboard's hard filters: discovery's parameters of the same names (API.md, "Discovery"). */
export const BOUNDS = ['min_score', 'min_fps', 'max_startup_ms', 'max_price', 'min_vram_gb'];
const WINDOWS = ['1h', '24h', '7d', '30d'];
const REFRESH = ['off', '60', '300'];
const GRANULARITIES = ['auto', '5m', '1h', '1d'];

const DEFAULTS = {
  window: '24h',
  granularity: 'auto',
  refresh: '60',
  sort: '',
  q: '',
  outcome: '',
  open: ''
};

export function parse(hash) {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [view, ...rest] = path.split('/');
  const params = new URLSearchParams(query);
  const pick = (name, allowed) =>
    allowed.includes(params.get(name)) ? params.get(name) : DEFAULTS[name];
  const state = {
    view: VIEWS.includes(view) ? view : 'overview',
    id: null,
    // The address of a link cut short or typed by hand (…%2), which decodeURIComponent refuses:
    // the page shows the list it would be in, and says so (main.js).
    unreadable: null,
    window: pick('window', WINDOWS),
    start: validTime(params.get('start')),
    end: validTime(params.get('end')),
    granularity: pick('granularity', GRANULARITIES),
    refresh: pick('refresh', REFRESH),
    sort: params.get('sort') ?? '',
    q: params.get('q') ?? '',
    outcome: pick('outcome', OUTCOMES),
    filters: {},
    bounds: {},
    open: params.get('open') ?? ''
  };
  if (rest.length) {
    try {
      state.id = decodeURIComponent(rest.join('/'));
    } catch {
      state.unreadable = rest.join('/');
    }
  }
  for (const b of BOUNDS) {
    const value = params.get(b);
    if (
      value !== null &&
      value.trim() !== '' &&
      Number.isFinite(Number(value)) &&
      Number(value) >= 0
    ) {
      state.bounds[b] = String(Number(value));
    }
  }
  if (!state.start || !state.end || state.start >= state.end) state.start = state.end = null;
  for (const f of FILTERS) state.filters[f] = split(params.get(f));
  if ((state.view === 'orchestrator' || state.view === 'gpu') && !state.id)
    state.view = state.view + 's';
  return state;
}

export function format(state) {
  const params = new URLSearchParams();
  if (state.start && state.end) {
    params.set('start', state.start);
    params.set('end', state.end);
  } else if (state.window !== DEFAULTS.window) {
    params.set('window', state.window);
  }
  for (const f of FILTERS) if (state.filters[f]?.length) params.set(f, state.filters[f].join(','));
  for (const b of BOUNDS) if (state.bounds?.[b]) params.set(b, state.bounds[b]);
  for (const name of ['granularity', 'refresh', 'outcome', 'sort', 'q', 'open']) {
    if (state[name] && state[name] !== DEFAULTS[name]) params.set(name, state[name]);
  }
  const path = state.id ? `${state.view}/${encodeURIComponent(state.id)}` : state.view;
  const query = params.toString().replace(/%2C/g, ',');
  return `#/${path}${query ? '?' + query : ''}`;
}

/** Comma-separated values, trimmed, without empties or repeats. */
export function split(value) {
  return [
    ...new Set(
      (value ?? '')
        .split(',')
        .map(v => v.trim())
        .filter(Boolean)
    )
  ];
}

function validTime(value) {
  if (!value || Number.isNaN(Date.parse(value))) return null;
  return new Date(value).toISOString().replace('.000Z', 'Z');
}

/** The time span the state covers, for labels ("last 24 hours", "2026-01-08 00:00 → …"). */
export function describeRange(state) {
  if (state.start)
    return `${state.start.slice(0, 16).replace('T', ' ')} → ${state.end.slice(0, 16).replace('T', ' ')} UTC`;
  return {
    '1h': 'the last hour',
    '24h': 'the last 24 hours',
    '7d': 'the last 7 days',
    '30d': 'the last 30 days'
  }[state.window];
}
