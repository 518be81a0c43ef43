// The account panel: balance, reserved and available, open holds counting down to their expiry, the
// live credit grants (paid or promotional, in spending order, counting down to their expiry), and
// the audit trail a page at a time (newest page first, following new changes while it is shown).

import { enc, getJson } from './api.js';
import { countdown, credits, dateTime, el } from './format.js';

const PAGE = 10;

/** How a change moves the balance, for the amount column. */
const SIGN = {
  CREDIT: '+', DEBIT: '−', CAPTURE: '−', RESERVE: '', RELEASE: '', EXPIRE: '', GRANT_EXPIRED: '−', GRANT_VOIDED: '−',
  ALERTS_CHANGED: '',
};

/** The live grants in spending order; an engine without grants (a baseline) shows none. */
function grantsTable(grants, byCategory) {
  if (!grants) return [];
  return [
    el('div', { class: 'trail-head' },
      el('h3', {}, `Credit grants (${grants.length})`),
      el('span', { class: 'muted small', id: 'account-by-category' },
        `paid ${credits(byCategory.paid)} · promotional ${credits(byCategory.promotional)}`)),
    grants.length === 0
      ? el('p', { class: 'muted small' }, 'No live grants.')
      : el('table', { class: 'table', id: 'account-grants' },
        el('thead', {}, el('tr', {},
          el('th', {}, 'Grant'), el('th', {}, 'Category'), el('th', { class: 'num' }, 'Priority'),
          el('th', { class: 'num' }, 'Remaining'), el('th', { class: 'num' }, 'Held'), el('th', { class: 'num' }, 'Granted'),
          el('th', {}, 'Expires at'), el('th', { class: 'num' }, 'Expires in'))),
        el('tbody', {}, grants.map((g) => el('tr', { dataset: { grantId: g.grantId } },
          el('td', { class: 'mono small' }, g.grantId),
          el('td', {}, el('span', { class: `type ${g.category}` }, g.category)),
          el('td', { class: 'num' }, g.priority),
          el('td', { class: 'num' }, credits(g.remaining)),
          el('td', { class: 'num' }, credits(g.earmarked)),
          el('td', { class: 'num muted' }, credits(g.granted)),
          el('td', { class: 'small' }, g.expiresAt ? dateTime(g.expiresAt) : 'never'),
          g.expiresAt
            ? el('td', { class: 'num countdown', dataset: { expiresAt: g.expiresAt } }, countdown(g.expiresAt))
            : el('td', { class: 'num muted' }, '—'))))),
  ];
}

function tile(label, value, id) {
  return el('div', { class: 'tile' }, el('div', { class: 'label' }, label), el('div', { class: 'value', id }, value));
}

function moved(before, after) {
  if (before === after) return el('span', { class: 'muted' }, credits(after));
  return el('span', {}, el('span', { class: 'muted' }, `${credits(before)} → `),
    el('b', { class: after > before ? 'up' : 'down' }, credits(after)));
}

export class AccountPanel {
  constructor(card, { onLead }) {
    this.card = card;
    this.onLead = onLead;
    this.accountId = null;
    this.after = null; // the page shown starts after this version; null follows the newest
    this.view = null;
  }

  /** Shows the account; false when it has no history at all (no such account). */
  async open(accountId, { evenIfEmpty = true } = {}) {
    const view = await getJson(`/api/accounts/${enc(accountId)}`);
    if (view.version === 0 && !evenIfEmpty) return false;
    this.accountId = accountId;
    this.after = null;
    this.view = view;
    await this.refresh(view);
    return true;
  }

  async tick() {
    if (this.accountId !== null) await this.refresh();
  }

  close() {
    this.accountId = null;
    this.card.hidden = true;
  }

  async refresh(known) {
    const id = this.accountId;
    const view = known ?? (await getJson(`/api/accounts/${enc(id)}`));
    const after = this.after ?? Math.max(0, view.version - PAGE);
    const page = await getJson(`/api/accounts/${enc(id)}/transactions?after=${after}&limit=${PAGE}`);
    if (id !== this.accountId) return; // another account was opened meanwhile
    this.view = view;
    this.render(view, page, after);
  }

  /** Redraws only the countdowns, every second between refreshes. */
  countdowns() {
    for (const cell of this.card.querySelectorAll('[data-expires-at]')) {
      cell.textContent = countdown(cell.dataset.expiresAt);
      cell.classList.toggle('soon', new Date(cell.dataset.expiresAt).getTime() - Date.now() < 60_000);
    }
  }

