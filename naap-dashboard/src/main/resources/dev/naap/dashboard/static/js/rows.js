/*
 * Exact combinations of API rows, for charts and tables that show fewer groups than the API
 * returned: counts add up, a mean is weighted by the samples it rests on, a rate is recomputed
 * from its counts. Each returns null when nothing was measured, never 0.
 */

/** The sum of a column over rows, null when no row has a value. */
export const sum = column => rows => {
  const values = rows.map(r => r[column]).filter(v => v !== null && v !== undefined);
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
};

/** The largest value of a column, null when no row has one. */
export const max = column => rows => {
  const values = rows.map(r => r[column]).filter(v => v !== null && v !== undefined);
  return values.length ? Math.max(...values) : null;
};

/** The mean of `column` weighted by `weight` (its sample count), null with no samples. */
export const weightedMean = (column, weight) => rows => {
  let total = 0;
  let weights = 0;
  for (const r of rows) {
    if (r[column] === null || r[column] === undefined || !r[weight]) continue;
    total += r[column] * r[weight];
    weights += r[weight];
  }
  return weights ? total / weights : null;
};

/** sum(numerator) / sum(denominator), null when the denominator is 0. */
export const ratio = (numerator, denominator) => rows => {
  const d = sum(denominator)(rows);
  return d ? (sum(numerator)(rows) ?? 0) / d : null;
};

/** Rows grouped by the values of `keys`: [{key values…, rows}]. */
export function groupBy(rows, keys) {
  const groups = new Map();
  for (const r of rows) {
    const id = JSON.stringify(keys.map(k => r[k] ?? null));
    if (!groups.has(id))
      groups.set(id, {key: Object.fromEntries(keys.map(k => [k, r[k] ?? null])), rows: []});
    groups.get(id).rows.push(r);
  }
  return [...groups.values()];
}

/** One summary row per group of `keys`, with each `aggregates` function applied to the group's rows. */
export function summarise(rows, keys, aggregates) {
  return groupBy(rows, keys).map(({key, rows: group}) => {
    const out = {...key};
    for (const [name, fn] of Object.entries(aggregates)) out[name] = fn(group);
    return out;
  });
}

/**
 * Time series for a chart: x is every window_start (unix seconds, ascending); one series per value
 * of `seriesKey` (or one named `name` when seriesKey is null), each point `value(rows of that
 * bucket and series)`. At most `limit` series, the largest by `rank(rows of the series)` first
 * (default: the most rows).
 */
export function series(
  rows,
  {seriesKey = null, name = '', value, rank = group => group.length, limit = 8}
) {
  const times = withGaps([...new Set(rows.map(r => r.window_start))].sort());
  const index = new Map(times.map((t, i) => [t, i]));
  const groups = seriesKey ? groupBy(rows, [seriesKey]) : [{key: {}, rows}];
  const ranked = groups
    .map(g => ({
      label: seriesKey ? g.key[seriesKey] || 'unknown' : name,
      rows: g.rows,
      size: rank(g.rows) ?? -Infinity
    }))
    .sort((a, b) => b.size - a.size)
    .slice(0, limit);
  return {
    x: times.map(t => Date.parse(t) / 1000),
    series: ranked.map(g => {
      const buckets = times.map(() => []);
      for (const r of g.rows) buckets[index.get(r.window_start)].push(r);
      return {label: String(g.label), values: buckets.map(b => (b.length ? value(b) : null))};
    })
  };
}

/**
 * The bucket starts with the buckets that have no row put back in (as the smallest step between
 * two buckets), so that a chart shows a gap there instead of a line across it.
 */
function withGaps(times) {
  const ms = times.map(t => Date.parse(t));
  const step = Math.min(...ms.slice(1).map((t, i) => t - ms[i]));
  if (!Number.isFinite(step) || step <= 0 || (ms.at(-1) - ms[0]) / step > 2000) return times;
  const all = [];
  for (let t = ms[0]; t <= ms.at(-1); t += step)
    all.push(new Date(t).toISOString().replace('.000Z', 'Z'));
  return all.length >= times.length && times.every(t => all.includes(t)) ? all : times;
}

/** The median of the non-null values of a column. */
export function median(rows, column) {
  const values = rows
    .map(r => r[column])
    .filter(v => typeof v === 'number')
    .sort((a, b) => a - b);
  if (!values.length) return null;
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** The value of a column in the one row of a group; the API returns one row per bucket and group. */
export const only = column => rows => {
  if (rows.length > 1)
    throw new Error(`expected one row per bucket for ${column}, got ${rows.length}`);
  return rows[0][column] ?? null;
};

/** The first of `candidates` that some row has: the API's name for a column. */
export function pick(rows, ...candidates) {
  return candidates.find(c => rows.some(r => c in r)) ?? candidates[0];
}

/** Several series over the same rows: [{name, value}] → one chart's data. */
export function measures(rows, specs) {
  const parts = specs.map(s => series(rows, {name: s.name, value: s.value}));
  return {x: parts[0]?.x ?? [], series: parts.flatMap(p => p.series)};
}
