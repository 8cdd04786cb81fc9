/**
 * Where a client keeps gql_djwto's tokens, one class per kind of DJWTO_MODE,
 * and an Apollo Client that refreshes its access token by itself.
 *
 * - JsonSession (DJWTO_MODE 'JSON'): both tokens in memory; operations carry
 *   `Authorization: Bearer <access>`, refreshAccess `Authorization: Bearer <refresh>`.
 * - CookieSession ('ONE-COOKIE', 'TWO-COOKIES'): the tokens live in HttpOnly
 *   cookies that a cookie jar keeps (tough-cookie in Node; in a browser, pass
 *   `jar: null` and the browser keeps them); every request sends the
 *   `csrftoken` cookie's current value as `X-CSRFToken` (login needs none),
 *   and an `Origin` header as a browser does.
 *
 * Both send refreshAccess to `/<DJWTO_REFRESH_COOKIE_PATH>/graphql/`, the only
 * URL the refresh cookie travels to. Login and refresh are plain POSTs, not
 * Apollo operations, so no token ever lands in Apollo's cache.
 *
 *     const session = new JsonSession({ url: 'http://127.0.0.1:8000/' });
 *     const client = createClient(session);
 *     await session.login('alice', 'pass');
 *     await client.query({ query: gql`{ me { username } }` });
 */

import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import makeFetchCookie from 'fetch-cookie';
import { CookieJar } from 'tough-cookie';

import { LoginAgainError, RefreshLink, reasonsOf } from './refresh-link.mjs';

const TOKEN_AUTH = `mutation TokenAuth($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) { msg access refresh }
}`;
const REFRESH_ACCESS = 'mutation RefreshAccess { refreshAccess { msg access refresh } }';

/** A refusal of gql_djwto that is not about the session (a wrong password, say). */
export class RefusedError extends Error {
  constructor(errors) {
    super(errors[0].message);
    this.name = 'RefusedError';
    this.reason = errors[0].extensions?.reason ?? null;
  }
}

class Session {
  /**
   * @param {object} options
   * @param {string} options.url the site's root, e.g. 'http://127.0.0.1:8000/'
   * @param {string} [options.refreshPath] DJWTO_REFRESH_COOKIE_PATH
   * @param {typeof fetch} [options.fetch]
   */
  constructor({ url, refreshPath = 'api/token/refresh', fetch = globalThis.fetch }) {
    this.endpoint = new URL('graphql/', url).href;
    this.refreshEndpoint = new URL(`${refreshPath}/graphql/`, url).href;
    this.fetch = fetch;
    /** Adds this session's credentials to every Apollo operation. */
    this.link = new ApolloLink((operation, forward) => {
      operation.setContext(({ headers }) => ({
        headers: { ...headers, ...this.headers('access') },
      }));
      return forward(operation);
    });
  }

  /** POST one GraphQL document with the credential named (`access`, `refresh` or none). */
  async post(endpoint, query, { variables, credential } = {}) {
    const response = await this.fetch(endpoint, {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', ...this.headers(credential) },
      body: JSON.stringify({ query, variables }),
    });
    const type = response.headers.get('Content-Type') ?? '';
    if (!type.includes('json')) {
      throw new Error(`${endpoint} answered HTTP ${response.status} with ${type || 'no body type'}`);
    }
    return response.json();
  }

  async login(username, password) {
    const body = await this.post(this.endpoint, TOKEN_AUTH, { variables: { username, password } });
    if (body.errors) {
      throw new RefusedError(body.errors);
    }
    this.remember(body.data.tokenAuth);
  }

  /** Get a new access token; the RefreshLink calls this. */
  async refresh() {
    if (!this.active) {
      throw new LoginAgainError(null);
    }
    const body = await this.post(this.refreshEndpoint, REFRESH_ACCESS, { credential: 'refresh' });
    if (body.errors) {
      this.forget();
      throw new LoginAgainError(reasonsOf(body)[0] ?? null);
    }
    this.remember(body.data.refreshAccess);
  }
}

export class JsonSession extends Session {
  #tokens = { access: null, refresh: null };

  get active() {
    return this.#tokens.refresh !== null;
  }

  headers(credential) {
    const token = this.#tokens[credential];
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  remember({ access, refresh }) {
    this.#tokens = { access, refresh };
  }

  forget() {
    this.#tokens = { access: null, refresh: null };
  }
}

export class CookieSession extends Session {
  #active = false;

  /**
   * @param {object} options as Session's, and
   * @param {CookieJar | null} [options.jar] where the cookies live; null: the browser's own
   * @param {string} [options.csrfCookieName] Django's CSRF_COOKIE_NAME
   */
  constructor({ jar = new CookieJar(), csrfCookieName = 'csrftoken', fetch = globalThis.fetch, ...options }) {
    super({ ...options, fetch: jar ? makeFetchCookie(fetch, jar) : fetch });
    this.jar = jar;
    this.csrfCookieName = csrfCookieName;
    this.origin = new URL(this.endpoint).origin;
  }

  get active() {
    return this.#active;
  }

  /**
   * Django's CSRF check: the csrftoken cookie's current value (login rotates
   * it), and an Origin (a browser sends its own and ignores this one).
   */
  headers() {
    const csrf = this.#cookie(this.csrfCookieName);
    return { Origin: this.origin, ...(csrf ? { 'X-CSRFToken': csrf } : {}) };
  }

  #cookie(name) {
    const pairs = this.jar
      ? this.jar.getCookiesSync(this.endpoint).map((cookie) => [cookie.key, cookie.value])
      : globalThis.document.cookie.split('; ').map((pair) => pair.split('='));
    return pairs.find(([key]) => key === name)?.[1];
  }

  remember() {
    this.#active = true; // the server set the cookies
  }

  forget() {
    // The HttpOnly refresh cookie stays until its Max-Age (a page cannot
    // delete it either): remembering that it was refused saves a request.
    this.#active = false;
  }
}

/** An Apollo Client whose operations renew the session's access token when it expires. */
export function createClient(session, options = {}) {
  return new ApolloClient({
    link: ApolloLink.from([
      new RefreshLink({ refresh: () => session.refresh() }),
      session.link,
      new HttpLink({ uri: session.endpoint, fetch: session.fetch, credentials: 'include' }),
    ]),
    cache: new InMemoryCache(),
    ...options,
  });
}
