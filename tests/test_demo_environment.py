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


def test_keys_from_the_environment_are_pem_text_or_a_file_path(tmp_path):
    from datetime import timedelta

    pem = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n'
    path = tmp_path / 'public.pem'
    path.write_text(pem)
    assert parse('DJWTO_VERIFYING_KEY', pem) == pem
    assert parse('DJWTO_VERIFYING_KEY', str(path)) == pem
    assert parse('DJWTO_SIGNING_KEY', 'an-hmac-secret') == 'an-hmac-secret'
    assert parse('DJWTO_VERIFYING_KEY_FALLBACKS', f'{path}, {path}') == [pem, pem]
    assert parse('DJWTO_SIGNING_KEY_FALLBACKS', 'old-one,older-one') == ['old-one', 'older-one']
    assert parse('DJWTO_LEEWAY', '2.5') == timedelta(seconds=2.5)
    assert parse('DJWTO_KEY_ID', '2026-11') == '2026-11'
