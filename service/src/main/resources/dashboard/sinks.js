// The events-out panel: each webhook endpoint with the health of its latest deliveries, and how far
// each sink of the event feed is behind. Polls GET /api/webhooks, each endpoint's
// /deliveries, and the sinks' lag gauge in GET /metrics.

import { enc, getJson, getText } from './api.js';
import { ago, el } from './format.js';
import { parse } from './prometheus.js';

const RECENT = 100;
const LAG = 'leadcredits_event_sink_lag';

/** The lag of each sink by name, in seconds, from a scrape. */
export function sinkLags(scrape) {
  const lags = {};
  for (const s of parse(scrape)) {
    if (s.name.startsWith(LAG) && s.labels.sink) lags[s.labels.sink] = s.value;
  }
  return lags;
}

/** Counts by status of an endpoint's latest deliveries, and what the latest attempt said. */
export function health(deliveries) {
  const counts = { DELIVERED: 0, PENDING: 0, FAILED: 0 };
  let retrying = 0;
  let last = null;
  for (const d of deliveries) {
    counts[d.status] = (counts[d.status] ?? 0) + 1;
    if (d.status === 'PENDING' && d.attempts > 0) retrying++;
    if (d.lastAttemptAt && (last === null || d.lastAttemptAt > last.lastAttemptAt)) last = d;
  }
  const state = counts.FAILED > 0 || retrying > 0 ? 'failing' : counts.PENDING > 0 ? 'pending' : 'ok';
  return { counts, retrying, last, state };
}

function lagText(seconds) {
  if (seconds === undefined) return 'not running on this node';
  return seconds < 1 ? 'caught up' : `${seconds.toFixed(1)} s behind`;
}

export class SinksPanel {
  constructor(root) {
    this.root = root;
  }

  async tick() {
    const [list, scrape] = await Promise.all([getJson('/api/webhooks'), getText('/metrics')]);
    const lags = sinkLags(scrape);
    const rows = await Promise.all(
      list.items.map(async (endpoint) => {
        const page = await getJson(`/api/webhooks/${enc(endpoint.id)}/deliveries?limit=${RECENT}`);
        return this.row(endpoint, health(page.items));
      }),
    );
    this.root.querySelector('#sink-lags').replaceChildren(
      ...['webhooks', 'kafka'].map((sink) =>
        el('div', { class: 'tile', dataset: { sink } },
          el('div', { class: 'label' }, `${sink} lag`),
          el('div', { class: 'value' }, lagText(lags[sink])))));
    this.root.querySelector('#webhook-list').replaceChildren(
      ...(rows.length === 0 ? [el('li', { class: 'muted empty-row' }, 'No webhook endpoints.')] : rows));
  }

  row(endpoint, h) {
    const status = endpoint.status === 'ENABLED' ? h.state : 'disabled';
    const last = h.last
      ? `last attempt ${ago(h.last.lastAttemptAt)}${h.last.lastStatusCode ? ` → ${h.last.lastStatusCode}` : ''}`
      : 'no attempt yet';
    return el('li', { class: 'webhook', dataset: { webhookId: endpoint.id } },
      el('div', { class: 'lead-head' },
        el('span', { class: 'lead-id' }, endpoint.url),
        el('span', { class: `badge ${status}` }, status),
        el('span', { class: 'muted small push' }, endpoint.types.length ? endpoint.types.join(', ') : 'every type')),
      el('div', { class: 'muted small' },
        `latest ${RECENT}: ${h.counts.DELIVERED} delivered · ${h.counts.PENDING} pending`
          + `${h.retrying ? ` (${h.retrying} retrying)` : ''} · ${h.counts.FAILED} failed · ${last}`));
  }
}
