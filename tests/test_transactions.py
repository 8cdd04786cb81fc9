"""Transactions: a revoke reported as done is committed; the project keeps graphene-django's.

Each test commits for real (``transaction=True``) and turns on the
project's ``ATOMIC_REQUESTS`` or ``ATOMIC_MUTATIONS`` for the default
database, as a project's ``DATABASES`` would.
"""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError, connection, connections
from django.test import Client

from gql_djwto import errors, signals
from gql_djwto.models import JWTBlacklist

from .conftest import REFRESH_ACCESS, REVOKE, Api, browser_like

OURS = '/project/graphql/'
OURS_AT_REFRESH_PATH = '/api/token/refresh/project/graphql/'
GRAPHENE = '/graphene/graphql/'

ATOMIC = ['ATOMIC_REQUESTS', 'ATOMIC_MUTATIONS']

ADD = 'addGroup(input: {{name: "{name}"}}) {{ errors {{ field messages }} }}'
WRITTEN, REFUSED = ADD.format(name='written'), ADD.format(name='')

# Documents of the project's mutations, and which groups graphene-django's
# view keeps of them under each setting.
DOCUMENTS = {
    'all well': (
        f'mutation {{ {WRITTEN} }}',
        {None: ['written'], 'ATOMIC_REQUESTS': ['written'], 'ATOMIC_MUTATIONS': ['written']},
    ),
    'form errors': (
        f'mutation {{ a: {WRITTEN} b: {REFUSED} }}',
        {None: ['written'], 'ATOMIC_REQUESTS': [], 'ATOMIC_MUTATIONS': []},
    ),
    'a failing field': (
        f'mutation {{ {WRITTEN} fail {{ ok }} }}',
        {None: ['written'], 'ATOMIC_REQUESTS': [], 'ATOMIC_MUTATIONS': ['written']},
    ),
    'verify beside form errors': (
        f'mutation {{ verify {{ msg }} a: {WRITTEN} b: {REFUSED} }}',
        {None: ['written'], 'ATOMIC_REQUESTS': [], 'ATOMIC_MUTATIONS': []},
    ),
}

pytestmark = pytest.mark.django_db(transaction=True)


def turn_on(monkeypatch, option: str | None) -> None:
    """Set ``DATABASES['default'][option]``, as a project's settings would."""
    if option:
        monkeypatch.setitem(connections['default'].settings_dict, option, True)


def groups() -> list[str]:
    return sorted(Group.objects.values_list('name', flat=True))


