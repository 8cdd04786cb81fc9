"""The demo's DJWTO_* settings from environment variables."""

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
