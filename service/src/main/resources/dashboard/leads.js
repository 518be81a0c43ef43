// The leads panel: counts by status, the newest leads with their claims as they come in, and the
// selected lead in full. Polls GET /api/leads and GET /api/leads/{id}.

import { enc, getJson } from './api.js';
import { ago, countdown, credits, el, time } from './format.js';

const LIMIT = 20;
const CLAIMS_SHOWN = 6;

function badge(status) {
  return el('span', { class: `badge ${status.toLowerCase()}` }, status.toLowerCase());
}

// A lead without its own cost is priced per tradie by the price list in force.
function cost(lead) {
  return lead.creditCost == null ? 'priced by the list' : `${credits(lead.creditCost)} credits`;
}

function terms(lead) {
  const parts = [cost(lead)];
  if (lead.expiresAt && lead.status === 'OPEN') parts.push(`closes in ${countdown(lead.expiresAt)}`);
  return parts.join(' · ');
}

function progress(lead) {
  const taken = lead.claims.length;
  return el('div', { class: 'progress-row' },
    el('span', { class: 'progress' },
      el('span', { class: `progress-fill ${lead.status.toLowerCase()}`, style: { width: `${(100 * taken) / lead.maxClaims}%` } })),
    el('span', { class: 'progress-text' }, `${taken} / ${lead.maxClaims} claimed`));
}

export class LeadsPanel {
  /** `onTradie(id)` opens an account, `onLead(id)` selects a lead. */
  constructor(root, detail, { onTradie, onLead }) {
    this.root = root;
    this.detail = detail;
    this.onTradie = onTradie;
    this.onLead = onLead;
    this.status = '';
    this.seen = null; // claim ids already shown; null until the first answer
    this.selected = null;
    for (const button of root.querySelectorAll('.filter')) {
      button.addEventListener('click', () => {
        this.status = button.dataset.status;
        root.querySelectorAll('.filter').forEach((b) => b.classList.toggle('active', b === button));
        this.tick();
      });
    }
  }

  async tick() {
    const query = `?limit=${LIMIT}${this.status ? `&status=${this.status}` : ''}`;
    const list = await getJson(`/api/leads${query}`);
    for (const status of ['OPEN', 'FULL', 'CLOSED', 'VOIDED']) {
      this.root.querySelector(`#count-${status}`).textContent = credits(list.counts[status]);
    }
    const fresh = new Set();
    const known = this.seen ?? new Set();
    for (const lead of list.items) {
      for (const c of lead.claims) if (!known.has(c.claimId)) fresh.add(c.claimId);
    }
    const firstLoad = this.seen === null;
    this.seen = new Set([...known, ...fresh]);
    this.root.querySelector('#lead-list').replaceChildren(
      ...(list.items.length === 0
        ? [el('li', { class: 'muted empty-row' }, 'No leads yet.')]
        : list.items.map((lead) => this.item(lead, firstLoad ? new Set() : fresh))));
    this.root.querySelector('#leads-note').textContent =
      `newest ${Math.min(LIMIT, list.items.length)} shown`;
    if (this.selected) await this.showLead(this.selected);
  }

  item(lead, fresh) {
    const newest = [...lead.claims].reverse();
    const shown = newest.slice(0, CLAIMS_SHOWN);
    return el('li', { class: 'lead', dataset: { leadId: lead.leadId } },
      el('div', { class: 'lead-head' },
        el('button', { type: 'button', class: 'link lead-id', onclick: () => this.onLead(lead.leadId) }, lead.leadId),
        badge(lead.status),
        el('span', { class: 'muted small push' }, terms(lead))),
      progress(lead),
      shown.length === 0 ? null : el('ul', { class: 'claims' },
        shown.map((c) => el('li', { class: `claim${fresh.has(c.claimId) ? ' new' : ''}`, dataset: { claimId: c.claimId } },
          el('button', { type: 'button', class: 'link tradie', onclick: () => this.onTradie(c.tradieId) }, c.tradieId),
          el('span', { class: 'muted small', title: c.at }, `${time(c.at)} · ${ago(c.at)}`))),
        newest.length > shown.length
          ? el('li', { class: 'muted small more' }, `+ ${newest.length - shown.length} earlier`)
          : null));
  }

  /** The lead in full in the detail column; false when there is no such lead. */
  async showLead(leadId) {
    let lead;
    try {
      lead = await getJson(`/api/leads/${enc(leadId)}`);
    } catch (e) {
      if (e.status === 404 || e.status === 400) return false;
      throw e;
    }
    this.selected = leadId;
    const card = this.detail;
    card.hidden = false;
    card.replaceChildren(
      el('div', { class: 'card-head' },
        el('h2', {}, 'Lead ', el('span', { class: 'mono' }, lead.leadId)), badge(lead.status),
        el('button', { type: 'button', class: 'link push', onclick: () => this.closeLead() }, 'Close panel')),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Cost'), el('dd', {}, cost(lead)),
        el('dt', {}, 'Claims'), el('dd', {}, `${lead.claims.length} of ${lead.maxClaims}`),
        lead.status === 'VOIDED' ? el('dt', {}, 'Voided') : null,
        lead.status === 'VOIDED' ? el('dd', { class: 'voided-note' }, 'every confirmed claim is refunded in full') : null,
        el('dt', {}, 'Expires'), el('dd', {}, lead.expiresAt ? `${lead.expiresAt} (${countdown(lead.expiresAt)})` : 'never'),
        el('dt', {}, 'Version'), el('dd', {}, lead.version)),
      lead.claims.length === 0
        ? el('p', { class: 'muted' }, 'No claims yet.')
        : el('table', { class: 'table' },
          el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Tradie'), el('th', {}, 'Claim id'), el('th', {}, 'Paid'), el('th', {}, 'At'))),
          el('tbody', {}, lead.claims.map((c, i) => el('tr', { dataset: { claimId: c.claimId } },
            el('td', { class: 'num' }, i + 1),
            el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => this.onTradie(c.tradieId) }, c.tradieId)),
            el('td', { class: 'mono small' }, c.claimId),
            el('td', { class: 'num' }, c.creditCost == null ? '–' : credits(c.creditCost)),
            el('td', { class: 'small' }, time(c.at)))))));
    return true;
  }

  closeLead() {
    this.selected = null;
    this.detail.hidden = true;
  }
}
