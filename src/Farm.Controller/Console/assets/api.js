// The farm's HTTP API as the console uses it. The token lives in sessionStorage (gone when the
// tab closes) and travels only in the Authorization header, never in a URL.

const TokenKey = 'burnfarm.token';
const unauthorizedListeners = [];

export const token = {
  get: () => sessionStorage.getItem(TokenKey),
  set: value => sessionStorage.setItem(TokenKey, value),
  clear: () => sessionStorage.removeItem(TokenKey),
};

export class Unauthorized extends Error {
  constructor(detail) {
    super(detail || 'the farm asks for a token');
    this.name = 'Unauthorized';
  }
}

export class ApiProblem extends Error {
  constructor(status, detail) {
    super(detail);
    this.name = 'ApiProblem';
    this.status = status;
  }
}

export function onUnauthorized(listener) {
  unauthorizedListeners.push(listener);
}

export function headers(accept) {
  const result = { Accept: accept || 'application/json' };
  const value = token.get();
  if (value) result.Authorization = 'Bearer ' + value;
  return result;
}

// A 401 tells every listener (the login form shows) and throws.
export async function checked(response) {
  if (response.status === 401) {
    const problem = await describe(response);
    for (const listener of unauthorizedListeners) listener(problem);
    throw new Unauthorized(problem);
  }

  if (!response.ok) throw new ApiProblem(response.status, await describe(response));
  return response;
}

export async function getJson(path, signal) {
  const response = await checked(await fetch(path, { headers: headers(), cache: 'no-store', signal }));
  return response.json();
}

export async function post(path, body) {
  const init = { method: 'POST', headers: headers(), cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  const response = await checked(await fetch(path, init));
  return response.status === 204 ? null : response.text();
}

// problem+json's detail (what is wrong and what to do), else its title, else the status line.
async function describe(response) {
  try {
    const text = await response.text();
    try {
      const problem = JSON.parse(text);
      if (problem && (problem.detail || problem.title)) return String(problem.detail || problem.title);
    } catch {
      // Not JSON: the body itself, if short enough to read.
    }

    if (text && text.length < 300) return text;
  } catch {
    // The body could not be read: the status says enough.
  }

  return `${response.status} ${response.statusText}`.trim();
}

export function path(...segments) {
  return '/api/' + segments.map(s => encodeURIComponent(String(s))).join('/');
}
