// The operations dashboard: sign in with an admin token, then poll the service's API and metrics.
// Plain ES modules served by the service itself; no build step, nothing loaded from elsewhere.

import { AccountPanel } from './account.js';
import { ApiError, claimsOf, getJson, token, whenUnauthenticated } from './api.js';
import { LeadsPanel } from './leads.js';
import { LiabilityPanel } from './liability.js';
import { LivePanel } from './live.js';
import { RefundsPanel } from './refunds.js';
import { SinksPanel } from './sinks.js';

const $ = (id) => document.getElementById(id);

/** Runs `task` now and again `every()` ms after each run ends, so runs never overlap. */
class Loop {
  constructor(task, every, onError) {
    this.task = task;
    this.every = every;
    this.onError = onError;
    this.timer = null;
    this.running = false;
  }

  start() {
    this.running = true;
    this.run();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
  }

  async run() {
    if (!this.running) return;
    if (!document.hidden) {
      try {
        await this.task();
      } catch (e) {
        this.onError(e);
      }
    }
    if (this.running) this.timer = setTimeout(() => this.run(), this.every());
  }
}

const live = new LivePanel($('live'));
const account = new AccountPanel($('account-card'), { onLead: (id) => selectLead(id) });
const sinks = new SinksPanel($('sinks'));
const liability = new LiabilityPanel($('liability'));
const refunds = new RefundsPanel($('refunds'), {
  onTradie: (id) => openAccount(id),
  onLead: (id) => selectLead(id),
});
const leads = new LeadsPanel($('leads'), $('lead-card'), {
  onTradie: (id) => openAccount(id),
  onLead: (id) => selectLead(id),
});

function reportError(e) {
  if (e instanceof ApiError && e.status === 401) return; // handled by whenUnauthenticated
  $('leads-note').textContent = `Last refresh failed: ${e.message}`;
}

const loops = [
  new Loop(() => live.tick(), () => live.intervalMillis, reportError),
  new Loop(() => leads.tick(), () => 1000, reportError),
  new Loop(() => account.tick(), () => 2000, reportError),
  new Loop(() => sinks.tick(), () => 5000, reportError),
  new Loop(() => refunds.tick(), () => 3000, reportError),
  new Loop(() => liability.tick(), () => 10000, reportError),
  new Loop(async () => { account.countdowns(); syncDetail(); }, () => 1000, reportError),
  new Loop(readiness, () => 5000, reportError),
];

async function readiness() {
  const dot = $('ready');
  try {
    await getJson('/health/ready', null);
    dot.className = 'dot up';
    dot.title = 'ready';
  } catch (e) {
    dot.className = 'dot down';
    dot.title = `not ready: ${e.message}`;
  }
}

function syncDetail() {
  $('detail-empty').hidden = !$('lead-card').hidden || !$('account-card').hidden;
}

function notice(text) {
  const box = $('search-result');
  box.textContent = text ?? '';
  box.hidden = !text;
}

async function openAccount(id) {
  notice(null);
  try {
    await account.open(id);
  } catch (e) {
    notice(`Account ${id}: ${e.message}`);
  }
  syncDetail();
}

async function selectLead(id) {
  notice(null);
  try {
    if (!(await leads.showLead(id))) notice(`No lead with id “${id}”.`);
  } catch (e) {
    notice(`Lead ${id}: ${e.message}`);
  }
  syncDetail();
}

async function search(event) {
  event.preventDefault();
  const id = $('search-input').value.trim();
  if (id === '') return;
  notice(null);
  const missing = (e) => (e instanceof ApiError && (e.status === 404 || e.status === 400) ? false : Promise.reject(e));
  try {
    const [lead, acct] = await Promise.all([
      leads.showLead(id).catch(missing),
      account.open(id, { evenIfEmpty: false }).catch(missing),
    ]);
    if (!lead && !acct) notice(`No lead or account with id “${id}”.`);
  } catch (e) {
    notice(`Search failed: ${e.message}`);
  }
  syncDetail();
}

/** Whether `candidate` is an admin token the service accepts; the reason when it is not. */
async function check(candidate) {
  const claims = claimsOf(candidate);
  if (claims === null) return 'That is not a token: paste the whole JWT printed by ./leadcredits token.';
  if (claims.role && claims.role !== 'admin') {
    return `This is a ${claims.role} token. The dashboard needs an admin token (--role admin).`;
  }
  try {
    await getJson('/api/leads?limit=1', candidate);
    return null;
  } catch (e) {
    if (e.status === 401) return 'The service does not accept this token (invalid or expired).';
    if (e.status === 403) return 'The service refused this token: admin role required.';
    return `Sign-in failed: ${e.message}`;
  }
}

function showDashboard() {
  const claims = claimsOf(token.get()) ?? {};
  $('who').textContent = `${claims.sub ?? 'admin'} · admin`;
  $('login').hidden = true;
  for (const id of ['dashboard', 'search', 'session']) $(id).hidden = false;
  loops.forEach((l) => l.start());
}

function showLogin(message) {
  loops.forEach((l) => l.stop());
  for (const id of ['dashboard', 'search', 'session']) $(id).hidden = true;
  $('login').hidden = false;
  const error = $('login-error');
  error.textContent = message ?? '';
  error.hidden = !message;
  $('token').focus();
}

async function signIn(event) {
  event.preventDefault();
  const candidate = $('token').value.trim();
  $('login-submit').disabled = true;
  const problem = await check(candidate);
  $('login-submit').disabled = false;
  if (problem !== null) {
    showLogin(problem);
    return;
  }
  token.set(candidate);
  $('token').value = '';
  showDashboard();
}

function signOut(message) {
  token.clear();
  account.close();
  leads.closeLead();
  showLogin(message);
}

whenUnauthenticated(() => signOut('Your session ended: the service no longer accepts the token.'));
$('login-form').addEventListener('submit', signIn);
$('search').addEventListener('submit', search);
$('sign-out').addEventListener('click', () => signOut());

const saved = token.get();
if (saved === null) {
  showLogin();
} else {
  check(saved).then((problem) => (problem === null ? showDashboard() : signOut(problem)));
}
