/* Orchestrator Performance: every orchestrator with its SLA compliance and quality, sortable and
   searchable; each row opens the orchestrator's own page. */
import {apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {short} from '../format.js';
import {pick} from '../rows.js';
import {heading, orchestratorLink} from './common.js';

export const TITLE = 'Orchestrator performance';

/* Shown first, in this order, when the API has them; any other scalar column follows. */
const PREFERRED = ['orchestrator_address', 'region', 'compliance_rate', 'sla_compliance', 'output_fps_mean',
  'ptff_ms_p50', 'ptff_ms_p95', 'jitter_coefficient_mean', 'failure_rate', 'sessions', 'segments'];

export async function render({state, api, link, remember}) {
  const url = apiUrl('orchestrators', state, {limit: 1000});
  const {rows, truncated} = await api.all(url);
  const compliance = pick(rows, 'compliance_rate', 'sla_compliance');
  const ranked = rows.filter(r => typeof r[compliance] === 'number').sort((a, b) => b[compliance] - a[compliance]);

  return [
    ...heading(TITLE, 'Every orchestrator that served segments, with its SLA compliance and quality.', state),
    table({
      title: 'Orchestrators', rows, columns: columnsOf(rows, link), csv: csvUrl(url),
      note: truncated ? 'Only the first pages are shown; the CSV has every row.' : 'Select a column to sort; an address opens its page.',
      sort: state.sort || '-' + compliance, search: state.q,
      onState: ({sort, search}) => remember({sort, q: search}),
    }),
    chart({
      title: 'SLA compliance by orchestrator', column: compliance, csv: csvUrl(url),
      data: {x: ranked.map((_, i) => i), series: [{label: 'SLA compliance', values: ranked.map(r => r[compliance])}]},
      categories: ranked.map(r => short(r.orchestrator_address)),
    }),
  ];
}

function columnsOf(rows, link) {
  const present = new Set(rows.flatMap(r => Object.keys(r).filter(k => r[k] === null || typeof r[k] !== 'object')));
  const ordered = [...PREFERRED.filter(c => present.has(c)), ...[...present].filter(c => !PREFERRED.includes(c))];
  return ordered.map(c => c === 'orchestrator_address' ? {key: c, cell: r => orchestratorLink(link, r[c])} : c);
}
