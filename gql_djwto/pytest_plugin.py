"""gql_djwto's pytest plugin: the ``jwt_client`` fixture.

Registered under the ``pytest11`` entry point, so pytest loads it wherever
gql_djwto is installed. It imports nothing of Django until a test asks for
the fixture, so projects without Django settings or pytest-django are not
affected.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def jwt_client() -> Any:
    """A :class:`gql_djwto.testing.JWTClient` for the project's GraphQL URLs."""
    from django.conf import settings

    if not settings.configured:
        pytest.fail(
            'jwt_client needs Django settings: install pytest-django and set '
            'DJANGO_SETTINGS_MODULE (or --ds).',
            pytrace=False,
        )
    from gql_djwto.testing import JWTClient

    return JWTClient()
