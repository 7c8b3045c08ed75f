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
 * default over categories) or 'dots' (one per measurement, no line between them).
 */
export function chart({
  title,
  data,
  column,
  csv,
  note,
  categories = null,
  style = categories ? 'bars' : 'lines'
}) {
  const empty = !data.x.length || data.series.every(s => s.values.every(v => v === null));
  const box = empty
    ? h(
        'div',
        {class: 'chart-empty', dataset: {nodata: ''}},
        'No data for this range and these filters'
      )
    : h('div', {
        class: 'chart-box',
        role: 'img',
        'aria-label': `${title}: ${data.series.map(s => s.label).join(', ')}; ${data.x.length} points. The CSV has the numbers.`
      });
  if (!empty) whenSized(box, width => create(box, width, data, column, categories, style));
  return panel(
    {title, csv, note},
    h(
      'figure',
      {class: 'chart', dataset: {chart: title, points: data.x.length, series: data.series.length}},
      box
    )
  );
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

function create(box, width, data, column, categories, style) {
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
      {label: axisUnit, size: 60, values: (u, ticks) => ticks.map(t => compact(t))}
    ],
    // Away from the cursor the legend names the series only: no time, no colons, no empty values.
    hooks: {
      setLegend: [
        u => u.root.classList.toggle('is-idle', u.cursor.idx === null || u.cursor.idx === undefined)
      ]
    },
    series: [
      {
        label: categories ? 'Item' : 'Time (UTC)',
        value: (u, v) =>
          v === null
            ? ''
            : categories
              ? (categories[v] ?? '')
              : utc(new Date(v * 1000).toISOString())
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
  const longest = Math.max(...categories.map(c => c.length));
  const crowded = categories.length * longest > 60;
  return {
    splits: () => categories.map((_, i) => i),
    values: (u, ticks) => ticks.map(i => categories[i] ?? ''),
    rotate: crowded ? -50 : 0,
    // Room for the longest label, slanted.
    size: crowded ? Math.min(180, 16 + 5.5 * longest) : 40,
    gap: 4
  };
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

function compact(n) {
  const abs = Math.abs(n);
  if (abs >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (abs >= 1e4) return (n / 1e3).toFixed(0) + 'k';
  if (abs > 0 && abs < 0.01) return String(Number(n.toPrecision(2)));
  return Number.isInteger(n) ? String(n) : n.toFixed(abs < 1 ? 2 : 1);
}
