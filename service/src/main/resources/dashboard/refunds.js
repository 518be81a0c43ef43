// The refunds panel: the pending refund requests a page at a time, flagged ones highlighted, each
// with Approve (an amount, by default the full price paid) and Reject (a note). Polls
// GET /api/refunds?status=PENDING; decides with POST /api/refunds/{id}/approve and …/reject.

import { ApiError, enc, getJson, postJson } from './api.js';
import { credits, dateTime, el } from './format.js';

const PAGE = 20;

/** A refused call in words: the problem's code and what it says. */
export function problemText(e) {
  if (e instanceof ApiError) return e.code ? `${e.code}: ${e.message}` : `${e.message} (HTTP ${e.status})`;
  return e?.message ?? String(e);
}

/**
 * The approval's body: no amount when the field is blank (the service then gives back the full
 * price paid); a text that is not a whole number is sent as it is so the service's problem explains.
 */
export function approval(amountText, note) {
  const body = {};
  const amount = amountText.trim();
  if (amount !== '') body.amount = /^\d+$/.test(amount) ? Number(amount) : amount;
  if (note.trim() !== '') body.note = note.trim();
  return body;
}

export class RefundsPanel {
  constructor(root, { onLead, onTradie }) {
    this.root = root;
    this.onLead = onLead;
    this.onTradie = onTradie;
    this.pages = []; // the `after` of each page before the one shown; its own is `after`
    this.after = null;
    this.shown = null; // what the list shows, so a poll that finds the same leaves typing alone
    this.errors = new Map(); // refund id → the last decision's problem, until the row goes
    this.busy = false;
    this.generation = 0; // a decision starts another: a list read before it is not shown
  }

  /** The page size; the page's `data-page-size` may set another. */
  get pageSize() {
    return Number(this.root.dataset.pageSize) || PAGE;
  }

