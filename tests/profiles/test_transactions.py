"""Transactions: a write of ours reported as done stays done; the project's own
mutations keep exactly graphene-django's semantics (ATOMIC_REQUESTS, ATOMIC_MUTATIONS).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from graphene_django.settings import graphene_settings

from gql_djwto.models import JWTBlacklist

from .conftest import GRAPHQL, PLAIN_GRAPHQL

BLACKLISTED = 'Token successfully blacklisted.'
REFRESH_ACCESS = 'mutation { refreshAccess { msg access refresh } }'

# The project's mutation writes, then a later field of the same document fails.
PROJECT_DOCUMENTS = {
    'form errors': """mutation {
      ok: rename(input: {firstName: "Bob"}) { errors { field } }
      bad: rename(input: {firstName: ""}) { errors { field } }
    }""",
    'a failing field': """mutation {
      ok: rename(input: {firstName: "Bob"}) { errors { field } }
      refuse { ok }
    }""",
}


def graphene_django_rolls_back(kind: str) -> bool:
    """Tell whether graphene-django's view rolls back the write of a document of ``kind``.

    Under ATOMIC_REQUESTS any error rolls the request back; ATOMIC_MUTATIONS
    rolls back a document whose mutations report form errors.
    """
    database = settings.DATABASES['default']
    if database.get('ATOMIC_REQUESTS'):
        return True
    atomic_mutations = graphene_settings.ATOMIC_MUTATIONS or database.get('ATOMIC_MUTATIONS')
    return bool(atomic_mutations) and kind == 'form errors'


def test_revoke_reported_done_beside_a_failing_project_mutation_is_committed(browser, user, recorder):
    assert browser.login(user.get_username()).field('tokenAuth')['msg'] == 'Tokens successfully created.'
    recorder.clear()

    answer = browser.with_refresh(
        'mutation { revoke { msg } rename(input: {firstName: ""}) { errors { field messages } } }'
    )

    reported = ((answer.body.get('data') or {}).get('revoke') or {}).get('msg') == BLACKLISTED
    if not reported:  # refusing the mix is allowed, with a clear error
        assert answer.errors and answer.errors[0]['message'], answer.body
    stored = JWTBlacklist.objects.exists()
    signalled = 'jwt_blacklisted' in recorder.names()
    refused_after = bool(browser.with_refresh(REFRESH_ACCESS).errors)
    assert (stored, signalled, refused_after) == (reported, reported, reported), answer.body


@pytest.mark.parametrize('kind', PROJECT_DOCUMENTS)
def test_project_mutation_keeps_graphene_djangos_transaction_semantics(browser, user, kind):
    browser.admin_login(user.get_username())
    kept = {}
    for path in (PLAIN_GRAPHQL, GRAPHQL):
        type(user)._default_manager.filter(pk=user.pk).update(first_name='')
        answer = browser.post(PROJECT_DOCUMENTS[kind], path=path)
        assert answer.status in (200, 400), answer.body
        user.refresh_from_db()
        kept[path] = user.first_name

    assert kept[GRAPHQL] == kept[PLAIN_GRAPHQL], kept
    assert kept[GRAPHQL] == ('' if graphene_django_rolls_back(kind) else 'Bob'), kept
