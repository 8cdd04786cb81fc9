"""System checks: every DJWTO_* setting, named in its own message."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .settings import DEFAULTS, djwto_settings, validate

# Stable ids: gql_djwto.E001 is the first setting of DEFAULTS, and so on.
SETTING_IDS = {name: f'gql_djwto.E{number:03d}' for number, name in enumerate(DEFAULTS, 1)}


@checks.register(checks.Tags.security)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for name in DEFAULTS:
        try:
            validate(name)
        except ImproperlyConfigured as error:
            messages.append(checks.Error(str(error), obj=name, id=SETTING_IDS[name]))
    if messages:
        return messages
    if djwto_settings.is_asymmetric and not djwto_settings.VERIFYING_KEY:
        messages.append(checks.Error(
            f'DJWTO_ALGORITHM {djwto_settings.ALGORITHM} signs with a private key: '
            'set DJWTO_VERIFYING_KEY to the matching public key.',
            obj='DJWTO_VERIFYING_KEY', id='gql_djwto.E100',
        ))
    if djwto_settings.is_cookie_mode and not djwto_settings.COOKIE_SECURE:
        messages.append(checks.Warning(
            'DJWTO_COOKIE_SECURE is False: token cookies travel over plain http.',
            hint='Only do this in local development.',
            obj='DJWTO_COOKIE_SECURE', id='gql_djwto.W001',
        ))
    if (djwto_settings.SAME_SITE or '').lower() == 'none' and not djwto_settings.COOKIE_SECURE:
        messages.append(checks.Warning(
            'DJWTO_SAME_SITE "None" without DJWTO_COOKIE_SECURE: browsers refuse such cookies.',
            obj='DJWTO_SAME_SITE', id='gql_djwto.W002',
        ))
    return messages
