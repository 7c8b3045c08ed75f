/*
 * The form above every view: time range, buckets, filters (and the load tests' outcome),
 * auto-refresh. It shows the URL's state and turns the visitor's choices into a new URL; it never
 * fetches anything itself. On a narrow screen the filters fold behind a button that counts them.
 */
import {FILTERS, split} from './state.js';

/* The columns whose values a filter suggests; load tests name an orchestrator by its service URI. */
const FILTER_COLUMNS = {
  orchestrator: ['orchestrator_address', 'orchestrator'],
  gpu_model: ['gpu_model'],
  pipeline: ['pipeline'],
  region: ['region'],
  gateway: ['gateway']
};
const suggestions = Object.fromEntries(FILTERS.map(f => [f, new Set()]));

export class Controls {
  /** `navigate(changes)` opens the state changed by `changes` (a partial state). */
  constructor(form, navigate) {
    this.form = form;
    this.navigate = navigate;
    this.toggle = form.querySelector('.filters-toggle');
    this.toggle.addEventListener('click', () => this.fold(!form.classList.contains('is-open')));
    form.addEventListener('submit', e => {
      e.preventDefault();
      this.apply();
    });
    form.elements.range.addEventListener('change', () => this.rangeChanged());
    form.elements.granularity.addEventListener('change', () =>
      navigate({granularity: form.elements.granularity.value})
    );
    form.elements.refresh.addEventListener('change', () =>
      navigate({refresh: form.elements.refresh.value})
    );
    form.elements.outcome.addEventListener('change', () =>
      navigate({outcome: form.elements.outcome.value})
    );
    form
      .querySelector('#reset')
      .addEventListener('click', () =>
        navigate({
          filters: Object.fromEntries(FILTERS.map(f => [f, []])),
          outcome: '',
          bounds: {},
          open: ''
        })
      );
  }

  /** Shows `state` in the form. */
  show(state) {
    const el = this.form.elements;
    el.range.value = state.start ? 'custom' : state.window;
    el.start.value = state.start ? state.start.slice(0, 16) : '';
    el.end.value = state.end ? state.end.slice(0, 16) : '';
    this.form.classList.toggle('is-custom', Boolean(state.start));
    this.form.classList.toggle('is-test-load', state.view === 'test-load');
    this.form.classList.toggle('is-leaderboard', state.view === 'leaderboard');
    // The load tests name an orchestrator by its service URI, the other views by its address.
    el.orchestrator.placeholder = state.view === 'test-load' ? 'https://…:8935' : '';
    el.granularity.value = state.granularity;
    el.refresh.value = state.refresh;
    el.outcome.value = state.outcome;
    for (const f of FILTERS) el[f].value = state.filters[f].join(', ');
    const set = FILTERS.filter(f => state.filters[f].length).length + (state.outcome ? 1 : 0);
    this.toggle.textContent = set ? `Filters (${set} set) and refresh` : 'Filters and refresh';
  }

  /** Opens (or folds) the filters on a narrow screen; a wide one always shows them. */
  fold(open) {
    this.form.classList.toggle('is-open', open);
    this.toggle.setAttribute('aria-expanded', String(open));
  }

  rangeChanged() {
    const el = this.form.elements;
    if (el.range.value !== 'custom') {
      this.navigate({window: el.range.value, start: null, end: null});
      return;
    }
    // Start the custom range from the span shown so far; Apply opens it.
    this.form.classList.add('is-custom');
    if (!el.start.value) {
      const end = new Date();
      const start = new Date(end.getTime() - 86_400_000);
      el.start.value = start.toISOString().slice(0, 16);
      el.end.value = end.toISOString().slice(0, 16);
    }
    el.start.focus();
  }

  apply() {
    const el = this.form.elements;
    const changes = {
      filters: Object.fromEntries(FILTERS.map(f => [f, split(el[f].value)])),
      outcome: el.outcome.value
    };
    if (el.range.value === 'custom') {
      const start = utcInput(el.start.value);
      const end = utcInput(el.end.value);
      if (!start || !end || start >= end) {
        el.end.setCustomValidity('The end must come after the start.');
        el.end.reportValidity();
        return;
      }
      el.end.setCustomValidity('');
      Object.assign(changes, {start, end});
    }
    this.fold(false);
    this.navigate(changes);
  }

  /** Offers the dimension values seen in `rows` as completions of the filter fields. */
  learn(rows) {
    for (const f of FILTERS) {
      const seen = suggestions[f];
      const before = seen.size;
      for (const r of rows) {
        for (const column of FILTER_COLUMNS[f])
          if (typeof r[column] === 'string' && r[column]) seen.add(r[column]);
      }
      if (seen.size !== before) {
        document
          .getElementById(`list-${f}`)
          .replaceChildren(...[...seen].sort().map(v => new Option(v)));
      }
    }
  }
}

/** A datetime-local value read as UTC, as RFC 3339. */
function utcInput(value) {
  return value && !Number.isNaN(Date.parse(value + 'Z'))
    ? new Date(value + 'Z').toISOString().replace('.000Z', 'Z')
    : null;
}
