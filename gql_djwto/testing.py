"""Helpers for a project's own tests: tokens without a password, and a client that logs in.

    from gql_djwto.testing import JWTClient, tokens_for

    client = JWTClient()
    client.authenticate(user)
    assert client.execute('{ me }').data == {'me': user.username}

:class:`JWTClient` is Django's test client talking to gql_djwto's view the
way the mode's real client does: a bearer header in JSON mode; in cookie
modes the cookies as a browser sends them (the refresh cookie only under its
path) and the CSRF header from the ``csrftoken`` cookie, with Django's CSRF
check enforced. ``gql_djwto.pytest_plugin`` offers it as the ``jwt_client`` fixture.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client, RequestFactory
from django.urls import reverse

from . import modes, service
from .cookies import deleted_cookies
from .service import IssuedTokens
from .settings import djwto_settings

__all__ = ['GraphQLResult', 'JWTClient', 'tokens_for']

REFRESH_ACCESS = 'mutation { refreshAccess { msg access refresh } }'


def tokens_for(user: Any) -> IssuedTokens:
    """Return a new refresh and access token for ``user``, signed as at login; no signal is sent."""
    return service.issue_tokens(None, user)


@dataclass(frozen=True)
class GraphQLResult:
    """One answer of the GraphQL view: the response and its parsed JSON body."""

    response: HttpResponseBase
    body: dict[str, Any]

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def data(self) -> dict[str, Any] | None:
        return self.body.get('data')

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.body.get('errors') or []


def _path_matches(cookie_path: str, request_path: str) -> bool:
    """Tell whether a browser sends a cookie of ``cookie_path`` to ``request_path`` (RFC 6265, 5.1.4)."""
    cookie_path = unquote(cookie_path or '/')
    if request_path == cookie_path or (cookie_path.endswith('/') and request_path.startswith(cookie_path)):
        return True
    return request_path.startswith(cookie_path + '/')


class JWTClient(Client):
    """Django's test client for gql_djwto's view, sending tokens as the mode's client does.

    ``path`` and ``refresh_path`` default to gql_djwto's URLs (``reverse``
    of ``graphql`` and ``graphql-refresh``). CSRF checks are enforced, unlike
    Django's client, so a test meets the check a browser meets.
    """

    def __init__(
        self,
        *,
        path: str | None = None,
        refresh_path: str | None = None,
        enforce_csrf_checks: bool = True,
        **defaults: Any,
    ) -> None:
        super().__init__(enforce_csrf_checks=enforce_csrf_checks, **defaults)
        self.path = path
        self.refresh_path = refresh_path
        # The bearer tokens of JSON mode (cookie modes keep theirs in ``cookies``).
        self.access_token: str | None = None
        self.refresh_token: str | None = None

    def graphql_url(self, refresh: bool = False) -> str:
        """Return the URL for operations reading the access token, or with ``refresh`` the refresh token."""
        if refresh:
            return self.refresh_path or reverse('graphql-refresh')
        return self.path or reverse('graphql')

    def authenticate(self, user: Any) -> IssuedTokens:
        """Log ``user`` in without a password, as ``tokenAuth`` would, and keep the tokens.

        Like ``Client.force_login``, it is a login: ``jwt_logged_in`` is sent
        (with a request made for the purpose) and, in cookie modes, the
        token cookies and a new ``csrftoken`` are stored.
        """
        defaults: dict[str, Any] = dict(self.defaults)  # the WSGI environ items this client adds
        request = RequestFactory(**defaults).post(self.graphql_url())
        tokens = service.issue_tokens(request, user)
        response = HttpResponse()
        service.apply_cookies(request, response)
        CsrfViewMiddleware(lambda request: response).process_response(request, response)
        self.cookies.update(response.cookies)
        if djwto_settings.MODE == modes.JSON:
            self.access_token, self.refresh_token = tokens.access, tokens.refresh
        return tokens

    def logout(self) -> None:
        """Forget the tokens, sending nothing (Django's session, if any, is left as it is).

        To test a logout through the server, execute ``revoke`` and ``deleteCookies``.
        """
        self.access_token = self.refresh_token = None
        for cookie in deleted_cookies():
            self.cookies.pop(cookie.name, None)

    def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
        *,
        refresh: bool = False,
        path: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> GraphQLResult:
        """POST one GraphQL operation through the real view and return its answer.

        ``refresh`` says the operation reads the refresh token
        (``refreshAccess``, ``updateRefresh``, ``revoke``,
        ``verify(jwtType: REFRESH)``): it goes to the refresh URL, where a
        browser sends the refresh cookie, with the refresh token as bearer
        in JSON mode. Tokens an answer returns in its body are kept.
        """
        body: dict[str, Any] = {'query': query}
        if variables is not None:
            body['variables'] = variables
        if operation_name is not None:
            body['operationName'] = operation_name
        extra: dict[str, Any] = {}  # WSGI environ items
        bearer = self.refresh_token if refresh else self.access_token
        if djwto_settings.MODE == modes.JSON and bearer:
            extra['HTTP_AUTHORIZATION'] = f'Bearer {bearer}'
        csrf_cookie = self.cookies.get(settings.CSRF_COOKIE_NAME)
        if csrf_cookie is not None and csrf_cookie.value:
            extra[settings.CSRF_HEADER_NAME] = csrf_cookie.value
        response = self.post(
            path or self.graphql_url(refresh),
            json.dumps(body),
            content_type='application/json',
            headers=headers,
            **extra,
        )
        is_json = response.get('Content-Type', '').startswith('application/json')
        result = GraphQLResult(response, json.loads(response.content) if is_json else {})
        self._keep_tokens(result)
        return result

    def refresh(self, query: str = REFRESH_ACCESS) -> GraphQLResult:
        """Refresh the access token at the refresh URL (``query`` for a schema of other shape)."""
        return self.execute(query, refresh=True)

    def _keep_tokens(self, result: GraphQLResult) -> None:
        """Keep the tokens of the answer's body, as a JSON-mode front end does."""
        for answer in (result.data or {}).values():
            if isinstance(answer, dict):
                if isinstance(answer.get('access'), str):
                    self.access_token = answer['access']
                if isinstance(answer.get('refresh'), str):
                    self.refresh_token = answer['refresh']

    def request(self, **request: Any) -> Any:
        """Send the request with the cookies a browser would send to its path, and store the answer's."""
        # The environ holds the path's bytes as latin-1 (PEP 3333).
        raw = request.get('SCRIPT_NAME', '') + request.get('PATH_INFO', '/')
        path = raw.encode('iso-8859-1').decode('utf-8', 'replace')
        withheld = {
            name: morsel for name, morsel in self.cookies.items() if not _path_matches(morsel['path'], path)
        }
        for name in withheld:
            del self.cookies[name]
        try:
            return super().request(**request)
        finally:
            for name, morsel in withheld.items():
                self.cookies.setdefault(name, morsel)
            for name in [name for name, morsel in self.cookies.items() if str(morsel['max-age']) == '0']:
                del self.cookies[name]  # deleted by the answer, as a browser forgets it
