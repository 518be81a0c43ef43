// Calls to the service with the admin token as a Bearer token. The token lives in this tab's
// sessionStorage only: closing the tab signs out.

const KEY = 'leadcredits.adminToken';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** A non-2xx answer: `status`, and the problem's `code` and `detail` when it sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? null;
  }
}

/** What a listener learns when the token stops working (expired, revoked secret). */
let onUnauthenticated = () => {};
export function whenUnauthenticated(callback) {
  onUnauthenticated = callback;
}

async function call(path, bearer, accept, method = 'GET', body = undefined) {
  const headers = { Accept: accept };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body, cache: 'no-store' });
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not a problem+json body
    }
    const error = new ApiError(response.status, problem);
    if (response.status === 401 && bearer === token.get()) onUnauthenticated(error);
    throw error;
  }
  return response;
}

/** GET a JSON resource of the API with the signed-in token (or `bearer`). */
export async function getJson(path, bearer = token.get()) {
  return (await call(path, bearer, 'application/json')).json();
}

/** POST `body` as JSON with the signed-in token; the JSON answer. */
export async function postJson(path, body) {
  return (await call(path, token.get(), 'application/json', 'POST', JSON.stringify(body))).json();
}

/** GET a text resource (the Prometheus scrape). */
export async function getText(path) {
  return (await call(path, token.get(), 'text/plain')).text();
}

/** The claims of a JWT, read without verifying it: only to greet and to reject early. */
export function claimsOf(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')));
  } catch {
    return null;
  }
}

export const enc = encodeURIComponent;
