"""DJWTO_* settings for the demo, taken from environment variables."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from gql_djwto.settings import DEFAULTS

TRUE, FALSE = {'1', 'true', 'yes', 'on'}, {'0', 'false', 'no', 'off'}
# Settings read as seconds; "none" means no lifetime.
LIFETIMES = {'DJWTO_ACCESS_TOKEN_LIFETIME', 'DJWTO_REFRESH_TOKEN_LIFETIME', 'DJWTO_NBF_LIFETIME'}
# True/False settings whose default is None (DJWTO_GRAPHIQL: None follows DEBUG).
OPTIONAL_FLAGS = {'DJWTO_GRAPHIQL'}


def parse(name: str, text: str) -> Any:
    """Turn the environment's text for ``name`` into the setting's type."""
    default = DEFAULTS[name]
    if text.lower() in ('none', 'null', ''):
        return None
    if name in LIFETIMES:
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f'{name} must be a whole number of seconds or none, not {text!r}')
        return timedelta(seconds=int(text))
    if isinstance(default, bool) or name in OPTIONAL_FLAGS:
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise ValueError(f'{name} must be true or false, not {text!r}')
    if isinstance(default, int):
        return int(text)
    if name == 'DJWTO_AUD_CLAIM' and ',' in text:
        return [part.strip() for part in text.split(',')]
    return text


def djwto_settings_from_environment() -> dict[str, Any]:
    """Return every DJWTO_* setting named in the environment (but the signing key)."""
    return {
        name: parse(name, os.environ[name])
        for name in DEFAULTS
        if name in os.environ and name != 'DJWTO_SIGNING_KEY'
    }
