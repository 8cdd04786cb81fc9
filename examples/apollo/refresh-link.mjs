/**
 * An Apollo Client 4 link that renews gql_djwto's access token by itself.
 *
 * gql_djwto refuses an operation whose access token expired with a GraphQL
 * error whose `extensions.reason` is `TOKEN_EXPIRED`. The link then asks for
 * a new access token (`refreshAccess`) and sends the operation again, once.
 * Operations refused together share one refresh: a page that fires five
 * queries after a coffee break costs one `refreshAccess`, not five.
 *
 * When the refresh itself is refused (the refresh token expired or was
 * revoked), only a new login helps: the operation fails with
 * `LoginAgainError` instead of being retried, so nothing loops.
 *
 * Place it before the link that adds the credentials, so that the retried
 * operation carries the new access token:
 *
 *     ApolloLink.from([new RefreshLink({ refresh }), credentialsLink, httpLink])
 */

import { ApolloLink } from '@apollo/client';
import { from, mergeMap, of } from 'rxjs';

/**
 * The reasons that a new access token cures.
 *
 * `TOKEN_MISSING` is here for the cookie modes: a cookie store (a browser,
 * or tough-cookie in Node) drops the access cookie at its Max-Age, which is
 * the access token's lifetime, so an expired access cookie reaches the
 * server as no cookie at all.
 */
export const RENEWABLE_REASONS = Object.freeze(['TOKEN_EXPIRED', 'TOKEN_MISSING']);

/** The session is over: the refresh token was refused, or there is none. */
export class LoginAgainError extends Error {
  /**
   * @param {string | null} reason the server's `extensions.reason` for refusing
   *   the refresh, or null when no refresh could be attempted
   */
  constructor(reason, message = 'Your session has ended: log in again.') {
    super(message);
    this.name = 'LoginAgainError';
    this.reason = reason;
  }
}

/** The `extensions.reason` of each error of a GraphQL result. */
export function reasonsOf(result) {
  return (result.errors ?? []).map((error) => error.extensions?.reason).filter(Boolean);
}

export class RefreshLink extends ApolloLink {
  #refresh;
  #renewable;
  #inFlight = null;
  // Counts the refreshes done: an operation refused with a token older than
  // the newest refresh is retried without refreshing again.
  #generation = 0;

  /**
   * @param {object} options
   * @param {() => Promise<void>} options.refresh gets and stores a new access
   *   token; rejects with LoginAgainError when the server refuses it
   * @param {readonly string[]} [options.renewable] the reasons that trigger a refresh
   */
  constructor({ refresh, renewable = RENEWABLE_REASONS }) {
    super((operation, forward) => this.#request(operation, forward));
    this.#refresh = refresh;
    this.#renewable = renewable;
  }

  #request(operation, forward) {
    const sentWith = this.#generation;
    return forward(operation).pipe(
      mergeMap((result) => {
        if (!reasonsOf(result).some((reason) => this.#renewable.includes(reason))) {
          return of(result);
        }
        // Retried once: a second refusal goes to the caller as it is.
        return from(this.#renewedSince(sentWith)).pipe(mergeMap(() => forward(operation)));
      }),
    );
  }

  /** Resolve once an access token newer than `generation` is held. */
  #renewedSince(generation) {
    if (generation !== this.#generation) {
      return Promise.resolve(); // renewed while this operation was on its way
    }
    this.#inFlight ??= this.#refresh()
      .then(() => {
        this.#generation += 1;
      })
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }
}
