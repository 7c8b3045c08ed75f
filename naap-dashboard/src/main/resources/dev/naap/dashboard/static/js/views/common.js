/* Pieces several views share. */
import {apiUrl} from '../api.js';
import {h} from '../dom.js';
import {short} from '../format.js';
import {describeRange} from '../state.js';

/** The heading of a view: title, what it shows, over which range and filters. */
export function heading(title, lede, state, crumbs = null) {
  const filters = Object.entries(state.filters)
    .filter(([, v]) => v.length)
    .map(([k, v]) => `${k.replace('_', ' ')} ${v.join(' or ')}`);
  return [
    crumbs,
    h('h1', {}, title),
    h(
      'p',
      {class: 'lede'},
      lede,
      ` Over ${describeRange(state)}`,
      filters.length ? `, for ${filters.join(', ')}.` : ', whole network.'
    )
  ];
}

/** An orchestrator address linking to its drill-down. */
export function orchestratorLink(link, address) {
  if (!address) return null;
  return h(
    'a',
    {class: 'mono', href: link({view: 'orchestrator', id: address}), title: address},
    short(address)
  );
}

/** A GPU id linking to its drill-down; GPUs the events could not attribute have no page. */
export function gpuLink(link, id) {
  if (!id)
    return h(
      'span',
      {class: 'nodata', title: 'The events do not say which GPU served these segments'},
      'not attributed'
    );
  return h(
    'a',
    {class: 'mono', href: link({view: 'gpu', id}), title: id},
    id.length > 18 ? id.slice(0, 16) + '…' : id
  );
}

/**
 * Each orchestrator's mean jitter coefficient, which the orchestrators report does not carry: from
 * GPU metrics by orchestrator over the whole range (granularity=all), one row each.
 */
export async function jitterByOrchestrator(api, state) {
  const url = apiUrl('gpu/metrics', state, {
    group_by: 'orchestrator',
    granularity: 'all',
    limit: 1000
  });
  const {rows} = await api.all(url);
  // Only the jitter: the callers merge it into rows of their own.
  const jitter = ({orchestrator_address, jitter_coefficient_mean, jitter_samples}) => [
    orchestrator_address,
    {orchestrator_address, jitter_coefficient_mean, jitter_samples}
  ];
  return {url, byAddress: new Map(rows.map(jitter))};
}

/** The state with one filter set to `value` alone (null: removed), for a drill-down and its context. */
export function scoped(state, filter, value) {
  return {...state, filters: {...state.filters, [filter]: value === null ? [] : [value]}};
}

/** Demand has no orchestrator or GPU model: say so when those filters are set. */
export function demandNote(state) {
  return state.filters.orchestrator.length || state.filters.gpu_model.length
    ? 'Demand is counted before an orchestrator is chosen: the orchestrator and GPU model filters do not apply to it.'
    : null;
}
