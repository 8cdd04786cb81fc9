"""Hostile GraphQL (tests/hostile_documents.py) against the demo schema: clean refusals, nothing issued.

Every request gets its expected 4xx (or a 200 carrying errors), a JSON body
whose first error has a message, no traceback, nothing logged at ERROR, no
token (one, for a document of logins that one login answered) and no
blacklist row; and a request full of logins checks at most
one password.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from gql_djwto.models import JWTBlacklist

from .hashers import CountingHasher
from .hostile_documents import REQUESTS, Request

DEMO_GRAPHQL = '/demo/graphql/'


def send(request: Request):
    client = Client()
    if request.method == 'get':
        return client.get(DEMO_GRAPHQL, request.query_string, HTTP_ACCEPT='application/json')
    return getattr(client, request.method)(
        DEMO_GRAPHQL, request.body, content_type=request.content_type, HTTP_ACCEPT='application/json'
    )


def first_message(body):
    """The first error's message; for a document all of whose logins answered, the last msg."""
    if body.get('errors'):
        return body['errors'][0]['message']
    return list(body['data'].values())[-1]['msg']


@pytest.fixture
def counting_hasher(settings, alice):
    settings.PASSWORD_HASHERS = ['tests.hashers.CountingHasher']
    alice.set_password('pass')
    alice.save()
    CountingHasher.checks = 0
    return CountingHasher


@pytest.mark.parametrize('request_', REQUESTS, ids=[request.id for request in REQUESTS])
def test_hostile_request_is_refused_cleanly(request_, counting_hasher, caplog):
    with caplog.at_level(logging.ERROR):
        response = send(request_)
    text = response.content.decode('utf-8', 'replace')
    assert response.status_code == request_.status, text[:500]
    assert 'Traceback' not in text
    message = first_message(json.loads(text))
    assert message and request_.message in message, message
    assert text.count('"eyJ') == request_.tokens_issued
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    assert counting_hasher.checks <= (1 if request_.sends_a_login else 0)
    assert not JWTBlacklist.objects.exists()


def test_the_corpus_is_large_enough():
    assert len(REQUESTS) >= 30
    assert len({request.id for request in REQUESTS}) == len(REQUESTS)
