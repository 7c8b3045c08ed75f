/*
 * Charts: uPlot, served by the same process from its webjar. A chart with nothing measured shows
 * "No data" instead of an empty or zero line; gaps in a series stay gaps.
 */
import uPlot from '../../assets/uplot/uPlot.esm.js';
import {h, panel} from '../dom.js';
import {plotValue, text, unit, utc} from '../format.js';

/* Distinguishable on white, each at least 3:1 against it. */
const COLOURS = [
  '#1d4ed8',
  '#c2410c',
  '#15803d',
  '#7e22ce',
  '#be123c',
  '#0e7490',
  '#a16207',
  '#4d7c0f',
  '#475569'
];
const HEIGHT = 260;
const BUCKET_SECONDS = {'1m': 60, '5m': 300, '1h': 3600, '1d': 86400};
/* A category axis label: at most this many characters, and this many CSS px of width per label. */
const LABEL_CHARS = 28;
const LABEL_ROOM = 18;
const live = new Set();
/* A label keeps its colour in every chart, so a pipeline is the same colour everywhere. */
const colours = new Map();

function colourOf(label) {
  if (!colours.has(label)) colours.set(label, COLOURS[colours.size % COLOURS.length]);
  return colours.get(label);
}

/** Destroys the charts of the previous render. */
export function destroyCharts() {
  for (const chart of live) chart.destroy();
  live.clear();
}

/**
 * A chart panel. `data` is {x: unix seconds[], series: [{label, values}]} (rows.series); `column`
 * names the API column plotted, which gives the unit and the number format. With `categories`, x
 * is an index into them. `style` draws each series as 'lines' (the default over time), 'bars' (the
 * default over categories) or 'dots' (one per measurement, no line between them). `meta`, the
 * API answer's meta when x are its buckets' starts, lets the chart shade a last bucket that is
 * still in progress, so that a half-counted hour does not read as a fall.
 */
export function chart({
  title,
  data,
  column,
  csv,
  note,
  meta = null,
  categories = null,
  style = categories ? 'bars' : 'lines'
}) {
  const empty = !data.x.length || data.series.every(s => s.values.every(v => v === null));
  const progress = empty || categories ? null : bucketInProgress(data.x, meta);
  const box = empty
    ? h(
        'div',
        {class: 'chart-empty', dataset: {nodata: ''}},
        'No data for this range and these filters'
      )
    : h('div', {
        class: 'chart-box',
        role: 'img',
        'aria-label': `${title}: ${data.series.map(s => s.label).join(', ')}; ${data.x.length} points${progress ? ', the last still in progress' : ''}. The CSV has the numbers.`
      });
  if (!empty)
    whenSized(box, width => create(box, width, data, column, categories, style, progress));
  const dataset = {chart: title, points: data.x.length, series: data.series.length};
  // As the API writes window_start: 2026-12-05T23:00:00Z.
  if (progress)
    dataset.inProgress = new Date(progress.start * 1000).toISOString().replace('.000Z', 'Z');
  return panel(
    {title, csv, note},
    h(
      'figure',
      {class: 'chart', dataset},
      box,
      progress
        ? h(
            'figcaption',
            {class: 'chart-progress'},
            `Shaded: the last bucket, from ${at(progress.start)}, is still in progress (data up to ${at(progress.until).slice(11)}).`
          )
        : null
    )
  );
}

/**
 * The last bucket of `x` if it ends after the data does: the range ends now (or the data stops
 * before the range ends), so the bucket holds part of its time. Null without buckets.
 */
function bucketInProgress(x, meta) {
  const width = BUCKET_SECONDS[meta?.granularity];
  const until = Math.min(Date.parse(meta?.end), Date.parse(meta?.data_as_of ?? meta?.end)) / 1000;
  if (!width || !x.length || Number.isNaN(until)) return null;
  const start = x[x.length - 1];
  return start + width > until ? {start, until: Math.max(start, until)} : null;
}

function whenSized(box, build) {
  let plot = null;
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry.contentRect.width);
    // Drawing inside the observer's callback would resize what it observes: wait for the next frame.
    requestAnimationFrame(() => {
      if (width <= 0 || !box.isConnected) return;
      if (!plot) {
        plot = build(width);
        live.add({
          destroy: () => {
            observer.disconnect();
            plot.destroy();
          }
        });
      } else if (Math.abs(plot.width - width) > 2) {
        plot.setSize({width, height: HEIGHT});
      }
    });
  });
  observer.observe(box);
}

