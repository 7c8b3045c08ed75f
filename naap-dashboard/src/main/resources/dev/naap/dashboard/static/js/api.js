/*
 * The dashboard's only source of numbers: the public API, same origin. Every answer is the
 * envelope {data, meta, pagination}. Requests are revalidated (cache: 'no-cache'), so the browser
 * sends If-None-Match and an unchanged answer costs a 304, which the rate limit does not count;
 * identical requests within one render are made once.
 */
import {FILTERS} from './state.js';

/** An API answer that is not a 2xx: its problem+json title and detail. */
export class ApiError extends Error {
  constructor(status, title, detail, retryAfterSeconds = null) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The URL of an API route for the view state, with extra parameters; an extra parameter that is
 * null removes one the state would set (the overview takes no granularity).
 */
export function apiUrl(route, state, extra = {}) {
  const params = rangeParams(state);
  params.set(
    'granularity',
    state.granularity === 'auto' ? chartGranularity(state) : state.granularity
  );
  for (const f of FILTERS) for (const v of state.filters[f]) params.append(f, v);
  for (const [name, value] of Object.entries(extra)) {
    params.delete(name);
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) value.forEach(v => params.append(name, v));
    else params.set(name, value);
  }
  return `v1/${route}?${params}`;
}

/**
 * The URL of a load-test route (`results`, `coverage`): the range and the parameters it takes, a
 * list repeated, one value each (API.md, "Load test results"); a null or empty one is left out.
 */
export function testLoadUrl(route, state, parameters = {}) {
  const params = rangeParams(state);
  for (const [name, value] of Object.entries(parameters)) {
    if (Array.isArray(value)) value.forEach(v => params.append(name, v));
    else if (value) params.set(name, value);
  }
  return `v1/test-load/${route}?${params}`;
}

/**
 * The discovery request of the leaderboard for one pipeline: the range, the capability, the hard
 * filters of the URL and the GPU model and region filters (API.md, "Discovery"), every row at once.
 */
export function discoverUrl(state, pipeline) {
  const params = rangeParams(state);
  params.set('caps', capability(pipeline));
  for (const [name, value] of Object.entries(state.bounds)) params.set(name, value);
  for (const v of state.filters.gpu_model) params.append('gpu_model', v);
  for (const v of state.filters.region) params.append('region', v);
  params.set('limit', '1000');
  return `v1/discover/orchestrators?${params}`;
}

/**
 * The capability a pipeline is advertised as: the metrics name a live pipeline by its model id
 * (streamdiffusion), gateways by pipeline/model; a value with a slash is a capability already.
 */
export function capability(pipeline) {
  return pipeline.includes('/') ? pipeline : `live-video-to-video/${pipeline}`;
}

/** The URL of a route that takes a range and nothing else of the state (the score history). */
export function rangeUrl(route, state, extra = {}) {
  const params = rangeParams(state);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return `v1/${route}?${params}`;
}

function rangeParams(state) {
  const params = new URLSearchParams();
  if (state.start && state.end) {
    params.set('start', state.start);
    params.set('end', state.end);
  } else {
    params.set('window', state.window);
  }
  return params;
}

/**
 * Buckets for charts when the visitor leaves the choice to the dashboard: about 12–170 points per
 * chart, where the API's own `auto` would give up to 800 (and many pages of rows).
 */
function chartGranularity(state) {
  const hours = state.start
    ? (Date.parse(state.end) - Date.parse(state.start)) / 3_600_000
    : {'1h': 1, '24h': 24, '7d': 168, '30d': 720}[state.window];
  return hours <= 6 ? '5m' : hours <= 24 * 14 ? '1h' : '1d';
}

/** Demand is counted before an orchestrator is chosen: it has no orchestrator or GPU to filter by. */
export const DEMAND_ONLY = {orchestrator: null, gpu_model: null};

/** The same request as CSV. */
export function csvUrl(url) {
  return url + (url.includes('?') ? '&' : '?') + 'format=csv';
}

