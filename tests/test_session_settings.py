"""The sessions' settings: validated, each reported under its own check id, djwto's behaviour by default."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from gql_djwto.checks import SETTING_IDS
from gql_djwto.settings import DEFAULTS, djwto_settings

INVALID = [
    ('DJWTO_ROTATE_REFRESH_TOKENS', 'yes', 'gql_djwto.E050'),
    ('DJWTO_ROTATION_GRACE', 10, 'gql_djwto.E051'),
    ('DJWTO_ROTATION_GRACE', timedelta(seconds=-1), 'gql_djwto.E051'),
    ('DJWTO_REFRESH_CLAIMS', 'refresh', 'gql_djwto.E052'),
    ('DJWTO_MAX_SESSION_LIFETIME', 3600, 'gql_djwto.E053'),
    ('DJWTO_MAX_SESSION_LIFETIME', timedelta(0), 'gql_djwto.E053'),
]


def djwto_messages():
    return [m for m in checks.run_checks() if m.id.startswith('gql_djwto.')]


def test_the_defaults_are_djwtos():
    assert {
        name: DEFAULTS[name]
        for name in SETTING_IDS
        if name
        in (
            'DJWTO_ROTATE_REFRESH_TOKENS',
            'DJWTO_ROTATION_GRACE',
            'DJWTO_REFRESH_CLAIMS',
            'DJWTO_MAX_SESSION_LIFETIME',
        )
    } == {
        'DJWTO_ROTATE_REFRESH_TOKENS': False,
        'DJWTO_ROTATION_GRACE': timedelta(seconds=10),
        'DJWTO_REFRESH_CLAIMS': 'keep',
        'DJWTO_MAX_SESSION_LIFETIME': None,
    }


@pytest.mark.parametrize('name, value, check_id', INVALID, ids=[f'{n}={v!r}' for n, v, _ in INVALID])
def test_an_invalid_sessions_setting_is_an_error_under_its_id(settings, name, value, check_id):
    setattr(settings, name, value)
    [message] = djwto_messages()
    assert (message.level, message.id, message.obj) == (checks.ERROR, check_id, name)
    assert name in message.msg
    with pytest.raises(ImproperlyConfigured, match=name):
        getattr(djwto_settings, name.removeprefix('DJWTO_'))


@pytest.mark.parametrize(
    'name, value',
    [
        ('DJWTO_ROTATE_REFRESH_TOKENS', True),
        ('DJWTO_ROTATION_GRACE', timedelta(0)),
        ('DJWTO_REFRESH_CLAIMS', 'reissue'),
        ('DJWTO_MAX_SESSION_LIFETIME', timedelta(days=30)),
    ],
)
def test_a_valid_sessions_setting_passes_the_checks(settings, name, value):
    setattr(settings, name, value)
    assert djwto_messages() == []


def test_rotation_without_jti_is_an_error(settings):
    settings.DJWTO_ROTATE_REFRESH_TOKENS = True
    settings.DJWTO_JTI_CLAIM = False
    ids = sorted(m.id for m in djwto_messages())
    assert ids == ['gql_djwto.E054', 'gql_djwto.W004']
