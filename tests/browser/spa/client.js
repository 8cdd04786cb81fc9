// A front end on another origin calling gql_djwto in ONE-COOKIE or TWO-COOKIES mode
// (README, "Front end on another origin"); tests/browser/test_front_end_origin.py drives it.
//
// The API must list this page's origin in CORS_ALLOWED_ORIGINS (with CORS_ALLOW_CREDENTIALS)
// and in CSRF_TRUSTED_ORIGINS. Every request goes with credentials: 'include', so the browser
// sends and stores the API's cookies; no token is ever seen by this code.

// The API's origin: ?api=... in this page's address, else the usual development server.
const API = new URLSearchParams(location.search).get('api') || 'http://localhost:8000';
export const GRAPHQL = `${API}/graphql/`;
// Refresh-type operations go under DJWTO_REFRESH_COOKIE_PATH, the only path the
// jwt_refresh cookie is sent to.
export const REFRESH_GRAPHQL = `${API}/api/token/refresh/graphql/`;
export const CSRF = `${API}/graphql/csrf/`;

const LOGIN = `mutation Login($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) { msg access refresh }
}`;

let csrfToken = null; // tokenAuth rotates the token: forgotten at each login

// The CSRF token, from graphql/csrf/: a page on app.example.com cannot read the
// csrftoken cookie of api.example.com (cookies are per host).
export async function currentCsrfToken() {
  if (csrfToken === null) {
    const response = await fetch(CSRF, {credentials: 'include'});
    csrfToken = (await response.json()).csrfToken;
  }
  return csrfToken;
}

// POST one GraphQL document; answer {status, body}. In cookie modes every operation
// but a lone tokenAuth needs the X-CSRFToken header. JSON mode (the way across
// different sites) sends a token as a bearer header instead: no cookie, no CSRF token.
export async function post(url, query, variables = {}, {csrf = true, bearer = null} = {}) {
  const headers = {'Content-Type': 'application/json'};
  if (bearer !== null) {
    headers['Authorization'] = `Bearer ${bearer}`;
  } else if (csrf) {
    headers['X-CSRFToken'] = await currentCsrfToken();
  }
  const response = await fetch(url, {
    method: 'POST',
    credentials: bearer === null ? 'include' : 'omit',
    headers,
    body: JSON.stringify({query, variables}),
  });
  return {status: response.status, body: await response.json()};
}

export async function login(username, password) {
  const answer = await post(GRAPHQL, LOGIN, {username, password}, {csrf: false});
  csrfToken = null;
  return answer;
}

export const query = (document, variables) => post(GRAPHQL, document, variables);
export const refreshQuery = (document, variables) => post(REFRESH_GRAPHQL, document, variables);

// A cookie's raw value as document.cookie holds it, or null.
export function cookie(name) {
  for (const pair of document.cookie ? document.cookie.split('; ') : []) {
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) === name) {
      return pair.slice(eq + 1);
    }
  }
  return null;
}

// The access token's claims from TWO-COOKIES' jwt_access_payload (base64 of JSON), or null.
// Django writes a value holding "=" or "/" in double quotes ("eyJ...="): atob throws on
// those, so strip them first. Base64url is accepted too, and missing padding restored.
// The bytes are UTF-8 (JSON with \u escapes, in djwto's case).
export function decodeAccessPayload(value) {
  let text = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  text = text.replace(/-/g, '+').replace(/_/g, '/');
  text += '='.repeat((4 - (text.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function accessPayload() {
  const value = cookie('jwt_access_payload');
  return value === null ? null : decodeAccessPayload(value);
}