@pytest.mark.parametrize('option', [None, *ATOMIC])
@pytest.mark.parametrize('document, kept', DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_project_mutations_keep_graphene_djangos_transactions(monkeypatch, alice, option, document, kept):
    turn_on(monkeypatch, option)
    answers = {}
    for path in (GRAPHENE, OURS):
        Group.objects.all().delete()
        response = Client().post(path, {'query': document}, content_type='application/json')
        answers[path] = (response.status_code, groups())
    assert answers[OURS] == answers[GRAPHENE] == (200, kept[option])


# One document, the project's fields written plainly, behind fragments, or skipped.
MIXED = {
    'plain': f'mutation {{ revoke {{ msg }} a: {WRITTEN} b: {REFUSED} }}',
    'fragment': f'mutation {{ revoke {{ msg }} ...F }} fragment F on ProjectMutation {{ a: {WRITTEN} }}',
    'inline fragment': f'mutation {{ revoke {{ msg }} ... {{ ... on ProjectMutation {{ a: {WRITTEN} }} }} }}',
    'behind @skip': 'mutation { revoke { msg } a: addGroup(input: {name: "written"}) @skip(if: false) '
    '{ errors { field messages } } }',
}


@pytest.mark.parametrize('option', ATOMIC)
@pytest.mark.parametrize('document', MIXED.values(), ids=MIXED.keys())
def test_revoke_beside_project_mutations_in_a_transaction_is_refused_before_anything_runs(
    monkeypatch, mode, alice, recorder, option, document
):
    turn_on(monkeypatch, option)
    api = browser_like(mode)
    api.login()
    result = api.with_refresh(document, path=OURS_AT_REFRESH_PATH)
    assert result.status == 400
    assert result.error['message'] == errors.MIXED_WITH_PROJECT_FIELDS.format(
        ours='revoke', project='addGroup'
    )  # the document names the cause
    assert result.error['extensions'] == {'code': 'BAD_REQUEST', 'status': 400, 'reason': 'MIXED_TRANSACTION'}
    assert 'data' not in result.body
    assert groups() == []
    assert not JWTBlacklist.objects.exists()
    assert 'jwt_blacklisted' not in recorder.names()
    assert (
        api.with_refresh(REFRESH_ACCESS).field('refreshAccess')['msg']
        == 'Access token successfully refreshed.'
    )


@pytest.mark.parametrize('option', ATOMIC)
def test_login_beside_project_mutations_in_a_transaction_is_refused_before_any_password_check(
    monkeypatch, settings, alice, recorder, option
):
    """Else a rollback would undo the failure count (in a database cache): unthrottled guesses."""
    settings.DJWTO_MODE = 'JSON'
    turn_on(monkeypatch, option)
    api = Api(Client(), 'JSON')
    result = api.post(
        'mutation { tokenAuth(username: "alice", password: "guess") { msg } fail { ok } }', path=OURS
    )
    assert result.status == 400
    assert result.error['message'] == errors.MIXED_WITH_PROJECT_FIELDS.format(
        ours='tokenAuth', project='fail'
    )
    assert recorder.names() == []


def test_revoke_beside_project_mutations_runs_when_no_transaction_applies(mode, alice):
    api = browser_like(mode)
    api.login()
    result = api.with_refresh(f'mutation {{ revoke {{ msg }} {WRITTEN} }}', path=OURS_AT_REFRESH_PATH)
    assert result.data == {'revoke': {'msg': 'Token successfully blacklisted.'}, 'addGroup': {'errors': []}}
    assert groups() == ['written']
    assert api.with_refresh(REFRESH_ACCESS).error['message'] == "Can't update access token."


@pytest.mark.parametrize('option', ATOMIC)
def test_revoke_beside_other_gql_djwto_fields_commits_under_project_transactions(
    monkeypatch, mode, alice, option
):
    turn_on(monkeypatch, option)
    api = browser_like(mode)
    api.login()
    result = api.with_refresh('mutation { revoke { msg } refreshAccess { msg } }')
    assert result.data['revoke'] == {'msg': 'Token successfully blacklisted.'}
    assert result.errors, 'refreshAccess failed after the revoke'
    assert JWTBlacklist.objects.count() == 1
    assert api.with_refresh(REFRESH_ACCESS).error['message'] == "Can't update access token."


def committed_elsewhere(jti: str) -> bool | str:
    """Tell whether another connection (another thread's) sees the revoked jti."""
    answer: list[bool | str] = []

    def look() -> None:
        try:
            answer.append(JWTBlacklist.objects.filter(jti=jti).exists())
        except OperationalError as error:  # SQLite: the row is locked by an open transaction
            answer.append(str(error))
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return answer[0]


@pytest.mark.parametrize('option', [None, *ATOMIC])
def test_jwt_blacklisted_is_sent_once_the_row_is_committed(monkeypatch, mode, alice, option):
    turn_on(monkeypatch, option)
    seen = []

    def receiver(sender, jti, **kwargs):
        seen.append((connection.in_atomic_block, committed_elsewhere(jti)))

    signals.jwt_blacklisted.connect(receiver, weak=False)
    try:
        api = browser_like(mode)
        api.login()
        assert api.with_refresh(REVOKE).field('revoke') == {'msg': 'Token successfully blacklisted.'}
    finally:
        signals.jwt_blacklisted.disconnect(receiver)
    assert seen == [(False, True)]


@pytest.mark.parametrize('option', ATOMIC)
def test_revoke_inside_a_projects_transaction_is_a_coded_refusal(
    monkeypatch, settings, alice, recorder, option
):
    """graphene-django's own view runs revoke inside the project's transaction: refused, not lost."""
    settings.DJWTO_MODE = 'JSON'
    turn_on(monkeypatch, option)
    api = Api(Client(), 'JSON')
    api.login()
    result = api.post(REVOKE, path=GRAPHENE, bearer=api.refresh)
    assert result.status == 200
    assert result.data == {'revoke': None}
    assert result.error['message'] == errors.REVOKE_IN_TRANSACTION
    assert result.error['extensions'] == {
        'code': 'INTERNAL_SERVER_ERROR',
        'status': 500,
        'reason': 'REVOKE_IN_TRANSACTION',
    }
    assert not JWTBlacklist.objects.exists()
    assert 'jwt_blacklisted' not in recorder.names()
    assert (
        api.with_refresh(REFRESH_ACCESS).field('refreshAccess')['msg']
        == 'Access token successfully refreshed.'
    )


@pytest.mark.parametrize('option', ATOMIC)
@pytest.mark.parametrize('field', ['refreshAccess', 'updateRefresh'])
def test_a_rotating_refresh_beside_project_mutations_in_a_transaction_is_refused(
    monkeypatch, settings, mode, alice, option, field
):
    """A rollback would undo the rotation while the client holds the new token: two live tokens."""
    settings.DJWTO_ROTATE_REFRESH_TOKENS = True
    turn_on(monkeypatch, option)
    api = browser_like(mode)
    api.login()
    result = api.with_refresh(f'mutation {{ {field} {{ msg }} {WRITTEN} }}', path=OURS_AT_REFRESH_PATH)
    assert result.error['message'] == errors.MIXED_WITH_PROJECT_FIELDS.format(ours=field, project='addGroup')
    assert result.error['extensions']['reason'] == 'MIXED_TRANSACTION'
    assert groups() == []
    settings.DJWTO_ROTATE_REFRESH_TOKENS = False
    result = api.with_refresh(f'mutation {{ {field} {{ msg }} {WRITTEN} }}', path=OURS_AT_REFRESH_PATH)
    assert result.errors == [], 'without rotation they run together, as before'
