"""The blacklist lookup run on every refresh: one portable statement."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gql_djwto.models import JWTBlacklist

# SQL every database Django supports reads alike: no LIMIT, TOP, FETCH FIRST or ROWNUM.
PORTABLE_LOOKUP = re.compile(
    r'SELECT 1 FROM ("?)gql_djwto_jwtblacklist\1 WHERE ("?)jti\2 = \S+', re.IGNORECASE
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    'jti, stored',
    [
        ('revoked', True),
        ('never-revoked', False),
        ('x' * 300, True),
        ('y' * 300, False),
    ],
    ids=['revoked', 'not-revoked', 'long-revoked', 'long-not-revoked'],
)
def test_is_blacklisted_answers_in_one_portable_statement(jti, stored):
    if stored:
        JWTBlacklist.objects.create(jti=JWTBlacklist.stored_jti(jti))
    JWTBlacklist.objects.create(jti='someone-else')
    with CaptureQueriesContext(connection) as queries:
        assert JWTBlacklist.is_blacklisted(jti) is stored
    assert len(queries) == 1
    sql = queries[0]['sql']
    assert PORTABLE_LOOKUP.fullmatch(sql), sql
    assert not re.search(r'\b(LIMIT|TOP|FETCH|ROWNUM|OFFSET)\b', sql, re.IGNORECASE), sql