/**
 * The share of a visitor's quota that auto-refresh may spend even when no answer is cached (each
 * refresh of a view whose range ends now asks for a new minute); the rest is for opening views.
 */
const REFRESH_SHARE = 2 / 3;

/** The requests a window of the quota `rateLimit` (the API's headers) leaves to auto-refresh. */
export function refreshBudget(rateLimit) {
  return Math.max(1, Math.floor(rateLimit.limit * REFRESH_SHARE));
}

/**
 * Seconds between two refreshes of a view whose render asked `requests` requests: `wanted`, or
 * longer where that would spend more than the refresh budget (null `rateLimit`: no quota applies).
 */
export function refreshSeconds(wanted, requests, rateLimit) {
  if (!rateLimit?.limit || !rateLimit.windowSeconds) return wanted;
  return Math.max(
    wanted,
    Math.ceil((requests * rateLimit.windowSeconds) / refreshBudget(rateLimit))
  );
}

/**
 * One render's view of the API: remembers the meta of every answer (for "data as of") and asks
 * each URL once.
 */
export class ApiSession {
  /** `onRows(rows)` sees the rows of every answer (the filter fields learn their values from it). */
  constructor(onRows = () => {}) {
    this.onRows = onRows;
    this.metas = [];
    this.pending = new Map();
    this.rateLimit = null;
    this.requests = 0;
    /** URL → rows read, of the answers with more rows than `all` reads. */
    this.truncated = new Map();
  }

  /** The envelope of one request. */
  get(url) {
    if (!this.pending.has(url)) this.pending.set(url, this.fetchEnvelope(url));
    return this.pending.get(url);
  }

  /**
   * Every row of a paged request, following next_cursor for at most `maxPages` pages; an answer
   * with rows beyond them is kept in `truncated`, and the page says so (main.js).
   */
  async all(url, maxPages = 5) {
    let envelope = await this.get(url);
    const rows = [...envelope.data];
    for (let page = 1; envelope.pagination?.has_more && page < maxPages; page++) {
      envelope = await this.get(
        url + '&cursor=' + encodeURIComponent(envelope.pagination.next_cursor)
      );
      rows.push(...envelope.data);
    }
    const truncated = Boolean(envelope.pagination?.has_more);
    if (truncated) this.truncated.set(url, rows.length);
    return {rows, meta: envelope.meta, truncated};
  }

  async fetchEnvelope(url) {
    this.requests++;
    const response = await fetch(url, {cache: 'no-cache', headers: {Accept: 'application/json'}});
    const remaining = response.headers.get('X-RateLimit-Remaining');
    if (remaining !== null) {
      // RateLimit-Policy: "<policy>";q=<requests>;w=<seconds>: the window as the server counts it.
      const policy = /;w=(\d+)/.exec(response.headers.get('RateLimit-Policy') ?? '');
      this.rateLimit = {
        remaining: Number(remaining),
        limit: Number(response.headers.get('X-RateLimit-Limit')),
        windowSeconds: policy ? Number(policy[1]) : null
      };
    }
    if (!response.ok) throw await problem(response);
    const envelope = await response.json();
    // The load-test routes read their table directly (no rollups, data_as_of null): they are as fresh as the answer.
    this.metas.push(
      url.startsWith('v1/test-load/')
        ? {...envelope.meta, data_as_of: envelope.meta.generated_at}
        : envelope.meta
    );
    if (Array.isArray(envelope.data)) this.onRows(envelope.data);
    return envelope;
  }

  /** The oldest data_as_of of this render's answers: every number shown is at least this fresh. */
  dataAsOf() {
    const times = this.metas
      .map(m => m?.data_as_of)
      .filter(Boolean)
      .sort();
    return times[0] ?? null;
  }
}

async function problem(response) {
  const retryAfter =
    response.status === 429 ? Number(response.headers.get('Retry-After') ?? 60) : null;
  try {
    const body = await response.json();
    return new ApiError(
      response.status,
      body.title ?? response.statusText,
      body.detail,
      retryAfter
    );
  } catch {
    return new ApiError(response.status, `HTTP ${response.status}`, null, retryAfter);
  }
}