  async tick() {
    if (this.busy) return;
    const generation = this.generation;
    let page;
    const query = `status=PENDING&limit=${this.pageSize}${this.after === null ? '' : `&after=${enc(this.after)}`}`;
    try {
      page = await getJson(`/api/refunds?${query}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        this.note('not offered by this engine');
        return;
      }
      if (e instanceof ApiError && e.status === 401) throw e; // the session ends
      this.note(`Last refresh failed: ${problemText(e)}`);
      this.shown = null;
      return;
    }
    if (generation === this.generation) this.render(page);
  }

  note(text) {
    this.root.querySelector('#refunds-note').textContent = text;
  }

  render(page) {
    const signature = JSON.stringify([this.after, page, [...this.errors]]);
    if (signature === this.shown) return;
    this.shown = signature;
    const first = this.pages.length === 0;
    this.note(page.items.length === 0
      ? (first ? 'nothing pending' : 'no more pending refunds')
      : `${page.items.length} pending${first ? '' : ` on page ${this.pages.length + 1}`}`
        + `${page.items.some((r) => r.flagged) ? ` · ${page.items.filter((r) => r.flagged).length} flagged` : ''}`);
    const typed = this.typed();
    for (const id of this.errors.keys()) {
      if (!page.items.some((r) => r.refundId === id)) this.errors.delete(id);
    }
    const list = this.root.querySelector('#refund-list');
    list.replaceChildren(
      ...(page.items.length === 0
        ? [el('li', { class: 'muted empty-row' }, first ? 'No refund waits for a decision.' : 'No more pending refunds.')]
        : page.items.map((r) => this.row(r, typed.get(r.refundId)))));
    this.root.querySelector('#refund-pager').replaceChildren(
      el('button', { type: 'button', id: 'refunds-first', disabled: first, onclick: () => this.go([], null) }, 'First'),
      el('button', { type: 'button', id: 'refunds-previous', disabled: first,
        onclick: () => this.go(this.pages.slice(0, -1), this.pages[this.pages.length - 1]) }, '← Previous'),
      el('button', { type: 'button', id: 'refunds-next', disabled: page.next === null,
        onclick: () => this.go([...this.pages, this.after], page.next) }, 'Next →'));
  }

  /** What was typed in each row, so a refresh does not lose it. */
  typed() {
    const typed = new Map();
    for (const row of this.root.querySelectorAll('li.refund')) {
      typed.set(row.dataset.refundId, {
        amount: row.querySelector('.refund-amount').value,
        note: row.querySelector('.refund-note').value,
      });
    }
    return typed;
  }

  async go(pages, after) {
    this.pages = pages;
    this.after = after;
    this.generation++;
    this.shown = null;
    await this.tick();
  }

  row(r, typed) {
    const amount = el('input', {
      type: 'number', class: 'refund-amount', min: 1, max: r.pricePaid, step: 1,
      placeholder: `${r.amount} (all)`, 'aria-label': `Amount to give back for ${r.refundId}`,
    });
    const note = el('input', {
      type: 'text', class: 'refund-note', maxlength: 256, placeholder: 'note (optional)',
      'aria-label': `Decision note for ${r.refundId}`,
    });
    if (typed) {
      amount.value = typed.amount;
      note.value = typed.note;
    }
    const error = this.errors.get(r.refundId);
    return el('li', { class: `refund${r.flagged ? ' flagged' : ''}`, dataset: { refundId: r.refundId } },
      el('div', { class: 'lead-head' },
        el('span', { class: 'lead-id' }, r.refundId),
        r.flagged ? el('span', { class: 'badge flagged', title: 'the tradie\'s recent refunds exceed the allowed share of their claims' }, 'flagged') : null,
        el('span', { class: 'type' }, r.reason),
        el('span', { class: 'muted small push' }, `requested ${dateTime(r.requestedAt)}`)),
      el('div', { class: 'refund-facts small' },
        el('span', {}, 'claim ', el('span', { class: 'mono refund-claim' }, r.claimId)),
        el('span', {}, 'lead ', el('button', { type: 'button', class: 'link refund-lead', onclick: () => this.onLead(r.leadId) }, r.leadId)),
        el('span', {}, 'tradie ', el('button', { type: 'button', class: 'link refund-tradie', onclick: () => this.onTradie(r.tradieId) }, r.tradieId)),
        el('span', {}, 'asks ', el('b', { class: 'refund-asked' }, credits(r.amount)), ` of ${credits(r.pricePaid)} paid`)),
      r.note ? el('div', { class: 'refund-request-note small' }, `“${r.note}”`) : null,
      el('form', { class: 'refund-decision', onsubmit: (e) => e.preventDefault() },
        amount,
        note,
        el('button', { type: 'button', class: 'approve', onclick: () => this.approve(r, amount, note) }, 'Approve'),
        el('button', { type: 'button', class: 'reject', onclick: () => this.decide(r, 'reject', note.value.trim() === '' ? {} : { note: note.value.trim() }) }, 'Reject')),
      error ? el('p', { class: 'error small refund-error', role: 'alert' }, error) : null);
  }

  approve(refund, amount, note) {
    // What the browser could not read as a number shows as an empty field: sent as such it would
    // give back the full price, so it is refused here instead.
    if (amount.validity.badInput) {
      this.errors.set(refund.refundId, 'Could not approve: the amount is not a whole number of credits');
      this.shown = null;
      return this.tick();
    }
    return this.decide(refund, 'approve', approval(amount.value, note.value));
  }

  async decide(refund, decision, body) {
    // One decision at a time; polls wait so the list does not change under the click.
    if (this.busy) return;
    this.busy = true;
    this.generation++;
    this.root.querySelectorAll('.refund-decision button').forEach((b) => { b.disabled = true; });
    try {
      await postJson(`/api/refunds/${enc(refund.refundId)}/${decision}`, body);
      this.errors.delete(refund.refundId);
    } catch (e) {
      this.errors.set(refund.refundId, `Could not ${decision}: ${problemText(e)}`);
    } finally {
      this.busy = false;
    }
    this.shown = null;
    await this.tick();
  }
}
