"""Hostile GraphQL requests, sent to the demo schema by tests/test_hostile_documents.py.

Each is what a hostile or broken client might send: bombs of depth, aliases
and fragments, floods of logins in one document or one batch, bodies that
are not what they claim to be, variables of the wrong shape, mutations
over GET. Every one must be answered with a clean GraphQL error: a 4xx
status (never a 5xx), a JSON body with a message, no traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

LOGIN = 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { access } }'
ALICE = {'u': 'alice', 'p': 'pass'}


@dataclass(frozen=True)
class Request:
    """One hostile request: what is sent, and the part of the answer's message expected."""

    id: str
    body: bytes | str = ''
    content_type: str = 'application/json'
    method: str = 'post'
    query_string: dict[str, str] = field(default_factory=dict)
    message: str = ''  # a part of the first error's message (or, with no error, of the last msg)
    status: int = 400
    tokens_issued: int = 0

    @property
    def sends_a_login(self) -> bool:
        text = self.body.decode('utf-8', 'replace') if isinstance(self.body, bytes) else self.body
        return 'tokenAuth' in text + json.dumps(self.query_string)


def document(query: str, variables: Any = None, **extra: Any) -> str:
    payload: dict[str, Any] = {'query': query, **extra}
    if variables is not None:
        payload['variables'] = variables
    return json.dumps(payload)


def nested_list_type(depth: int) -> str:
    return '[' * depth + 'String' + ']' * depth


def aliased_logins(count: int, password: str) -> str:
    fields = ' '.join(
        f'l{i}: tokenAuth(username: "alice", password: "{password}") {{ msg access }}' for i in range(count)
    )
    return 'mutation { ' + fields + ' }'


FAN_OUT = (
    ' '.join(f'fragment F{i} on Query {{ x{i}: __typename ...F{i + 1} ...F{i + 1} }}' for i in range(12))
    + ' fragment F12 on Query { last: __typename }'
)

DEEP_INTROSPECTION = '{ __schema { types { ' + 'ofType { ' * 30 + 'name' + ' }' * 30 + ' } } }'

