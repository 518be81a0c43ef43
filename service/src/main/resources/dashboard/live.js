// The live panel: scrapes GET /metrics every second and turns the counters into rates and the
// latency histogram into p50/p99 over the last seconds.

import { getText } from './api.js';
import { drawLines } from './chart.js';
import { axisNumber, el, latency, rate } from './format.js';
import { buckets, byLabel, difference, parse, quantile, total } from './prometheus.js';

const POINTS = 60;
const LATENCY_WINDOW_SECONDS = 10;
const CLAIM_REASONS = ['lead_full', 'lead_closed', 'insufficient_credits', 'duplicate'];

/** What one scrape says, reduced to what the panel shows. */
export function reading(samples, at) {
  const claims = total(samples, 'lead_claims_total');
  const won = total(samples, 'lead_claims_total', { result: 'won' });
  return {
    at,
    claims,
    won,
    topups: total(samples, 'credit_transactions_total', { type: 'CREDIT', status: 'success' }),
    refused: claims - won,
    latency: buckets(samples, 'credit_processing_duration_seconds'),
    reasons: reasons(samples),
  };
}

/** Rejections by reason, claims first in a fixed order, then transactions by type and status. */
export function reasons(samples) {
  const claims = byLabel(samples, 'lead_claims_total', 'result');
  const list = [];
  for (const reason of CLAIM_REASONS) list.push({ reason, count: claims.get(reason) ?? 0 });
  for (const [reason, count] of claims) {
    if (reason !== 'won' && !CLAIM_REASONS.includes(reason)) list.push({ reason, count });
  }
  for (const status of ['rejected', 'failed']) {
    const byType = byLabel(samples, 'credit_transactions_total', 'type', { status });
    for (const [type, count] of byType) {
      if (count > 0) list.push({ reason: `${type.toLowerCase()} ${status}`, count });
    }
  }
  return list;
}

/** Per-second rates between two readings; a counter that went down (a restart) counts from 0. */
export function rates(before, now) {
  const seconds = Math.max((now.at - before.at) / 1000, 0.001);
  const delta = (key) => (now[key] >= before[key] ? now[key] - before[key] : now[key]) / seconds;
  return { claims: delta('claims'), won: delta('won'), topups: delta('topups'), refused: delta('refused') };
}

/** p50 and p99 of what was observed between two readings, in seconds (NaN when nothing was). */
export function latencies(before, now) {
  const window = difference(now.latency, before.latency);
  return { p50: quantile(0.5, window), p99: quantile(0.99, window) };
}

export class LivePanel {
  constructor(root) {
    this.root = root;
    this.readings = [];
    this.points = [];
    this.failures = 0;
  }

  async tick() {
    let text;
    try {
      text = await getText('/metrics');
    } catch (e) {
      this.failures++;
      this.note(e.status === 404
        ? 'Metrics are not served by this build (GET /metrics answered 404).'
        : `Metrics unavailable: ${e.message}`);
      this.render();
      return;
    }
    this.failures = 0;
    this.add(reading(parse(text), Date.now()));
    this.note('Updated every second from /metrics.');
    this.render();
  }

  /** Waits longer between scrapes while /metrics fails. */
  get intervalMillis() {
    return this.failures > 0 ? 5000 : 1000;
  }

  add(r) {
    const previous = this.readings[this.readings.length - 1];
    this.readings.push(r);
    if (this.readings.length > POINTS + LATENCY_WINDOW_SECONDS + 1) this.readings.shift();
    if (previous === undefined) return;
    const back = this.readings[Math.max(0, this.readings.length - 1 - LATENCY_WINDOW_SECONDS)];
    this.points.push({ ...rates(previous, r), ...latencies(back, r) });
    if (this.points.length > POINTS) this.points.shift();
  }

  note(text) {
    this.root.querySelector('#live-note').textContent = text;
  }

  render() {
    const last = this.points[this.points.length - 1];
    const $ = (id) => this.root.querySelector(id);
    if (last !== undefined) {
      $('#kpi-claims').textContent = rate(last.claims);
      $('#kpi-won').textContent = `${rate(last.won)} won`;
      $('#kpi-topups').textContent = rate(last.topups);
      $('#kpi-rejections').textContent = rate(last.refused);
      $('#kpi-p50').textContent = latency(last.p50);
      $('#kpi-p99').textContent = latency(last.p99);
    }
    const series = (name, key, className) => ({ name, className, values: this.points.map((p) => p[key]) });
    drawLines($('#chart-rates'), [
      series('claims/s', 'claims', 's1'),
      series('top-ups/s', 'topups', 's2'),
      series('rejections/s', 'refused', 's3'),
    ], POINTS, rate, axisNumber);
    drawLines($('#chart-latency'), [
      series('p50', 'p50', 's1'),
      series('p99', 'p99', 's3'),
    ], POINTS, latency);
    const latest = this.readings[this.readings.length - 1];
    this.renderReasons(latest === undefined ? [] : latest.reasons);
  }

  renderReasons(list) {
    if (list.length === 0) {
      this.root.querySelector('#rejections').replaceChildren(el('p', { class: 'muted small' }, 'No data yet.'));
      return;
    }
    const most = Math.max(1, ...list.map((r) => r.count));
    this.root.querySelector('#rejections').replaceChildren(
      ...list.map((r) =>
        el('div', { class: 'bar-row' },
          el('span', { class: 'bar-label' }, r.reason.replace(/_/g, ' ')),
          el('span', { class: 'bar-track' },
            el('span', { class: 'bar-fill', style: { width: `${((100 * r.count) / most).toFixed(1)}%` } })),
          el('span', { class: 'bar-value' }, Math.round(r.count).toLocaleString('en')))));
  }
}
