"""extensions.reason: a stable cause on every refusal, a GraphQL-shaped body for whole requests.

The reasons of token refusals are checked where each refusal is tested
(test_tokens, test_verify, test_refresh, test_decorators and the hostile
corpus); here are the refusals of a whole request and the reasons no other
test reaches.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client

from gql_djwto.errors import Reason

from .conftest import GRAPHQL, LOGIN, REFRESH_ACCESS, REVOKE, Api

README = Path(__file__).resolve().parent.parent / 'README.md'


def whole_request_refusal(response, status: int, reason: str) -> str:
    """Assert a GraphQL-shaped refusal of the request as a whole; return its message."""
    assert response.status_code == status
    assert response['Content-Type'] == 'application/json'
    body = json.loads(response.content)
    assert set(body) == {'errors'}, body
    [error] = body['errors']
    code = {400: 'BAD_REQUEST', 403: 'FORBIDDEN', 405: 'METHOD_NOT_ALLOWED'}[status]
    assert error['extensions'] == {'code': code, 'status': status, 'reason': reason}
    assert error['message']
    return error['message']


def post_json(body: str, **extra):
    return Client().post(GRAPHQL, body, content_type='application/json', **extra)


@pytest.mark.django_db
@pytest.mark.parametrize(
    'body, message',
    [
        ('{"query": ', 'POST body sent invalid JSON.'),
        ('[{"query": "{ me }"}]', 'The received data is not a valid JSON query.'),
        ('{"query": 5}', 'The query must be a string.'),
        ('{"query": "{ me }", "variables": [1]}', 'The variables must be a JSON object.'),
        ('{"variables": {}}', 'Must provide query string.'),
        ('[' * 100_000, 'POST body sent invalid JSON.'),
    ],
    ids=['truncated', 'batch', 'query-not-a-string', 'variables-not-an-object', 'no-query', 'deep-json'],
)
def test_a_body_that_is_not_a_graphql_request_is_malformed(body, message):
    assert whole_request_refusal(post_json(body), 400, Reason.MALFORMED_REQUEST) == message


@pytest.mark.django_db
@pytest.mark.parametrize('method', ['put', 'delete', 'patch'])
def test_other_http_methods_are_refused_with_a_reason(method):
    whole_request_refusal(getattr(Client(), method)(GRAPHQL), 405, Reason.METHOD_NOT_ALLOWED)


@pytest.mark.django_db
def test_a_mutation_over_get_is_refused_with_a_reason():
    response = Client().get(GRAPHQL, {'query': REVOKE}, HTTP_ACCEPT='application/json')
    whole_request_refusal(response, 405, Reason.METHOD_NOT_ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize(
    'content_type, body',
    [
        ('application/json', json.dumps({'query': '{ me }' + ' ' * 5000})),
        ('application/graphql', '{ me }' + ' ' * 5000),
        ('application/x-www-form-urlencoded', 'query=' + '+' * 5000 + '{me}'),
    ],
    ids=['json', 'graphql', 'form'],
)
def test_a_body_over_djangos_upload_limit_is_too_large(settings, content_type, body):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post(GRAPHQL, body, content_type=content_type)
    message = whole_request_refusal(response, 400, Reason.BODY_TOO_LARGE)
    assert 'DATA_UPLOAD_MAX_MEMORY_SIZE' in message


@pytest.mark.django_db
def test_a_form_with_too_many_fields_is_too_large(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = '&'.join(f'f{i}=1' for i in range(20)) + '&query=%7Bme%7D'
    response = Client().post(GRAPHQL, body, content_type='application/x-www-form-urlencoded')
    message = whole_request_refusal(response, 400, Reason.BODY_TOO_LARGE)
    assert 'DATA_UPLOAD_MAX_NUMBER_FIELDS' in message


def limit_refusal(query: str) -> dict:
    """The one error of a document refused by a limit (a validation error has locations)."""
    response = post_json(json.dumps({'query': query}))
    assert response.status_code == 400
    body = json.loads(response.content)
    assert set(body) == {'errors'}, body
    [error] = body['errors']
    return error


@pytest.mark.django_db
@pytest.mark.parametrize(
    'setting, value, query, reason',
    [
        ('DJWTO_MAX_QUERY_DEPTH', 3, '{ __schema { types { fields { name } } } }', Reason.QUERY_TOO_DEEP),
        ('DJWTO_MAX_ALIASES', 2, '{ a: me b: me c: me }', Reason.TOO_MANY_ALIASES),
        ('DJWTO_MAX_QUERY_TOKENS', 10, '{ ' + 'me ' * 20 + '}', Reason.TOO_MANY_TOKENS),
    ],
    ids=['depth', 'aliases', 'tokens'],
)
def test_a_document_over_a_limit_names_the_limit(settings, setting, value, query, reason):
    setattr(settings, setting, value)
    error = limit_refusal(query)
    assert error['extensions'] == {'code': 'BAD_REQUEST', 'status': 400, 'reason': reason}
    assert error['message']


@pytest.mark.django_db
@pytest.mark.parametrize(
    'query', ['{ a ' * 3000, '{ a(x: ' + '[' * 3000 + '] }'], ids=['fields', 'list-values']
)
def test_a_document_deeper_than_the_parser_goes_is_too_deep(query):
    """graphql-core 3.3 stops at its own nesting limit, 3.2 at the interpreter's recursion limit."""
    error = limit_refusal(query)
    assert error['message'] in (
        'The document is nested too deeply to parse.',
        'Syntax Error: Document is nested too deeply. Parsing aborted.',
    )
    assert error['extensions'] == {'code': 'BAD_REQUEST', 'status': 400, 'reason': Reason.QUERY_TOO_DEEP}


