"""The document cache's memory: bounded in bytes, so large distinct documents are not held on to."""

import gc
import json
import sys
import tracemalloc
import uuid

import pytest
from django.test import Client
from graphql import parse

from gql_djwto.documents import document_bytes, documents
from gql_djwto.settings import djwto_settings
from gql_djwto.views import DjwtoGraphQLView

from .conftest import GRAPHQL
from .schema import schema as test_schema

MB = 1024 * 1024
SCHEMA = test_schema.graphql_schema
RULES = DjwtoGraphQLView(schema=test_schema).get_validation_rules()


@pytest.fixture(autouse=True)
def empty_cache():
    documents.clear()
    yield
    documents.clear()


def padded(size, query='{ me }'):
    """A distinct valid document of ``size`` characters: ``query``, blanks, then a comment."""
    comment = f'# {uuid.uuid4()}'
    return query + ' ' * (size - len(query) - len(comment)) + comment


def commented(comment_size, query='{ me }'):
    """A distinct valid document ending in a comment of ``comment_size`` characters."""
    return f'{query} # {uuid.uuid4()} ' + 'x' * comment_size


def large_document(size):
    """A distinct valid document of ``size`` bytes in memory, padded with a comment.

    The comment is of 4-byte characters: the lexer reads it in a quarter of
    the steps, and its token keeps a second copy of it, the worst case.
    """
    return f'{{ me }} # {uuid.uuid4()} ' + '\N{GRINNING FACE}' * (size // 4)


def retained_after(send):
    """Bytes still allocated after ``send()`` returns, traced by tracemalloc.

    The objects that exist before ``send()`` are frozen out of the collector's
    sight (``gc.freeze``): the collection afterwards then looks only at what
    ``send()`` made, in a few milliseconds rather than a quarter second.
    """
    gc.freeze()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        send()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        gc.unfreeze()


def test_no_document_over_an_eighth_of_the_default_8mb_budget_is_kept():
    assert djwto_settings.DOCUMENT_CACHE_BYTES == 8 * MB
    over = large_document(MB)
    assert sys.getsizeof(over) > MB
    assert documents.get(SCHEMA, over, RULES)[1] == []
    assert len(documents) == 0
    under = commented(300_000)
    assert documents.get(SCHEMA, under, RULES)[1] == []
    assert len(documents) == 1


def test_distinct_large_documents_leave_at_most_twice_the_budget_behind(settings):
    """The issue's figure (300 distinct 2 MB documents leave at most 16 MB behind, under
    the default 8 MB), at an eighth of its scale: a 1 MB budget and 256 KB documents,
    each over an eighth of the budget, so none is kept. Kept, the last ten (the ones
    traced: tracemalloc slows the lexer ten times) would hold 5 MB, and a cache bounded
    by its count alone would cost 10 MB."""
    budget = settings.DJWTO_DOCUMENT_CACHE_BYTES = MB

    def send(count):
        for _ in range(count):
            query = large_document(MB // 4)
            assert sys.getsizeof(query) >= MB // 4 and len(query.encode()) >= MB // 4
            document, errors = documents.get(SCHEMA, query, RULES)
            assert document is not None and errors == []

    send(10)
    retained = retained_after(lambda: send(10))
    print(
        f'\n20 distinct 256 KB documents: the last 10 retained {retained / MB:.2f} MB; '
        f'the cache holds {len(documents)} documents, {documents.cost / MB:.2f} MB'
    )
    assert retained <= 2 * budget
    assert documents.cost <= 2 * budget


def test_documents_with_large_comments_stay_within_the_byte_budget(settings):
    """A 2 MB budget (the default's eighth, for speed): each document is cached, forty are not.

    The margin, a quarter of the budget, is what tracing itself holds (about
    180 KB); an estimate that missed the comment's second copy would leave twice the budget.
    """
    budget = settings.DJWTO_DOCUMENT_CACHE_BYTES = 2 * MB

    def send():
        for _ in range(40):
            assert documents.get(SCHEMA, commented(60_000), RULES)[1] == []

    retained = retained_after(send)
    print(f'\n40 documents with 60 KB comments retained {retained / MB:.2f} MB')
    assert 0 < len(documents) < 40
    assert documents.cost <= budget
    assert retained <= budget + budget // 4


def test_the_budget_follows_its_setting(settings):
    settings.DJWTO_DOCUMENT_CACHE_BYTES = 400_000
    for _ in range(10):
        documents.get(SCHEMA, commented(20_000), RULES)
    assert 0 < len(documents) < 10 and documents.cost <= 400_000


def test_a_budget_of_zero_keeps_no_document(settings):
    settings.DJWTO_DOCUMENT_CACHE_BYTES = 0
    documents.get(SCHEMA, '{ me }', RULES)
    assert len(documents) == 0


def test_large_documents_never_push_small_ones_out():
    first = documents.get(SCHEMA, '{ me }', RULES)[0]
    for _ in range(5):
        documents.get(SCHEMA, padded(2 * MB), RULES)
    assert documents.get(SCHEMA, '{ me }', RULES)[0] is first
    assert len(documents) == 1


def test_large_documents_sent_over_http_are_answered_and_not_kept(db):
    for _ in range(3):
        response = Client().post(
            GRAPHQL, json.dumps({'query': padded(2 * MB)}), content_type='application/json'
        )
        assert response.status_code == 200 and response.json()['data'] == {'me': None}
    assert len(documents) == 0


SHAPES = {
    'one field': '{ me }',
    'many fields': '{ ' + 'me ' * 2000 + '}',
    'aliases': '{ ' + ' '.join(f'a{i}: me' for i in range(90)) + ' }',
    'variables and fragments': (
        'mutation Login($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) '
        '{ ...F } } fragment F on TokenAuth { msg access refresh }'
    ),
    'many comments': '{ me }' + '\n# a comment' * 3000,
    'a long comment': '{ me } # ' + 'x' * 100_000,
    'non-ascii comment': '{ me } # ' + '\N{SNOWMAN}' * 10_000,
    'a long string': 'mutation { tokenAuth(username: "' + 'u' * 50_000 + '", password: "p") { msg } }',
}


@pytest.mark.parametrize('query', SHAPES.values(), ids=SHAPES.keys())
def test_the_estimate_of_a_document_covers_the_memory_it_holds(query):
    kept = []
    held = retained_after(lambda: kept.append(parse(query)))
    assert document_bytes(query, kept[0]) >= held + sys.getsizeof(query)
