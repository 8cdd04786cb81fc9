"""Hostile documents: depth and alias bombs, oversized and malformed requests."""

import json

import pytest
from django.test import Client

from .conftest import GRAPHQL


def post(query, **extra):
    response = Client().post(GRAPHQL, json.dumps({'query': query}), content_type='application/json', **extra)
    return response, json.loads(response.content)


@pytest.mark.django_db
def test_deep_documents_are_refused_by_the_depth_limit(settings):
    settings.DJWTO_MAX_QUERY_DEPTH = 5
    query = '{ __schema { types { fields { type { ofType { ofType { name } } } } } } }'
    response, body = post(query)
    assert response.status_code == 400
    assert body['errors'][0]['message'] == (
        'The operation is nested 7 levels deep; the limit is 5 (DJWTO_MAX_QUERY_DEPTH).'
    )


@pytest.mark.django_db
def test_depth_counts_through_fragments(settings):
    settings.DJWTO_MAX_QUERY_DEPTH = 3
    query = '{ __schema { ...T } } fragment T on __Schema { types { fields { name } } }'
    _, body = post(query)
    assert body['errors'][0]['message'].startswith('The operation is nested 4 levels deep')


@pytest.mark.django_db
def test_introspection_fits_the_default_limits():
    from graphql import get_introspection_query

    response, body = post(get_introspection_query(descriptions=True, input_value_deprecation=True))
    assert response.status_code == 200 and 'errors' not in body


@pytest.mark.django_db
def test_alias_bombs_are_refused(settings):
    aliases = ' '.join(f'a{i}: me' for i in range(101))
    response, body = post('{ ' + aliases + ' }')
    assert response.status_code == 400
    assert body['errors'][0]['message'] == (
        'The operation uses 101 aliases; the limit is 100 (DJWTO_MAX_ALIASES).'
    )


@pytest.mark.django_db
def test_fragment_fan_out_counts_every_expanded_alias():
    # Ten fragments, each spreading the next twice: 2**10 aliases from 20 written.
    fragments = (
        ' '.join(f'fragment F{i} on Query {{ x{i}: me ...F{i + 1} ...F{i + 1} }}' for i in range(10))
        + ' fragment F10 on Query { last: me }'
    )
    response, body = post('{ ...F0 } ' + fragments)
    assert response.status_code == 400
    assert 'aliases; the limit is 100' in body['errors'][0]['message']


@pytest.mark.django_db
def test_cyclic_fragments_are_refused_without_recursing_forever():
    response, body = post('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')
    assert response.status_code == 400
    assert any('Cannot spread fragment' in e['message'] for e in body['errors'])


@pytest.mark.django_db
def test_documents_with_too_many_tokens_are_refused(settings):
    settings.DJWTO_MAX_QUERY_TOKENS = 50
    response, body = post('{ ' + ' '.join(['me'] * 60) + ' }')
    assert response.status_code == 400
    assert 'Document contains more than 50 tokens' in body['errors'][0]['message']


@pytest.mark.django_db
def test_deeply_nested_text_is_refused_cleanly():
    response, body = post('{' * 50_000)
    assert response.status_code == 400
    assert body['errors'][0]['message']


@pytest.mark.django_db
def test_oversized_bodies_are_refused(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response, body = post('{ me }' + ' ' * 5000)
    assert response.status_code == 400
    assert 'DATA_UPLOAD_MAX_MEMORY_SIZE' in body['errors'][0]['message']


@pytest.mark.django_db
def test_batched_requests_are_refused():
    response = Client().post(GRAPHQL, json.dumps([{'query': '{ me }'}] * 3), content_type='application/json')
    assert response.status_code == 400
    assert response.json()['errors'][0]['message'] == 'The received data is not a valid JSON query.'


@pytest.mark.django_db
@pytest.mark.parametrize('method', ['put', 'delete', 'patch'])
def test_other_http_methods_are_refused(method):
    response = getattr(Client(), method)(GRAPHQL)
    assert response.status_code == 405
    assert response.json()['errors'][0]['extensions']['code'] == 'METHOD_NOT_ALLOWED'
