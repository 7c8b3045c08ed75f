/*
 * The dashboard: reads the state from the URL hash, renders the view it names from the API, shows
 * how fresh the numbers are, and refreshes on a timer the visitor can switch off.
 */
import {ApiError, ApiSession, refreshBudget, refreshSeconds} from './api.js';
import {destroyCharts} from './components/chart.js';
import {Controls} from './controls.js';
import {h} from './dom.js';
import {ago, utc} from './format.js';
import {format, parse} from './state.js';
import * as overview from './views/overview.js';
import * as orchestrators from './views/orchestrators.js';
import * as orchestrator from './views/orchestrator.js';
import * as leaderboard from './views/leaderboard.js';
import * as gpus from './views/gpus.js';
import * as gpu from './views/gpu.js';
import * as demand from './views/demand.js';
import * as economics from './views/economics.js';
import * as live from './views/live.js';
import * as testLoad from './views/test-load.js';
import * as operations from './views/operations.js';

const VIEWS = {
  overview,
  orchestrators,
  orchestrator,
  leaderboard,
  gpus,
  gpu,
  demand,
  economics,
  live,
  'test-load': testLoad,
  operations
};
const main = document.getElementById('main');
const notice = document.getElementById('notice');
const asOf = document.getElementById('as-of');
const refreshStatus = document.getElementById('refresh-status');

let state = parse(location.hash);
let renders = 0;
let timer = null;
let retryAt = 0;
/* Seconds from a render to the next refresh (0: off), and why, from the last render's requests. */
let period = 0;
let paced = '';

const controls = new Controls(document.getElementById('controls'), changes => navigate(changes));

/** Opens the current state changed by `changes`; every change of view or data goes through the URL. */
function navigate(changes) {
  location.hash = format({...state, ...changes});
}

/** Records a change that needs no new data (table sort, search) in the URL without a render. */
function remember(changes) {
  state = {...state, ...changes};
  history.replaceState(null, '', format(state));
}

function link(changes) {
  return format({...state, sort: '', q: '', open: '', bounds: {}, ...changes});
}