function create(box, width, data, column, categories, style, progress) {
  const axisUnit = unit(column);
  const options = {
    width,
    height: HEIGHT,
    tzDate: ts => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: categories
      ? {
          x: {time: false, range: () => [-0.5, data.x.length - 0.5]},
          y: {range: (u, lo, hi) => [Math.min(0, lo), hi * 1.05]}
        }
      : {x: {time: true}},
    axes: [
      categories ? categoryAxis(categories) : {values: (u, ticks) => timeTicks(ticks)},
      {label: axisUnit, size: 60, values: (u, ticks) => compactTicks(ticks)}
    ],
    // Away from the cursor the legend names the series only: no time, no colons, no empty values.
    hooks: {
      setLegend: [
        u => u.root.classList.toggle('is-idle', u.cursor.idx === null || u.cursor.idx === undefined)
      ],
      drawClear: progress ? [u => shade(u, progress)] : []
    },
    series: [
      {
        label: categories ? 'Item' : 'Time (UTC)',
        value: (u, v) =>
          v === null
            ? ''
            : categories
              ? (categories[v] ?? '')
              : at(v) + (progress && v === progress.start ? ', in progress' : '')
      },
      ...data.series.map((s, i) =>
        seriesOptions(
          s,
          categories || data.series.length < 2 ? COLOURS[i] : colourOf(s.label),
          column,
          style,
          data.x.length
        )
      )
    ]
  };
  const values = [data.x, ...data.series.map(s => s.values.map(v => plotValue(column, v)))];
  const plot = new uPlot(options, values, box);
  plot.root.classList.toggle('is-idle', plot.cursor.idx === null || plot.cursor.idx === undefined);
  return plot;
}

/** Shades the bucket in progress and the line into it: from the point before to the right edge. */
function shade(u, progress) {
  const xs = u.data[0];
  const right = u.bbox.left + u.bbox.width;
  const from = xs.length > 1 ? u.valToPos(xs[xs.length - 2], 'x', true) : u.bbox.left;
  const left = Math.max(u.bbox.left, Math.min(from, right - 8 * uPlot.pxRatio));
  u.ctx.save();
  u.ctx.fillStyle = 'rgba(71, 85, 105, 0.12)';
  u.ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
  u.ctx.restore();
}

function seriesOptions(s, colour, column, style, points) {
  const options = {
    label: s.label,
    stroke: colour,
    width: 2,
    points: {show: points < 40},
    // With no cursor on the chart the legend shows no value (CSS hides it); at a gap it says so.
    value: (u, v, si, idx) =>
      idx === null ? '' : v === null || v === undefined ? 'no data' : legendValue(column, v)
  };
  if (style === 'bars')
    return {
      ...options,
      fill: colour + '55',
      paths: uPlot.paths.bars({size: [0.7, 48]}),
      points: {show: false}
    };
  if (style === 'dots')
    return {...options, paths: () => null, points: {show: true, size: 10, fill: colour}};
  return options;
}

function categoryAxis(categories) {
  const longest = Math.max(...categories.map(c => axisLabel(c).length));
  const crowded = categories.length * longest > 60;
  return {
    splits: () => categories.map((_, i) => i),
    // Every label where there is room for it, else every n-th: the legend names the bar under
    // the cursor, and overlapping labels name none.
    values: (u, ticks) => {
      const room = u.bbox.width / uPlot.pxRatio / Math.max(1, categories.length);
      const every = Math.max(1, Math.ceil(LABEL_ROOM / room));
      return ticks.map((i, n) => (n % every === 0 ? axisLabel(categories[i] ?? '') : ''));
    },
    rotate: crowded ? -50 : 0,
    // Room for the longest label, slanted.
    size: crowded ? Math.min(180, 16 + 5.5 * longest) : 40,
    gap: 4
  };
}

/** A category's name on the axis: long ones shortened (the legend has it whole). */
function axisLabel(name) {
  return name.length > LABEL_CHARS ? name.slice(0, LABEL_CHARS - 1) + '…' : name;
}

/** Tick labels in UTC: hours and minutes, with the date where a day starts or buckets are days. */
function timeTicks(ticks) {
  const span = ticks.length > 1 ? ticks[ticks.length - 1] - ticks[0] : 0;
  return ticks.map(t => {
    const iso = new Date(t * 1000).toISOString();
    const time = iso.slice(11, 16);
    return span > 3 * 86400 || time === '00:00' ? iso.slice(5, 10) : time;
  });
}

/** Percent axes carry 0–100, so the legend converts back to the API's ratio for formatting. */
function legendValue(column, plotted) {
  return unit(column) === '%' ? text(column, plotted / 100) : text(column, plotted);
}

/** Unix seconds as "2026-01-08 18:00 UTC". */
function at(seconds) {
  return utc(new Date(seconds * 1000).toISOString());
}

/**
 * Axis labels, short ("20.5k"), with enough decimals that neighbouring ticks differ: 20 500 and
 * 21 000 both rounded to thousands would read "21k" twice.
 */
function compactTicks(ticks) {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 0;
  return ticks.map(t => compact(t, step));
}

function compact(n, step) {
  const abs = Math.abs(n);
  // Decimals that show the step in units of `scale`: 0 for 1 000 in k, 1 for 500.
  const decimals = (scale, otherwise) =>
    step > 0 ? Math.min(3, Math.max(0, Math.ceil(-Math.log10(step / scale) - 1e-9))) : otherwise;
  if (abs >= 1e6) return (n / 1e6).toFixed(decimals(1e6, 1)) + 'M';
  if (abs >= 1e4) return (n / 1e3).toFixed(decimals(1e3, 0)) + 'k';
  if (abs > 0 && abs < 0.01) return String(Number(n.toPrecision(2)));
  return Number.isInteger(n) ? String(n) : n.toFixed(abs < 1 ? 2 : 1);
}
