/**
 * Four clients of one gql_djwto server, side by side, printing as JSON what
 * each saw and every request each sent (tests/test_apollo_client.py reads it):
 *
 * - expiry: log in, read `me`, wait out the access token, read `me` again
 *   (the RefreshLink refreshes once and retries);
 * - concurrent: the same, with three `me` queries at once after the wait
 *   (one refresh for the three);
 * - late: two queries at once after the wait, the refusal of the second
 *   held back until the first was retried with a new token (no second refresh);
 * - revoked: log in, read `me`, revoke the refresh token, wait, read `me`
 *   twice (a LoginAgainError each time, and no loop).
 *
 *     node scenario.mjs <site root URL> <JSON|ONE-COOKIE|TWO-COOKIES> <access lifetime in seconds>
 */

import { gql } from '@apollo/client';
import { setTimeout as sleep } from 'node:timers/promises';

import { CookieSession, JsonSession, createClient } from './sessions.mjs';

const [url, mode, lifetime] = process.argv.slice(2);
// Past the token's exp (its iat is rounded down) and the cookie's Max-Age.
const WAIT_MS = (Number(lifetime) + 1.5) * 1000;
const ME = gql`query Me { me { username } }`;
const LATE_ME = gql`query LateMe { me { username } }`;
const HOLD_LIMIT_MS = 10_000; // a LateMe answer is let go by then whatever happens

/**
 * A fetch that records each request: operation, path, credentials sent, and
 * the answer's reasons. With `holdLateMe`, a refused LateMe answer is held
 * until a Me goes out after a RefreshAccess, so it reaches the link late.
 */
function recordingFetch(requests, { holdLateMe = false } = {}) {
  let letGo;
  const retried = new Promise((resolve) => {
    letGo = resolve;
  });
  return async (input, init) => {
    const request = new Request(input, init);
    const operation = JSON.parse(await request.clone().text()).query.match(/^(?:query|mutation) (\w+)/)[1];
    if (operation === 'Me' && requests.some((sent) => sent.operation === 'RefreshAccess')) {
      letGo();
    }
    const response = await fetch(request);
    const body = await response.clone().json().catch(() => ({}));
    const reasons = (body.errors ?? []).map((error) => error.extensions?.reason ?? error.message);
    if (holdLateMe && operation === 'LateMe' && reasons.length) {
      await Promise.race([retried, sleep(HOLD_LIMIT_MS, null, { ref: false })]);
    }
    requests.push({
      operation,
      path: new URL(request.url).pathname,
      bearer: bearerType(request.headers.get('Authorization')),
      cookies: cookieNames(request.headers.get('Cookie')),
      csrf: request.headers.has('X-CSRFToken'),
      status: response.status,
      reasons,
    });
    return response;
  };
}

/** The `type` claim of the bearer token ('access' or 'refresh'), or null. */
function bearerType(header) {
  if (!header) return null;
  const payload = header.replace(/^Bearer /, '').split('.')[1];
  return JSON.parse(Buffer.from(payload, 'base64url').toString()).type;
}

function cookieNames(header) {
  return header ? header.split('; ').map((pair) => pair.split('=')[0]).sort() : [];
}

function newClient(fetchOptions) {
  const requests = [];
  const options = { url, fetch: recordingFetch(requests, fetchOptions) };
  const session = mode === 'JSON' ? new JsonSession(options) : new CookieSession(options);
  const client = createClient(session, {
    defaultOptions: { query: { fetchPolicy: 'network-only' } },
  });
  return { session, client, requests, outcomes: [] };
}

/** What the application sees: the username, or the error's name and reason. */
async function readMe({ client, outcomes }, query = ME) {
  try {
    // Apollo would merge identical queries in flight: each one goes out here.
    const { data } = await client.query({ query, context: { queryDeduplication: false } });
    outcomes.push(data.me.username);
  } catch (error) {
    const reasons = error.errors?.map((each) => each.extensions?.reason).join(', ');
    outcomes.push(`${error.name}: ${'reason' in error ? error.reason : reasons ?? error.message}`);
  }
}

async function main() {
  const cases = {
    expiry: newClient(),
    concurrent: newClient(),
    late: newClient({ holdLateMe: true }),
    revoked: newClient(),
  };
  const all = Object.values(cases);
  await Promise.all(all.map(({ session }) => session.login('alice', 'pass')));
  await Promise.all(all.map((each) => readMe(each)));
  const { session } = cases.revoked;
  const revoked = await session.post(session.refreshEndpoint, 'mutation Revoke { revoke { msg } }',
    { credential: 'refresh' });
  cases.revoked.outcomes.push(revoked.data?.revoke?.msg ?? revoked.errors);

  await sleep(WAIT_MS);
  await Promise.all([
    readMe(cases.expiry),
    Promise.all([1, 2, 3].map(() => readMe(cases.concurrent))),
    Promise.all([readMe(cases.late), readMe(cases.late, LATE_ME)]),
    readMe(cases.revoked).then(() => readMe(cases.revoked)),
  ]);
  const report = Object.fromEntries(
    Object.entries(cases).map(([name, { outcomes, requests }]) => [name, { outcomes, requests }]),
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
