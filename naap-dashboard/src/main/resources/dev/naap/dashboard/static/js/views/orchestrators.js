/* Orchestrator Performance: every orchestrator with its SLA compliance and quality, sortable and
   searchable; each row opens the orchestrator's own page. */
import {apiUrl, csvUrl} from '../api.js';
import {chart} from '../components/chart.js';
import {table} from '../components/table.js';
import {h} from '../dom.js';
import {short} from '../format.js';
import {heading, jitterByOrchestrator, orchestratorLink} from './common.js';

export const TITLE = 'Orchestrator performance';

/* Shown first, in this order: the numbers a reader ranks orchestrators by, then the metadata; any
   other column of the API follows. On a phone the first columns fit and the rest scroll. */
const PREFERRED = [
  'orchestrator_address',
  'sla_compliance_rate',
  'output_fps_mean',
  'ptff_ms_p95',
  'orchestrator_startup_ms_p95',
  'selection_wait_ms_p95',
  'jitter_coefficient_mean',
  'failure_rate',
  'gpu_attribution_rate',
  'sessions',
  'segments',
  'metadata_region',
  'metadata_region_source'
];

export async function render({state, api, link, remember}) {
  const url = apiUrl('orchestrators', state, {limit: 1000});
  const [{rows: listed}, jitter] = await Promise.all([
    api.all(url),
    jitterByOrchestrator(api, state)
  ]);
  const rows = listed.map(r => ({
    ...r,
    ...(jitter.byAddress.get(r.orchestrator_address) ?? {
      jitter_coefficient_mean: null,
      jitter_samples: 0
    })
  }));
  const ranked = rows
    .filter(r => typeof r.sla_compliance_rate === 'number')
    .sort((a, b) => b.sla_compliance_rate - a.sla_compliance_rate);

  return [
    ...heading(TITLE, 'Every orchestrator NaaP knows, with its SLA compliance and quality.', state),
    table({
      title: 'Orchestrators',
      rows,
      columns: columnsOf(rows, link),
      csv: csvUrl(url),
      note: [
        'Select a column to sort; an address opens its page. The jitter coefficient comes from ',
        h(
          'a',
          {href: csvUrl(jitter.url), download: 'jitter-by-orchestrator.csv'},
          'GPU metrics by orchestrator (CSV)'
        ),
        '.'
      ],
      sort: state.sort || '-sla_compliance_rate',
      search: state.q,
      onState: ({sort, search}) => remember({sort, q: search})
    }),
    chart({
      title: 'SLA compliance by orchestrator',
      column: 'sla_compliance_rate',
      csv: csvUrl(url),
      data: {
        x: ranked.map((_, i) => i),
        series: [{label: 'SLA compliance', values: ranked.map(r => r.sla_compliance_rate)}]
      },
      categories: ranked.map(r => short(r.orchestrator_address))
    })
  ];
}

function columnsOf(rows, link) {
  const present = new Set(rows.flatMap(r => Object.keys(r)));
  const ordered = [
    ...PREFERRED.filter(c => present.has(c)),
    ...[...present].filter(c => !PREFERRED.includes(c))
  ];
  return ordered.map(c =>
    c === 'orchestrator_address' ? {key: c, cell: r => orchestratorLink(link, r[c])} : c
  );
}
