// The hand-written layer over the client generated from the service's OpenAPI document
// (`generated/`, made at build time): one object with every API, retries of what the service
// refused unapplied or could not confirm, an idempotency key per change reused on its retries,
// problems as `Problem` errors carrying their `code`, and the event feed as an async iterator.
import { randomUUID } from "node:crypto";
import {
  AccountsApi,
  Configuration,
  EventsApi,
  FetchAPI,
  LeadsApi,
  OperationsApi,
  ResponseError,
  WebhooksApi,
} from "../generated";
import type { Event } from "../generated";

export * from "../generated";

export interface RetryOptions {
  /** Attempts per call, the first included (default 5). */
  maxAttempts?: number;
  /** The time all attempts of one call may take, waits included (default 30 000 ms). */
  budgetMs?: number;
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface ClientOptions {
  /** The service's address, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /** A bearer JWT (role admin or tradie), or a function asked for one on every request. */
  token?: string | (() => string | Promise<string>);
  retry?: RetryOptions;
  /** How long one attempt may wait for its answer (a long poll waits this much more). */
  timeoutMs?: number;
  /** The fetch to send with (default: Node's global fetch). */
  fetch?: FetchAPI;
}

/** An answer that is not a success, as its problem details (RFC 9457) say. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    /** The stable code to branch on: `INSUFFICIENT_CREDITS`, `LEAD_FULL`, ... */
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly retryAfterMs: number | undefined,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${code}${detail ? ": " + detail : ""}`);
    this.name = "Problem";
  }
}

/** 503 codes after which the same request may be sent again. */
const retriedCodes = new Set(["OVERLOADED", "NOT_READY", "OUTCOME_UNKNOWN"]);
/** Refused unapplied: safe to send again even where the service cannot recognise a repeat. */
const refusedCodes = new Set(["OVERLOADED", "NOT_READY"]);
/** Changes the service cannot recognise when sent twice: registering a webhook, a new secret. */
const notRepeatable = [/\/api\/webhooks$/, /\/api\/webhooks\/[^/]+\/rotate-secret$/];

/** Whether a JSON body carries its own `transactionId`: then that id is the key, not a header. */
function namesItsTransaction(body: unknown): boolean {
  if (typeof body !== "string") return false;
  try {
    const parsed = JSON.parse(body);
    return parsed !== null && typeof parsed === "object" && typeof parsed.transactionId === "string";
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function problemOf(response: Response): Promise<Problem> {
  let body: Record<string, unknown> = {};
  try {
    const parsed = await response.clone().json();
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: the status alone says what happened
  }
  const seconds = Number(response.headers.get("Retry-After"));
  return new Problem(
    response.status,
    typeof body.code === "string" ? body.code : `HTTP_${response.status}`,
    typeof body.title === "string" ? body.title : "",
    typeof body.detail === "string" ? body.detail : "",
    response.headers.has("Retry-After") && Number.isFinite(seconds) ? seconds * 1000 : undefined,
    body,
  );
}

/**
 * A fetch that gives each change one idempotency key for all its attempts, and tries again on a
 * 503 the service says may be retried, and, for repeatable calls, when the connection failed.
 */
export function retryingFetch(options: ClientOptions): FetchAPI {
  const send = options.fetch ?? fetch;
  const maxAttempts = options.retry?.maxAttempts ?? 5;
  const budgetMs = options.retry?.budgetMs ?? 30_000;
  const firstBackoffMs = options.retry?.firstBackoffMs ?? 50;
  const maxBackoffMs = options.retry?.maxBackoffMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (input, init = {}) => {
    const url = typeof input === "string" ? input : input.toString();
    const method = (init.method ?? "GET").toUpperCase();
    const path = new URL(url).pathname;
    const repeatable = method === "GET" || !notRepeatable.some((p) => p.test(path));
    const headers = new Headers(init.headers);
    if (method !== "GET" && repeatable && !headers.has("Idempotency-Key") && !namesItsTransaction(init.body)) {
      headers.set("Idempotency-Key", randomUUID());
    }
    const longPollMs = Number(new URL(url).searchParams.get("wait") ?? 0) * 1000;
    const deadline = Date.now() + budgetMs;
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs: number | undefined;
      let failure: unknown;
      try {
        const response = await send(url, {
          ...init,
          headers,
          signal: AbortSignal.timeout(timeoutMs + longPollMs),
        });
        if (response.status !== 503) return response;
        const problem = await problemOf(response);
        const retried = repeatable ? retriedCodes : refusedCodes;
        if (!retried.has(problem.code)) return response;
        failure = response;
        retryAfterMs = problem.retryAfterMs;
      } catch (e) {
        if (!repeatable) throw e;
        failure = e;
      }
      const cap = Math.min(maxBackoffMs, firstBackoffMs * 2 ** Math.min(attempt - 1, 20));
      const pause = retryAfterMs ?? cap / 2 + Math.random() * (cap / 2);
      if (attempt >= maxAttempts || Date.now() + pause > deadline) {
        if (failure instanceof Response) return failure;
        throw failure;
      }
      await sleep(pause);
    }
  };
}

/** Every method of `api`, with a failed answer thrown as a {@link Problem}. */
function withProblems<T extends object>(api: T): T {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (e) {
          if (e instanceof ResponseError) throw await problemOf(e.response);
          throw e;
        }
      };
    },
  });
}

export interface LeadCredits {
  accounts: AccountsApi;
  leads: LeadsApi;
  events: EventsApi;
  webhooks: WebhooksApi;
  operations: OperationsApi;
  /**
   * Follows the feed from `after` (undefined: the beginning) without end, long-polling; each
   * event's `cursor` is where to resume after a restart (store it once the event is handled).
   */
  follow(after?: string, types?: string[]): AsyncGenerator<Event>;
}

export function createClient(options: ClientOptions): LeadCredits {
  const token = options.token;
  const configuration = new Configuration({
    basePath: options.baseUrl.replace(/\/$/, ""),
    fetchApi: retryingFetch(options),
    accessToken: token === undefined ? undefined : async () => (typeof token === "string" ? token : token()),
  });
  const events = withProblems(new EventsApi(configuration));
  return {
    accounts: withProblems(new AccountsApi(configuration)),
    leads: withProblems(new LeadsApi(configuration)),
    events,
    webhooks: withProblems(new WebhooksApi(configuration)),
    operations: withProblems(new OperationsApi(configuration)),
    async *follow(after?: string, types: string[] = []) {
      let from = after;
      for (;;) {
        const page = await events.events({ after: from, limit: "100", type: types, wait: "30" });
        for (const event of page.items) yield event;
        from = page.next;
      }
    },
  };
}
