"""DJWTO_* settings for the demo, taken from environment variables."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from gql_djwto.settings import DEFAULTS

TRUE, FALSE = {'1', 'true', 'yes', 'on'}, {'0', 'false', 'no', 'off'}
# Settings read as seconds; "none" means no lifetime.
LIFETIMES = {'DJWTO_ACCESS_TOKEN_LIFETIME', 'DJWTO_REFRESH_TOKEN_LIFETIME', 'DJWTO_NBF_LIFETIME'}
# True/False settings whose default is None (DJWTO_GRAPHIQL: None follows DEBUG).
OPTIONAL_FLAGS = {'DJWTO_GRAPHIQL'}
# Keys: a PEM, the path of a PEM file, or an HMAC secret itself.
KEYS = {'DJWTO_SIGNING_KEY', 'DJWTO_VERIFYING_KEY'}
# Lists of such keys, separated by commas.
KEY_LISTS = {'DJWTO_SIGNING_KEY_FALLBACKS', 'DJWTO_VERIFYING_KEY_FALLBACKS'}
# A timedelta given in seconds, never None.
SECONDS = {'DJWTO_LEEWAY'}


def key(text: str) -> str:
    """Return the key ``text`` gives: the PEM or secret itself, or the contents of the file it names."""
    if not text.lstrip().startswith('-----BEGIN') and os.path.isfile(text):
        return Path(text).read_text()
    return text


def parse(name: str, text: str) -> Any:
    """Turn the environment's text for ``name`` into the setting's type."""
    default = DEFAULTS[name]
    if name in KEYS:
        return key(text)
    if name in KEY_LISTS:
        return [key(part.strip()) for part in text.split(',') if part.strip()]
    if name in SECONDS:
        return timedelta(seconds=float(text))
    if text.lower() in ('none', 'null', ''):
        return None
    if name in LIFETIMES:
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
    """Return every DJWTO_* setting named in the environment."""
    return {name: parse(name, os.environ[name]) for name in DEFAULTS if name in os.environ}
