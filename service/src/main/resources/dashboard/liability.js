// The liability panel: what the marketplace still owes in credits, by category, what the paid ones
// are worth by currency, what expired and was voided in the last 30 days, what expires in the
// next 30, and how fresh the read model behind it is. Polls GET /api/reports/credits.

import { ApiError, getJson } from './api.js';
import { ago, credits, el } from './format.js';

/**
 * An amount in minor units in the currency's major unit, by string so nothing is rounded:
 * 14251 AUD → "AUD 142.51", 500 JPY → "JPY 500".
 */
export function money(amountMinor, currency) {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    // a code this browser does not know: cents
  }
  const text = String(amountMinor).padStart(digits + 1, '0');
  const major = text.slice(0, text.length - digits);
  const minor = digits === 0 ? '' : `.${text.slice(text.length - digits)}`;
  return `${currency} ${credits(Number(major))}${minor}`;
}

/** How fresh the report is, in words. */
export function freshness(asOf) {
  if (asOf.lastEventAt === null) return asOf.caughtUp ? 'no grants yet' : 'catching up';
  const last = `last event ${ago(asOf.lastEventAt)}`;
  return asOf.caughtUp ? `up to date · ${last}` : `catching up · ${last}`;
}

function tile(label, value, sub) {
  return el('div', { class: 'tile' },
    el('div', { class: 'label' }, label),
    el('div', { class: 'value' }, value),
    el('div', { class: 'sub' }, sub));
}

export class LiabilityPanel {
  constructor(root) {
    this.root = root;
  }

  async tick() {
    let r;
    try {
      r = await getJson('/api/reports/credits');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        this.root.querySelector('#liability-note').textContent = 'not offered by this engine';
        return;
      }
      throw e;
    }
    this.root.querySelector('#liability-note').textContent = freshness(r.asOf);
    const values = r.paidValue.length === 0
      ? 'no priced credits'
      : r.paidValue.map((v) => money(v.amountMinor, v.currency)).join(' · ');
    this.root.querySelector('#liability-tiles').replaceChildren(
      tile('Paid owed', credits(r.outstanding.paid), values),
      tile('Promotional owed', credits(r.outstanding.promotional), 'credits'),
      tile('Expiring in 30 days', credits(r.expiring.paid + r.expiring.promotional),
        `${credits(r.expiring.promotional)} promotional`),
      tile('Expired, last 30 days', credits(r.period.expired.paid + r.period.expired.promotional),
        `${credits(r.period.voided.paid + r.period.voided.promotional)} voided`));
  }
}
