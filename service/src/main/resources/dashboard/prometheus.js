// The Prometheus text exposition format (0.0.4), as the service's /metrics writes it: comment
// lines (# HELP, # TYPE, others) are skipped; each sample is `name{label="value",...} value [ts]`.
// Histograms come as `<name>_bucket{le=...}` (cumulative), `<name>_sum` and `<name>_count`.

/** Every sample of a scrape: [{name, labels, value}]. Lines that do not parse are skipped. */
export function parse(text) {
  const samples = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sample = parseLine(line);
    if (sample !== null) samples.push(sample);
  }
  return samples;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseLine(line) {
  const name = NAME.exec(line);
  if (name === null) return null;
  let i = name[0].length;
  const labels = {};
  if (line[i] === '{') {
    const end = parseLabels(line, i + 1, labels);
    if (end < 0) return null;
    i = end;
  }
  const fields = line.slice(i).trim().split(/\s+/);
  const value = parseValue(fields[0]);
  return Number.isNaN(value) && fields[0] !== 'NaN' ? null : { name: name[0], labels, value };
}

/** Reads `key="value",...}` from `i`; returns the index after the brace, or -1. */
function parseLabels(line, i, labels) {
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return i + 1;
    const eq = line.indexOf('=', i);
    if (eq < 0 || line[eq + 1] !== '"') return -1;
    const key = line.slice(i, eq).trim();
    let value = '';
    i = eq + 2;
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\' && i + 1 < line.length) {
        const next = line[i + 1];
        value += next === 'n' ? '\n' : next;
        i += 2;
      } else {
        value += line[i++];
      }
    }
    if (i >= line.length) return -1;
    labels[key] = value;
    i++;
  }
}

function parseValue(token) {
  if (token === undefined) return NaN;
  if (token === '+Inf' || token === 'Inf') return Infinity;
  if (token === '-Inf') return -Infinity;
  return token.trim() === '' ? NaN : Number(token);
}

function matches(labels, match) {
  return Object.entries(match).every(([k, v]) => labels[k] === v);
}

/** The sum of the samples named `name` whose labels include `match`. */
export function total(samples, name, match = {}) {
  let sum = 0;
  for (const s of samples) {
    if (s.name === name && matches(s.labels, match)) sum += s.value;
  }
  return sum;
}

/** The sums of the samples named `name`, grouped by the value of `label`. */
export function byLabel(samples, name, label, match = {}) {
  const sums = new Map();
  for (const s of samples) {
    if (s.name === name && label in s.labels && matches(s.labels, match)) {
      sums.set(s.labels[label], (sums.get(s.labels[label]) ?? 0) + s.value);
    }
  }
  return sums;
}

/**
 * The cumulative buckets of histogram `name` (without `_bucket`), summed over its other labels:
 * [{le, count}] by increasing upper bound, +Inf last.
 */
export function buckets(samples, name, match = {}) {
  const counts = byLabel(samples, name + '_bucket', 'le', match);
  return [...counts.entries()]
    .map(([le, count]) => ({ le: parseValue(le), count }))
    .sort((a, b) => a.le - b.le);
}

/** Bucket counts of `now` minus those of `before`: the observations made in between. */
export function difference(now, before) {
  const earlier = new Map(before.map((b) => [b.le, b.count]));
  return now.map((b) => ({ le: b.le, count: Math.max(0, b.count - (earlier.get(b.le) ?? 0)) }));
}

/**
 * The q-quantile (0..1) of cumulative buckets, interpolated linearly inside the bucket it falls in,
 * as PromQL's histogram_quantile does; NaN without observations. A rank in the +Inf bucket answers
 * the highest finite bound.
 */
export function quantile(q, cumulative) {
  if (cumulative.length === 0) return NaN;
  const count = cumulative[cumulative.length - 1].count;
  if (!(count > 0)) return NaN;
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const b of cumulative) {
    if (b.count >= rank && b.count > below) {
      if (b.le === Infinity) return lower;
      return lower + ((b.le - lower) * (rank - below)) / (b.count - below);
    }
    lower = b.le;
    below = b.count;
  }
  return lower;
}
