"""jwt_login_required and jwt_perm_required on resolvers and views, in every mode.

tests/schema.py protects the resolvers ``me`` (login) and ``secret`` (needs
``auth.view_user``); tests/urls.py protects the views ``/whoami/`` and
``/viewers/`` the same way. bob has the permission, alice has none.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import graphene
import jwt
import pytest
from django.contrib.auth.models import Permission, User
from django.http import JsonResponse

from gql_djwto.decorators import jwt_login_required, jwt_perm_required

from .conftest import ACCESS_COOKIE
from .hostile_tokens import expected_reason

LOGIN_TARGETS = ['me', '/whoami/']
PERM_TARGETS = ['secret', '/viewers/']
CODES = {403: 'FORBIDDEN', 500: 'INTERNAL_SERVER_ERROR'}
NO_TOKEN = {
    'JSON': 'Token not found in "HTTP_AUTHORIZATION" header.',
    'ONE-COOKIE': 'Cookie "jwt_access" cannot be empty.',
    'TWO-COOKIES': 'Cookie "jwt_access_token" cannot be empty.',
}


@pytest.fixture
def carol(db) -> User:
    """A user with a permission, but not auth.view_user."""
    user = User.objects.create_user('carol', password='pass')
    user.user_permissions.add(Permission.objects.get(codename='add_group'))
    return user


# The reasons of refusals that are not about reading the token.
REASONS = {
    'Insufficient Permissions.': 'PERMISSION_DENIED',
    'Invalid permissions for jwt token.': 'PERMISSION_DENIED',
    'Failed to process request.': 'NOT_PROCESSED',
    'Failed to validate token.': 'TOKEN_INVALID',
}


def reason_of(message):
    return REASONS.get(message) or expected_reason(message)


def ask(api, target):
    """Call a protected resolver or view as the mode's client; return (status, answer).

    The answer is the resolver's value or the view's JSON, or the refusal's
    message. A resolver refuses with a GraphQL error (in an HTTP 200) whose
    extensions carry the status and its code.
    """
    bearer = api.access if api.mode == 'JSON' else None
    if target.startswith('/'):
        headers = {'HTTP_AUTHORIZATION': f'Bearer {bearer}'} if bearer else {}
        response = api.client.get(target, **headers)
        body = response.json()
        if 'error' in body:
            assert body == {'error': body['error'], 'reason': reason_of(body['error'])}
        return response.status_code, body.get('error', body)
    result = api.post(f'{{ {target} }}', bearer=bearer)
    assert result.status == 200
    if not result.errors:
        return 200, result.field(target)
    assert result.data == {target: None}
    assert result.error['path'] == [target]
    status = result.error['extensions']['status']
    message = result.error['message']
    assert result.error['extensions'] == {
        'status': status,
        'code': CODES[status],
        'reason': reason_of(message),
    }
    return status, message


# Allowed.


@pytest.mark.parametrize('target, answer', [('me', 'alice'), ('/whoami/', {'username': 'alice'})])
def test_login_required_allows_a_good_access_token(logged_in, target, answer):
    assert ask(logged_in, target) == (200, answer)


@pytest.mark.parametrize('target, answer', [('secret', 'only for viewers'), ('/viewers/', {'ok': True})])
def test_perm_required_allows_a_token_granting_the_permission(api, bob, target, answer):
    api.login('bob')
    assert ask(api, target) == (200, answer)


class EchoQuery(graphene.ObjectType):
    token = graphene.String()
    perm_token = graphene.String()

    @jwt_login_required
    def resolve_token(root, info):
        return info.context.token

    @jwt_perm_required(['auth.view_user'])
    def resolve_perm_token(root, info):
        return info.context.token


echo_schema = graphene.Schema(query=EchoQuery)


@jwt_login_required
def echo_view(request):
    return JsonResponse({'token': request.token, 'payload': request.payload})


@jwt_perm_required(['auth.view_user'])
def echo_perm_view(request):
    return JsonResponse({'token': request.token, 'payload': request.payload})


def request_with_access(rf, api):
    token = api.token('access')
    if api.mode == 'JSON':
        return rf.get('/echo/', HTTP_AUTHORIZATION=f'Bearer {token}')
    rf.cookies[ACCESS_COOKIE[api.mode]] = token
    return rf.get('/echo/')


@pytest.mark.parametrize('view', [echo_view, echo_perm_view])
def test_decorated_view_sees_the_claims_and_raw_token_on_the_request(api, bob, rf, view):
    api.login('bob')
    token = api.token('access')
    response = view(request_with_access(rf, api))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body['token'] == token
    assert body['payload'] == jwt.decode(token, options={'verify_signature': False})
    assert body['payload']['user']['username'] == 'bob'


def test_decorated_resolvers_see_the_raw_token_on_the_request(api, bob, rf):
    api.login('bob')
    result = echo_schema.execute('{ token permToken }', context_value=request_with_access(rf, api))
    assert not result.errors
    assert result.data == {'token': api.token('access'), 'permToken': api.token('access')}


# Refused.


@pytest.mark.parametrize('target', LOGIN_TARGETS + PERM_TARGETS)
def test_request_without_access_token_is_refused(api, target):
    assert ask(api, target) == (403, NO_TOKEN[api.mode])


@pytest.mark.parametrize('target', PERM_TARGETS)
def test_perm_required_alone_authenticates(api, bob, target):
    # djwto would answer 'Login must happen before evaluating permissions.'
    assert ask(api, target) == (403, NO_TOKEN[api.mode])
    api.login('bob')
    header, payload, signature = api.token('access').split('.')
    forged = ('A' if signature[0] != 'A' else 'B') + signature[1:]
    api.set_token('access', f'{header}.{payload}.{forged}')
    assert ask(api, target) == (403, 'Signature verification failed')


def use_refresh_as_access(api):
    """Log bob in, then send his refresh token where the access token belongs."""
    api.login('bob')
    api.set_token('access', api.token('refresh'))


@pytest.mark.parametrize('target', LOGIN_TARGETS + PERM_TARGETS)
def test_refresh_token_in_place_of_the_access_token_is_refused(api, bob, target):
    use_refresh_as_access(api)
    status, message = ask(api, target)
    assert status == 403
    if api.mode == 'JSON':
        assert message == 'Access token was not sent in authorization header.'
    else:
        assert message == f'Cookie "{ACCESS_COOKIE[api.mode]}" does not hold the access token.'


@pytest.mark.parametrize('target', PERM_TARGETS)
def test_token_lacking_the_permission_is_refused(api, carol, target):
    api.login('carol')
    assert ask(api, target) == (403, 'Insufficient Permissions.')


@pytest.mark.parametrize('target', PERM_TARGETS)
def test_token_with_no_permissions_is_refused(logged_in, target):
    assert ask(logged_in, target) == (403, 'Invalid permissions for jwt token.')


@pytest.mark.parametrize('target', LOGIN_TARGETS + PERM_TARGETS)
def test_expired_access_token_is_refused(api, bob, clock, target):
    api.login('bob')
    clock.tick(301)
    assert ask(api, target) == (403, 'Signature has expired')


@pytest.mark.parametrize('target', LOGIN_TARGETS + PERM_TARGETS)
def test_missing_signing_key_is_answered_without_detail(logged_in, settings, monkeypatch, target):
    monkeypatch.delenv('DJWTO_SIGNING_KEY', raising=False)
    settings.DJWTO_SIGNING_KEY = None
    assert ask(logged_in, target) == (500, 'Failed to process request.')


# No database.


def test_protected_resolvers_and_views_make_no_database_query(api, bob, django_assert_num_queries):
    api.login('bob')
    api.client.force_login(bob)  # a Django session too, which the decorators leave unread
    with django_assert_num_queries(0):
        assert ask(api, 'me') == (200, 'bob')
        assert ask(api, 'secret') == (200, 'only for viewers')
        assert ask(api, '/whoami/') == (200, {'username': 'bob'})
        assert ask(api, '/viewers/') == (200, {'ok': True})


# A plain Django view's imports.

# Imports the modules named on its command line in a fresh interpreter, with
# graphene-django not installed as an app, and prints which of graphene,
# graphene-django and graphql-core got loaded.
LOADED_GRAPHENE = """
import importlib, sys
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=['django.contrib.auth', 'django.contrib.contenttypes', 'gql_djwto'],
    DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}},
)
django.setup()
for module in sys.argv[1:]:
    importlib.import_module(module)
loaded = {name.partition('.')[0] for name in sys.modules}
print(' '.join(sorted(loaded & {'graphene', 'graphene_django', 'graphql'})))
"""


def loaded_graphene(*modules: str) -> str:
    run = subprocess.run(
        [sys.executable, '-c', LOADED_GRAPHENE, *modules],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def test_the_decorators_middleware_and_service_do_not_load_graphene():
    plain = ['gql_djwto.decorators', 'gql_djwto.middleware', 'gql_djwto.jwks', 'gql_djwto.service']
    assert loaded_graphene(*plain) == ''
    # What the check sees when a module does: the mutations load graphene and graphql-core.
    assert loaded_graphene('gql_djwto.mutations') == 'graphene graphql'