@pytest.mark.django_db
def test_a_syntax_error_is_graphql_cores_and_carries_no_reason(settings):
    """Only gql_djwto's refusals carry a reason: a typo is not a token limit."""
    settings.DJWTO_MAX_QUERY_TOKENS = 1000
    error = limit_refusal('{ me ')
    assert error['message'].startswith('Syntax Error')
    assert 'extensions' not in error or 'reason' not in error['extensions']


# Field refusals whose reasons no other test file reaches.


def test_a_second_login_in_one_document_is_one_login_per_request(api):
    document = """mutation { a: tokenAuth(username: "alice", password: "wrong") { msg }
                             b: tokenAuth(username: "alice", password: "pass") { msg } }"""
    result = api.post(document)
    first, error = result.errors
    assert first['extensions']['reason'] == Reason.BAD_CREDENTIALS
    assert error['path'] == ['b']
    assert error['extensions'] == {
        'code': 'TOO_MANY_REQUESTS',
        'status': 429,
        'reason': Reason.ONE_LOGIN_PER_REQUEST,
    }


@pytest.mark.django_db
def test_an_inactive_user_is_told_so_where_a_backend_lets_the_form_refuse_them(settings, django_user_model):
    settings.AUTHENTICATION_BACKENDS = ['django.contrib.auth.backends.AllowAllUsersModelBackend']
    django_user_model.objects.create_user('idle', password='pass', is_active=False)
    error = Api(Client(), 'JSON').login('idle', 'pass').error
    assert 'inactive' in error['message']
    assert error['extensions'] == {'code': 'UNAUTHENTICATED', 'status': 401, 'reason': Reason.USER_INACTIVE}


@pytest.mark.django_db
def test_an_inactive_user_is_bad_credentials_where_django_hides_them(django_user_model):
    """Django's ModelBackend never tells an inactive account from a wrong password."""
    django_user_model.objects.create_user('idle', password='pass', is_active=False)
    error = Api(Client(), 'JSON').login('idle', 'pass').error
    assert error['extensions']['reason'] == Reason.BAD_CREDENTIALS


def test_revoking_a_token_without_jti_is_no_jti(api, settings):
    settings.DJWTO_JTI_CLAIM = False
    api.login()
    error = api.with_refresh(REVOKE).error
    assert error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': Reason.NO_JTI}


@pytest.mark.parametrize(
    'cookie_sent', [False, True], ids=['cookie-kept-by-the-browser', 'cookie-sent-anyway']
)
def test_refresh_off_the_refresh_path_is_refresh_off_path(cookie_api, cookie_sent):
    cookie_api.login()
    extra = {}
    if cookie_sent:
        jar = cookie_api.client.cookies
        extra['HTTP_COOKIE'] = '; '.join(f'{name}={jar[name].value}' for name in jar)
    error = cookie_api.with_refresh(REFRESH_ACCESS, path=GRAPHQL, **extra).error
    assert error['message'].startswith('Refresh ')
    assert error['extensions'] == {'code': 'FORBIDDEN', 'status': 403, 'reason': Reason.REFRESH_OFF_PATH}


def test_a_login_needs_no_reason_to_succeed(api):
    assert api.post(LOGIN, {'username': 'alice', 'password': 'pass'}).errors == []


# The table.


def test_every_reason_is_its_own_name():
    names = [name for name in vars(Reason) if not name.startswith('_')]
    assert names and all(getattr(Reason, name) == name for name in names)


def test_the_readme_table_lists_every_reason_once():
    text = README.read_text()
    table = text.split('## Errors a client can act on', 1)[1].split('\n## ', 1)[0]
    listed = re.findall(r'^\| `([A-Z_]+)` \|', table, flags=re.MULTILINE)
    names = sorted(name for name in vars(Reason) if not name.startswith('_'))
    assert sorted(listed) == names
    assert len(listed) == len(set(listed))
