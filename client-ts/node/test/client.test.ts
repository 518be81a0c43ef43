// Run by TypeScriptClientTest against a live service: LEADCREDITS_URL, and tokens of an admin and
// of the tradie `ts-tradie`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, Problem } from "../src";

const baseUrl = process.env.LEADCREDITS_URL ?? "";
const admin = createClient({ baseUrl, token: process.env.LEADCREDITS_ADMIN_TOKEN });
const tradie = createClient({ baseUrl, token: () => process.env.LEADCREDITS_TRADIE_TOKEN ?? "" });

test("a top-up with the same transaction id applies once", async () => {
  const credit = { amount: 40, transactionId: "ts-topup-1", reason: "pack" };
  await admin.accounts.credit({ accountId: "ts-ann", credit });
  const again = await admin.accounts.credit({ accountId: "ts-ann", credit });
  assert.equal(again.balance, 40);
  const account = await admin.accounts.getAccount({ accountId: "ts-ann" });
  assert.equal(account.available, 40);
});

test("problems are thrown with their code", async () => {
  await admin.accounts.credit({ accountId: "ts-bob", credit: { amount: 5 } });
  await assert.rejects(
    admin.accounts.debit({ accountId: "ts-bob", amount: { amount: 6 } }),
    (e: unknown) => e instanceof Problem && e.code === "INSUFFICIENT_CREDITS" && e.status === 402,
  );
  await assert.rejects(
    admin.leads.getLead({ leadId: "ts-no-such-lead" }),
    (e: unknown) => e instanceof Problem && e.code === "NOT_FOUND",
  );
  await assert.rejects(
    tradie.accounts.getAccount({ accountId: "ts-bob" }),
    (e: unknown) => e instanceof Problem && e.code === "FORBIDDEN",
  );
  assert.equal((await admin.accounts.getAccount({ accountId: "ts-bob" })).balance, 5);
});

test("a tradie claims a lead once, and the feed shows it, resumable from its cursor", async () => {
  await admin.accounts.credit({ accountId: "ts-tradie", credit: { amount: 100 } });
  await admin.leads.createLead({ createLead: { leadId: "ts-job", creditCost: 30, maxClaims: 2 } });
  const claim = await tradie.leads.claimLead({ leadId: "ts-job" });
  const retried = await tradie.leads.claimLead({ leadId: "ts-job" });
  assert.equal(retried.claimId, claim.claimId);
  assert.equal((await tradie.accounts.ownBalance()).balance, 70);

  const seen: string[] = [];
  let cursorAfterCreate: string | undefined;
  for await (const event of admin.follow(undefined, ["lead."])) {
    if (event.subject !== "leads/ts-job") continue;
    seen.push(event.type);
    if (event.type === "lead.created") cursorAfterCreate = event.cursor;
    if (event.type === "lead.claimed") break;
  }
  assert.deepEqual(seen, ["lead.created", "lead.claimed"]);
  for await (const event of admin.follow(cursorAfterCreate, ["lead."])) {
    if (event.subject !== "leads/ts-job") continue;
    assert.equal(event.type, "lead.claimed");
    break;
  }
});

test("a change refused while overloaded is sent again with the same idempotency key", async () => {
  const keys: string[] = [];
  const server = createServer((request, response) => {
    keys.push(String(request.headers["idempotency-key"]));
    if (keys.length < 3) {
      response.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "0" });
      response.end(JSON.stringify({ type: "about:blank", title: "Overloaded", status: 503, code: "OVERLOADED", detail: "busy" }));
      return;
    }
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ accountId: "x", balance: 1, reserved: 0, available: 1, version: 1 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token: "t" });
    const changed = await client.accounts.credit({ accountId: "x", credit: { amount: 1 } });
    assert.equal(changed.balance, 1);
    assert.equal(keys.length, 3);
    assert.equal(new Set(keys).size, 1);
    assert.notEqual(keys[0], "undefined");
    await client.accounts.credit({ accountId: "x", credit: { amount: 1 } });
    assert.equal(new Set(keys).size, 2, "a second call has a key of its own");
  } finally {
    server.close();
  }
});

test("retries stop at the budget and the last problem is thrown", async () => {
  let attempts = 0;
  const server = createServer((_request, response) => {
    attempts++;
    response.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "0" });
    response.end(JSON.stringify({ type: "about:blank", title: "Overloaded", status: 503, code: "OVERLOADED", detail: "busy" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token: "t", retry: { maxAttempts: 3 } });
    await assert.rejects(
      client.accounts.getAccount({ accountId: "x" }),
      (e: unknown) => e instanceof Problem && e.code === "OVERLOADED" && e.retryAfterMs === 0,
    );
    assert.equal(attempts, 3);
  } finally {
    server.close();
  }
});
