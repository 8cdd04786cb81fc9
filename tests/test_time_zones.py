"""USE_TZ=False: revoking writes and delete_tokens purges on one clock, in any TIME_ZONE."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.core.management import call_command

from gql_djwto.models import JWTBlacklist
from gql_djwto.tokens import decode

from .conftest import REFRESH_ACCESS, REVOKE

# One zone east of UTC, one west. The clock is the real one: a patched clock's
# naive now() need not follow TIME_ZONE, which would hide the very mistake tested here.
ZONES = ['Asia/Tokyo', 'America/Los_Angeles']


@pytest.fixture(params=ZONES)
def zone(request, settings) -> str:
    settings.USE_TZ = False
    settings.TIME_ZONE = request.param
    return request.param


def _purge() -> None:
    call_command('delete_tokens', verbosity=0)


def test_a_revoked_token_stays_refused_after_delete_tokens(api, zone, settings):
    settings.DJWTO_REFRESH_TOKEN_LIFETIME = timedelta(hours=1)
    api.login().field('tokenAuth')
    refresh = api.token('refresh')
    assert api.with_refresh(REVOKE).field('revoke')['msg'] == 'Token successfully blacklisted.'

    _purge()

    assert JWTBlacklist.objects.count() == 1
    api.set_token('refresh', refresh)
    assert api.with_refresh(REFRESH_ACCESS).error['message'] == "Can't update access token."


def test_the_stored_expiry_is_naive_utc(zone, logged_in):
    claims = decode(logged_in.token('refresh'))
    logged_in.with_refresh(REVOKE).field('revoke')
    row = JWTBlacklist.objects.get()
    assert row.expires == datetime.fromtimestamp(claims['exp'], tz=timezone.utc).replace(tzinfo=None)


def test_delete_tokens_purges_a_row_expiring_now_and_keeps_one_expiring_in_a_minute(zone, db):
    utc_now = datetime.now(timezone.utc).replace(tzinfo=None)
    JWTBlacklist.objects.create(jti='due', expires=utc_now)
    JWTBlacklist.objects.create(jti='live', expires=utc_now + timedelta(minutes=1))
    _purge()
    assert list(JWTBlacklist.objects.values_list('jti', flat=True)) == ['live']


def test_created_at_is_on_the_same_clock_as_the_expiry(zone, logged_in):
    """A row's two times compare: created_at + the refresh lifetime is its expiry."""
    before = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    logged_in.with_refresh(REVOKE).field('revoke')
    after = datetime.now(timezone.utc).replace(tzinfo=None)
    row = JWTBlacklist.objects.get()
    assert before <= row.created_at <= after
    lifetime = row.expires - row.created_at
    assert timedelta(hours=24) - timedelta(seconds=2) <= lifetime <= timedelta(hours=24)
