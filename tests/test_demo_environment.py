"""The demo's DJWTO_* settings from environment variables."""

from datetime import timedelta

import pytest

from schema_demo.environment import parse


@pytest.mark.parametrize(('text', 'value'), [('false', False), ('0', False), ('true', True), ('on', True)])
def test_graphiql_from_the_environment_is_a_flag(text, value):
    assert parse('DJWTO_GRAPHIQL', text) is value


def test_graphiql_none_from_the_environment_follows_debug():
    assert parse('DJWTO_GRAPHIQL', 'none') is None


def test_graphiql_from_the_environment_refuses_other_words():
    with pytest.raises(ValueError, match='DJWTO_GRAPHIQL must be true or false'):
        parse('DJWTO_GRAPHIQL', 'maybe')


@pytest.mark.parametrize('name', ['DJWTO_ACCESS_TOKEN_LIFETIME', 'DJWTO_REFRESH_TOKEN_LIFETIME', 'DJWTO_NBF_LIFETIME'])
def test_lifetime_from_the_environment_is_seconds(name):
    assert parse(name, '3') == timedelta(seconds=3)
    assert parse(name, 'none') is None


@pytest.mark.parametrize('text', ['3s', '1.5', '-3', 'five'])
def test_lifetime_from_the_environment_refuses_anything_but_whole_seconds(text):
    with pytest.raises(ValueError, match='DJWTO_ACCESS_TOKEN_LIFETIME must be a whole number of seconds or none'):
        parse('DJWTO_ACCESS_TOKEN_LIFETIME', text)
