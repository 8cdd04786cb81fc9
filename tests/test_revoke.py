"""revoke (djwto's BlackListTokenView) and the blacklist's housekeeping."""

from datetime import datetime, timedelta, timezone

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone as dj_timezone

from gql_djwto.models import JWTBlacklist
from gql_djwto.tokens import decode

from .conftest import REFRESH_ACCESS, REVOKE, VERIFY


def test_revoke_stores_jti_token_and_expiry(logged_in):
    refresh = logged_in.token('refresh')
    claims = decode(refresh)
    assert logged_in.with_refresh(REVOKE).field('revoke') == {'msg': 'Token successfully blacklisted.'}
    row = JWTBlacklist.objects.get()
    assert row.jti == claims['jti']
    assert row.token == refresh
    assert row.expires == datetime.fromtimestamp(claims['exp'], tz=timezone.utc)
    assert row.created_at is not None


def test_revoke_twice_is_a_conflict(logged_in):
    logged_in.with_refresh(REVOKE).field('revoke')
    result = logged_in.with_refresh(REVOKE)
    assert result.error['message'] == 'Input jti token is already blacklisted.'
    assert result.error['extensions'] == {'code': 'CONFLICT', 'status': 409, 'reason': 'ALREADY_BLACKLISTED'}
    assert JWTBlacklist.objects.count() == 1


def test_revoke_without_jti_is_refused(api, settings):
    settings.DJWTO_JTI_CLAIM = False
    api.login()
    result = api.with_refresh(REVOKE)
    assert result.error['message'].startswith('No jti claim was available in the input token.')
    assert result.error['extensions']['status'] == 403
    assert not JWTBlacklist.objects.exists()


def test_revoke_refuses_an_access_token(logged_in):
    logged_in.set_token('refresh', logged_in.token('access'))
    assert logged_in.with_refresh(REVOKE).error['extensions']['status'] == 403
    assert not JWTBlacklist.objects.exists()


def test_revoked_refresh_token_still_verifies_as_djwto_does(logged_in):
    logged_in.with_refresh(REVOKE).field('revoke')
    assert logged_in.with_access(VERIFY).field('verify')['msg'] == 'Token is valid'
    assert logged_in.with_refresh(REFRESH_ACCESS).error['message'] == "Can't update access token."


def test_revoke_of_a_token_without_expiry_stores_no_expiry(api, settings):
    settings.DJWTO_REFRESH_TOKEN_LIFETIME = None
    api.login()
    api.with_refresh(REVOKE).field('revoke')
    assert JWTBlacklist.objects.get().expires is None


@pytest.mark.django_db
def test_delete_tokens_removes_only_expired_rows(capsys):
    now = dj_timezone.now()
    for index in range(5):
        JWTBlacklist.objects.create(jti=f'old-{index}', expires=now - timedelta(minutes=1))
    JWTBlacklist.objects.create(jti='live', expires=now + timedelta(hours=1))
    JWTBlacklist.objects.create(jti='forever', expires=None)
    call_command('delete_tokens', batch_size=2)
    assert sorted(JWTBlacklist.objects.values_list('jti', flat=True)) == ['forever', 'live']
    assert 'Deleted 5 expired token(s)' in capsys.readouterr().out


@pytest.mark.django_db
def test_delete_tokens_refuses_a_zero_batch():
    with pytest.raises(CommandError, match='--batch-size'):
        call_command('delete_tokens', batch_size=0)