async function render() {
  const previousView = state.view + state.id;
  const mine = ++renders;
  clearTimeout(timer);
  document.body.dataset.status = 'loading';
  main.setAttribute('aria-busy', 'true');
  const api = new ApiSession(rows => controls.learn(rows));
  // Everything in the try: whatever fails, the page says so instead of "Loading…" for ever.
  try {
    state = parse(location.hash);
    controls.show(state);
    for (const a of document.querySelectorAll('#views a')) {
      const current = [state.view, state.view + 's'].includes(a.dataset.view);
      if (current) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const view = VIEWS[state.view];
    const content = await view.render({state, api, link, remember, navigate});
    if (mine !== renders) return;
    destroyCharts();
    main.replaceChildren(...[content].flat().filter(Boolean));
    showTruncated(api);
    document.title = `${view.TITLE} · NaaP`;
    showFreshness(api);
    showUnreadable(view);
    if (
      previousView !== state.view + state.id &&
      document.activeElement?.closest('#controls') === null
    ) {
      // A new view starts at the top, with the keyboard focus at its content, as a new page would.
      window.scrollTo(0, 0);
      main.focus({preventScroll: true});
    }
    // For the browser tests: when the numbers were shown (ms since navigation), which render it
    // was, and how many API requests it asked.
    document.body.dataset.readyAtMs = Math.round(performance.now());
    document.body.dataset.renders = mine;
    document.body.dataset.requests = api.requests;
    document.body.dataset.status = 'ready';
  } catch (error) {
    if (mine !== renders) return;
    showError(error);
  }
  main.removeAttribute('aria-busy');
  pace(api);
  schedule();
}

/**
 * Auto-refresh at the period chosen (Live: its own), stretched so that refreshing this view,
 * every answer counted, spends no more than the refresh budget of the visitor's quota.
 */
function pace(api) {
  const wanted =
    state.refresh === 'off' ? 0 : (VIEWS[state.view]?.REFRESH_SECONDS ?? Number(state.refresh));
  period = wanted && refreshSeconds(wanted, api.requests, api.rateLimit);
  paced = '';
  if (period > wanted) {
    const {limit, windowSeconds} = api.rateLimit;
    const per = windowSeconds === 3600 ? 'an hour' : `per ${windowSeconds} s`;
    paced =
      ` Every ${period} s, so that refreshing this view's ${api.requests} API ` +
      `${api.requests === 1 ? 'request' : 'requests'} spends at most ` +
      `${refreshBudget(api.rateLimit)} of your ${limit} ${per}.`;
  }
  document.body.dataset.refreshSeconds = period;
}

/** Names the answers that had more rows than the dashboard reads, below the view's lede. */
function showTruncated(api) {
  if (!api.truncated.size) return;
  const what = [...api.truncated].map(
    ([url, rows]) => `${describe(url)} (the first ${rows.toLocaleString('en-US')} rows are used)`
  );
  const note = h(
    'p',
    {class: 'notice', role: 'note', dataset: {truncated: String(api.truncated.size)}},
    `Incomplete: ${what.join('; ')}. The rows past those are missing from what is drawn ` +
      'from them (over time: the latest buckets). A shorter range, longer buckets or a filter ' +
      'makes an answer fit.'
  );
  const lede = main.querySelector('.lede');
  if (lede) lede.after(note);
  else main.prepend(note);
}

/** An API request as a reader names it: "gpu/metrics by gpu_model, pipeline per 1h". */
function describe(url) {
  const [path, query] = url.split('?');
  const params = new URLSearchParams(query);
  const by = params.get('group_by');
  const granularity = params.get('granularity');
  return (
    path.replace(/^v1\//, '') +
    (by ? ` by ${by.replace(/,/g, ', ')}` : '') +
    (granularity && granularity !== 'all' ? ` per ${granularity}` : '')
  );
}

/** A link whose address could not be read opened `view` instead: say so above it. */
function showUnreadable(view) {
  notice.hidden = !state.unreadable;
  if (state.unreadable) {
    notice.textContent =
      `This link's address "${state.unreadable}" cannot be read (a malformed %-escape): ` +
      `showing ${view.TITLE} instead.`;
  }
}

function showFreshness(api) {
  const dataAsOf = api.dataAsOf();
  const quota = api.rateLimit
    ? ` · API requests left this hour: ${api.rateLimit.remaining} of ${api.rateLimit.limit}`
    : '';
  asOf.textContent =
    (dataAsOf
      ? `Data as of ${utc(dataAsOf)} (${ago(dataAsOf)})`
      : 'Data as of: nothing computed yet') +
    ` · updated ${new Date().toISOString().slice(11, 19)} UTC` +
    quota;
  document.body.dataset.asOf = dataAsOf ?? '';
}

function showError(error) {
  document.body.dataset.status = 'error';
  if (error instanceof ApiError && error.status === 429) {
    // Keep what is shown and try again when the API says the quota allows it.
    retryAt = Date.now() + error.retryAfterSeconds * 1000;
    notice.textContent =
      `The API's request limit is reached; the numbers shown stay as they are and ` +
      `the dashboard tries again at ${new Date(retryAt).toISOString().slice(11, 19)} UTC.`;
    notice.hidden = false;
    return;
  }
  destroyCharts();
  main.replaceChildren(
    h(
      'section',
      {class: 'panel', role: 'alert'},
      h('h1', {}, 'The numbers could not be loaded'),
      h('p', {class: 'error'}, error.message),
      h('p', {}, 'Check the time range and the filters, or try again.')
    )
  );
  if (!(error instanceof ApiError)) console.error(error);
}

function schedule() {
  clearTimeout(timer);
  const wait = Math.max(period * 1000, retryAt - Date.now());
  if (wait > 0 && (period || retryAt > Date.now())) {
    timer = setTimeout(refresh, wait);
    refreshStatus.textContent =
      `Next refresh at ${new Date(Date.now() + wait).toISOString().slice(11, 19)} UTC.` + paced;
  } else {
    refreshStatus.textContent = 'Auto-refresh is off.';
  }
}

/** A timed refresh waits while the page is hidden or the visitor is typing in the view. */
function refresh() {
  if (
    document.hidden ||
    (main.contains(document.activeElement) && document.activeElement.matches('input'))
  ) {
    timer = setTimeout(refresh, 5000);
    return;
  }
  render();
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.refresh !== 'off') schedule();
});
window.addEventListener('hashchange', render);
render();
