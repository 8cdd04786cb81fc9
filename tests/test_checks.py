"""gql_djwto's system checks: their stable ids, the JTI warning, cookies too large for browsers."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import checks

from gql_djwto.checks import SETTING_IDS, check_cookie_size
from gql_djwto.settings import DEFAULTS


@pytest.mark.django_db
def test_no_warning_for_the_permissions_of_a_small_project(settings):
    settings.DJWTO_MODE = 'ONE-COOKIE'
    assert check_cookie_size(databases=['default']) == []


@pytest.mark.django_db
def test_warns_when_all_permissions_make_a_cookie_over_4096_bytes(settings):
    settings.DJWTO_MODE = 'TWO-COOKIES'
    content_type = ContentType.objects.get_for_model(Permission)
    Permission.objects.bulk_create(
        Permission(codename=f'a_rather_long_permission_name_{i}', name=f'p{i}', content_type=content_type)
        for i in range(150)
    )
    [warning] = check_cookie_size(databases=['default'])
    assert warning.level == checks.WARNING and warning.id == 'gql_djwto.W003'
    assert 'browsers drop cookies over 4096 bytes' in warning.msg


@pytest.mark.django_db
def test_json_mode_has_no_cookies_to_warn_about(settings):
    settings.DJWTO_MODE = 'JSON'
    content_type = ContentType.objects.get_for_model(Permission)
    Permission.objects.bulk_create(
        Permission(codename=f'p_{i}' * 10, name=f'p{i}', content_type=content_type) for i in range(150)
    )
    assert check_cookie_size(databases=['default']) == []


def test_the_check_needs_a_database():
    assert check_cookie_size(databases=None) == []


# Check ids: literal, so SILENCED_SYSTEM_CHECKS keeps working across versions.

KNOWN_SETTING_IDS = {
    'DJWTO_ISS_CLAIM': 'gql_djwto.E001',
    'DJWTO_JTI_CLAIM': 'gql_djwto.E005',
    'DJWTO_SIGNING_KEY': 'gql_djwto.E010',
    'DJWTO_ALGORITHM': 'gql_djwto.E012',
    'DJWTO_MODE': 'gql_djwto.E013',
    'DJWTO_GRAPHIQL': 'gql_djwto.E019',
    'DJWTO_DOCUMENT_CACHE_SIZE': 'gql_djwto.E020',
    'DJWTO_LOGIN_THROTTLE_CACHE': 'gql_djwto.E027',
    'DJWTO_AUTHENTICATE_HANDLER': 'gql_djwto.E031',
}


def test_every_setting_has_its_own_check_id():
    assert set(SETTING_IDS) == set(DEFAULTS)
    assert len(set(SETTING_IDS.values())) == len(SETTING_IDS)


def test_released_check_ids_keep_their_numbers():
    assert {name: SETTING_IDS[name] for name in KNOWN_SETTING_IDS} == KNOWN_SETTING_IDS


def test_a_setting_added_to_defaults_moves_no_check_id():
    script = textwrap.dedent("""
        import json
        import django
        from gql_djwto import settings
        settings.DEFAULTS = {'DJWTO_A_NEW_SETTING': None, **settings.DEFAULTS}
        django.setup()  # imports gql_djwto.checks
        from gql_djwto.checks import SETTING_IDS
        print(json.dumps(SETTING_IDS))
    """)
    env = {**os.environ, 'DJANGO_SETTINGS_MODULE': 'tests.settings'}
    done = subprocess.run(
        [sys.executable, '-c', script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ids = json.loads(done.stdout)
    assert {name: ids[name] for name in KNOWN_SETTING_IDS} == KNOWN_SETTING_IDS


def test_an_invalid_setting_is_reported_under_its_id(settings):
    settings.DJWTO_MODE = 'COOKIES'
    settings.SILENCED_SYSTEM_CHECKS = ['gql_djwto.E013']
    assert [m for m in checks.run_checks() if m.id.startswith('gql_djwto.') and not m.is_silenced()] == []


# DJWTO_JTI_CLAIM.


def test_tokens_without_jti_are_a_warning_as_revoke_cannot_blacklist_them(settings):
    settings.DJWTO_JTI_CLAIM = False
    [warning] = [m for m in checks.run_checks() if m.id.startswith('gql_djwto.')]
    assert warning.level == checks.WARNING and warning.id == 'gql_djwto.W004'
    assert 'DJWTO_JTI_CLAIM' in warning.msg and 'revoke' in warning.msg


def test_tokens_with_jti_raise_no_warning():
    assert [m for m in checks.run_checks() if m.id == 'gql_djwto.W004'] == []
