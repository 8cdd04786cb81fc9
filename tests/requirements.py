"""What a test needs from the machine: without it, skip locally and fail in CI."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def skip_or_fail(message: str, variable: str) -> NoReturn:
    """Skip with ``message``, or fail when ``variable`` is ``1``: CI sets it, so nothing passes unseen."""
    if os.environ.get(variable) == '1':
        pytest.fail(f'{message} ({variable}=1)')
    pytest.skip(message)
