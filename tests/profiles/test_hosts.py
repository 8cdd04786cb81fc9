"""The profile's host validation is in force in front of gql_djwto's views."""

from __future__ import annotations

import requests
from django.conf import settings

from .conftest import GRAPHQL, LOGIN, PASSWORD, TIMEOUT, script_prefix


def test_request_for_a_host_not_allowed_is_refused(live_server, user):
    response = requests.post(
        live_server.url + script_prefix() + GRAPHQL,
        json={'query': LOGIN, 'variables': {'username': user.get_username(), 'password': PASSWORD}},
        headers={'Host': 'evil.example.net'},
        timeout=TIMEOUT,
    )

    assert response.status_code == 400
    assert 'jwt_' not in response.headers.get('Set-Cookie', '')
    if not settings.DEBUG:
        assert 'DisallowedHost' not in response.text and 'Traceback' not in response.text
