"""Sessions and revocation together: a user's cutoff (DJWTO_REVOKE_ALL) holds whatever refreshes the session.

Rotation asks the blacklist inside its own statement and reissue inside its
user lookup; neither may skip the user's cutoff.
"""

from __future__ import annotations

import pytest

from .conftest import REFRESH_ACCESS, UPDATE_REFRESH, browser_like

REVOKE_ALL = 'mutation { revokeAll { msg } }'
REFRESHERS = {'refreshAccess': REFRESH_ACCESS, 'updateRefresh': UPDATE_REFRESH}


def refreshed(api, query: str, field: str) -> None:
    """Refresh and keep what the server answered, as a client does (JSON mode: the body)."""
    answer = api.with_refresh(query).field(field)
    if api.mode == 'JSON' and answer.get('refresh'):
        api.access, api.refresh = answer['access'], answer['refresh']


@pytest.mark.parametrize('field', REFRESHERS)
@pytest.mark.parametrize('claims', ['keep', 'reissue'])
@pytest.mark.parametrize('rotate', [False, True], ids=['not-rotating', 'rotating'])
def test_revoke_all_ends_a_session_whatever_refreshes_it(settings, clock, mode, alice, rotate, claims, field):
    settings.DJWTO_REVOKE_ALL = True
    settings.DJWTO_ROTATE_REFRESH_TOKENS = rotate
    settings.DJWTO_REFRESH_CLAIMS = claims
    ended, other = browser_like(mode), browser_like(mode)
    ended.login().field('tokenAuth')
    other.login().field('tokenAuth')
    refreshed(ended, REFRESHERS[field], field)  # a rotating session has its row now
    clock.tick(1)

    assert other.with_access(REVOKE_ALL).field('revokeAll') == {'msg': 'All sessions successfully revoked.'}

    error = ended.with_refresh(REFRESHERS[field]).error
    assert error['extensions']['reason'] == 'TOKEN_REVOKED', error
    # A login after the cutoff (in a new client: the old access cookie, still
    # good until it expires, would make tokenAuth answer "already authenticated")
    # starts a session that refreshes.
    clock.tick(1)
    again = browser_like(mode)
    again.login().field('tokenAuth')
    refreshed(again, REFRESHERS[field], field)