REQUESTS: list[Request] = [
    # Depth, alias and fragment bombs, refused by DJWTO_MAX_QUERY_DEPTH / DJWTO_MAX_ALIASES.
    Request(
        'alias-bomb-me',
        document('{ ' + ' '.join(f'a{i}: me {{ username }}' for i in range(101)) + ' }'),
        message='aliases; the limit is 100 (DJWTO_MAX_ALIASES)',
    ),
    Request(
        'alias-bomb-typename',
        document('{ ' + ' '.join(f'a{i}: __typename' for i in range(2000)) + ' }'),
        message='aliases; the limit is 100',
    ),
    Request(
        'alias-bomb-user-count',
        document('{ ' + ' '.join(f'c{i}: userCount' for i in range(200)) + ' }'),
        message='aliases; the limit is 100',
    ),
    Request('fragment-fan-out', document('{ ...F0 } ' + FAN_OUT), message='aliases; the limit is 100'),
    Request(
        'depth-bomb-introspection',
        document(DEEP_INTROSPECTION),
        message='levels deep; the limit is 20 (DJWTO_MAX_QUERY_DEPTH)',
    ),
    Request(
        'depth-bomb-through-fragments',
        document(
            '{ __schema { ...T } } fragment T on __Schema { types { '
            + 'ofType { ' * 25
            + 'name'
            + ' }' * 25
            + ' } }'
        ),
        message='levels deep; the limit is 20',
    ),
    Request(
        'cyclic-fragments',
        document('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'),
        message='Cannot spread fragment',
    ),
    Request(
        'self-spreading-fragment',
        document('{ ...A } fragment A on Query { me { username } ...A }'),
        message='Cannot spread fragment',
    ),
    Request(
        'token-flood',
        document('{ ' + ' '.join(['__typename'] * 12000) + ' }'),
        message='Document contains more than 10000 tokens',
    ),
    Request('nested-braces', document('{' * 50_000), message=''),
    Request(
        'nested-list-type', document(f'query($v: {nested_list_type(5000)}) {{ __typename }}'), message=''
    ),
    Request(
        'directive-flood',
        document('{ __typename ' + '@include(if: true) ' * 3000 + '}'),
        message='Document contains more than 10000 tokens',
    ),
    Request(
        'repeated-directive',
        document('{ __typename @skip(if: false) @skip(if: false) }'),
        message='can only be used once',
    ),
    # Logins flooded into one document or one batch: at most one password is checked.
    Request(
        'aliased-logins-right-password',
        document(aliased_logins(100, 'pass')),
        message='User already authenticated',
        status=200,
        tokens_issued=1,
    ),
    Request(
        'aliased-logins-past-the-alias-limit',
        document(aliased_logins(101, 'pass')),
        message='aliases; the limit is 100',
    ),
    Request(
        'aliased-logins-under-the-alias-limit',
        document(aliased_logins(60, 'wrong')),
        message='Please enter a correct',
        status=200,
    ),
    Request(
        'batched-logins',
        json.dumps([{'query': LOGIN, 'variables': ALICE}] * 100),
        message='not a valid JSON query',
    ),
    Request(
        'batch-of-three', json.dumps([{'query': '{ __typename }'}] * 3), message='not a valid JSON query'
    ),
    Request('empty-batch', '[]', message='not a valid JSON query'),
    # Bodies that are not what they claim, or too big.
    Request('malformed-json', '{"query": "{ me { username } }"', message='POST body sent invalid JSON'),
    Request('json-null', 'null', message='not a valid JSON query'),
    Request('json-string', '"{ __typename }"', message='not a valid JSON query'),
    Request('json-number', '42', message='not a valid JSON query'),
    Request('empty-body', '', message='Must provide query string'),
    Request('not-utf-8', b'\xff\xfe{"query": "{ __typename }"}', message=''),
    Request('nul-bytes', document('{ __typename }\x00\x00'), message='Syntax Error'),
    Request('lone-surrogate', '{"query": "{ __typename } \\ud800"}', message=''),
    Request(
        'deeply-nested-json',
        '{"query": "{ __typename }", "variables": ' + '[' * 100_000 + ']' * 100_000 + '}',
        message='POST body sent invalid JSON',
    ),
    Request(
        'oversized-body',
        document('{ __typename }' + ' ' * (3 * 1024 * 1024)),
        message='DATA_UPLOAD_MAX_MEMORY_SIZE',
    ),
    Request('text-plain', '{ __typename }', content_type='text/plain', message=''),
    Request('xml', '<query>{ __typename }</query>', content_type='application/xml', message=''),
    Request('query-not-a-string', json.dumps({'query': 123}), message='The query must be a string'),
    Request('query-a-list', json.dumps({'query': ['{ __typename }']}), message='The query must be a string'),
    Request(
        'operation-name-not-a-string',
        document('{ __typename }', operationName=['a']),
        message='The operationName must be a string',
    ),
    # Variables of the wrong type or shape.
    Request('variables-not-json', document(LOGIN, '{u: alice'), message='Variables are invalid JSON'),
    Request('variables-a-list', document(LOGIN, [1, 2]), message='The variables must be a JSON object'),
    Request(
        'variables-nested-too-deeply',
        document(LOGIN, '[' * 100_000 + ']' * 100_000),
        message='Variables are invalid JSON',
    ),
    Request(
        'username-an-int',
        document(LOGIN, {'u': 123, 'p': 'pass'}),
        message='String cannot represent a non string value',
    ),
    Request(
        'password-an-object',
        document(LOGIN, {'u': 'alice', 'p': {'$ne': None}}),
        message='String cannot represent a non string value',
    ),
    Request('password-null', document(LOGIN, {'u': 'alice', 'p': None}), message='must not be null'),
    Request('variables-missing', document(LOGIN), message='was not provided'),
    Request(
        'huge-username',
        document(LOGIN, {'u': 'a' * 1_000_000, 'p': 'pass'}),
        message='Please enter a correct',
        status=200,
    ),
    # Operations that do not exist or cannot be chosen.
    Request(
        'unknown-operation-name',
        document('query A { __typename } query B { __typename }', operationName='C'),
        message='Unknown operation named',
    ),
    Request(
        'ambiguous-operation',
        document('query A { __typename } query B { __typename }'),
        message='Must provide operation name',
    ),
    Request('subscription', document('subscription { me { username } }'), message='Schema is not configured'),
    Request('unknown-field', document('{ password }'), message="Cannot query field 'password'"),
    Request(
        'introspect-private-field', document('{ me { password } }'), message="Cannot query field 'password'"
    ),
    # Mutations where they are not allowed.
    Request(
        'login-over-get',
        method='get',
        query_string={'query': LOGIN, 'variables': json.dumps(ALICE)},
        message='Can only perform a mutation operation from a POST request',
        status=405,
    ),
    Request(
        'revoke-over-get',
        method='get',
        query_string={'query': 'mutation { revoke { msg } }'},
        message='Can only perform a mutation operation from a POST request',
        status=405,
    ),
    Request('login-over-put', LOGIN, method='put', message='', status=405),
    Request('login-over-delete', method='delete', message='', status=405),
]