  page(after) {
    const newest = Math.max(0, this.view.version - PAGE);
    this.after = after >= newest ? null : Math.max(0, after);
    this.refresh();
  }

  render(view, page, after) {
    const last = Math.min(after + PAGE, view.version);
    const rows = [...page.items].reverse();
    this.card.hidden = false;
    this.card.replaceChildren(
      el('div', { class: 'card-head' },
        el('h2', {}, 'Account ', el('span', { class: 'mono', id: 'account-id' }, view.accountId)),
        el('span', { class: 'muted small' }, `version ${view.version}`),
        view.lowBalanceThreshold === undefined ? null
          : el('span', { class: 'muted small', id: 'account-alert' }, view.lowBalanceThreshold > 0
            ? `low-balance alert below ${credits(view.lowBalanceThreshold)}` : 'no low-balance alert'),
        el('button', { type: 'button', class: 'link push', onclick: () => this.close() }, 'Close panel')),
      el('div', { class: 'tiles three' },
        tile('Balance', credits(view.balance), 'account-balance'),
        tile('Reserved', credits(view.reserved), 'account-reserved'),
        tile('Available', credits(view.available), 'account-available')),
      el('h3', {}, `Open holds (${view.holds.length})`),
      view.holds.length === 0
        ? el('p', { class: 'muted small' }, 'No open holds.')
        : el('table', { class: 'table' },
          el('thead', {}, el('tr', {}, el('th', {}, 'Hold'), el('th', { class: 'num' }, 'Amount'), el('th', {}, 'Expires at'), el('th', { class: 'num' }, 'Expires in'))),
          el('tbody', {}, view.holds.map((h) => el('tr', {},
            el('td', { class: 'mono small' }, h.holdId),
            el('td', { class: 'num' }, credits(h.amount)),
            el('td', { class: 'small' }, dateTime(h.expiresAt)),
            el('td', { class: 'num countdown', dataset: { expiresAt: h.expiresAt } }, countdown(h.expiresAt)))))),
      ...grantsTable(view.grants, view.byCategory),
      el('div', { class: 'trail-head' },
        el('h3', {}, 'Audit trail'),
        el('span', { class: 'muted small' }, view.version === 0 ? 'no changes' : `#${after + 1}–#${last} of ${view.version}`),
        el('span', { class: 'pager' },
          el('button', { type: 'button', disabled: after === 0, onclick: () => this.page(after - PAGE) }, '← Older'),
          el('button', { type: 'button', disabled: this.after === null, onclick: () => this.page(after + PAGE) }, 'Newer →'),
          el('button', { type: 'button', disabled: this.after === null, onclick: () => this.page(Infinity) }, 'Newest'))),
      rows.length === 0
        ? el('p', { class: 'muted small' }, 'No transactions yet.')
        : el('table', { class: 'table trail' },
          el('thead', {}, el('tr', {},
            el('th', { class: 'num' }, '#'), el('th', {}, 'At'), el('th', {}, 'Type'), el('th', { class: 'num' }, 'Amount'),
            el('th', { class: 'num' }, 'Balance'), el('th', { class: 'num' }, 'Reserved'), el('th', {}, 'Transaction'))),
          el('tbody', {}, rows.map((t, i) => this.row(t, after + page.items.length - i)))));
  }

  row(t, version) {
    const meta = t.metadata ?? {};
    return el('tr', { dataset: { transactionId: t.transactionId, type: t.type } },
      el('td', { class: 'num muted' }, version),
      el('td', { class: 'small nowrap' }, dateTime(t.at)),
      el('td', {}, el('span', { class: `type ${t.type.toLowerCase()}` }, t.type)),
      el('td', { class: 'num' }, `${SIGN[t.type] ?? ''}${credits(t.amount)}`),
      el('td', { class: 'num balance-cell' }, moved(t.balanceBefore, t.balanceAfter)),
      el('td', { class: 'num' }, moved(t.reservedBefore, t.reservedAfter)),
      el('td', { class: 'small' },
        el('div', { class: 'mono' }, t.transactionId),
        meta.leadId ? el('button', { type: 'button', class: 'link small', onclick: () => this.onLead(meta.leadId) }, `lead ${meta.leadId}`) : null,
        meta.reason ? el('div', { class: 'muted' }, meta.reason) : null));
  }
}
