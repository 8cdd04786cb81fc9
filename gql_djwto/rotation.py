"""Refresh token rotation (DJWTO_ROTATE_REFRESH_TOKENS): one live generation per session.

Each refresh hands out the session's next generation (the ``gen`` claim;
a token without one is generation 0) and uses up the one sent. The
session's row (:class:`~gql_djwto.models.RefreshFamily`) holds the live
generation and is advanced by one conditional statement, so of any number
of concurrent refreshes of one token exactly one advances it. The others,
and any refresh with the generation just replaced within
DJWTO_ROTATION_GRACE, are answered the live generation again; anything
older is a reuse: the whole session is revoked.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.constants import OnConflict
from django.http import HttpRequest

from . import errors, signals
from .claims import Claims, now
from .errors import InvalidToken, Message, Reason, Refused
from .models import JWTBlacklist, RefreshFamily, column_name, epoch_from_stored, stored_expiry, stored_now
from .sessions import revoke_jti
from .settings import djwto_settings

GENERATION_CLAIM = 'gen'


def generation(claims: Claims) -> int:
    """Return the token's generation: its ``gen`` claim, 0 when it has none."""
    value = claims.get(GENERATION_CLAIM, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidToken(
            errors.CLAIM_NOT_A_NUMBER.format(claim=GENERATION_CLAIM), reason=Reason.TOKEN_INVALID
        )
    return value


@dataclass(frozen=True)
class Turn:
    """How a refresh went: the generation to hand out (and its ``exp``), a revoked session or a reuse."""

    reused: bool
    revoked: bool = False
    generation: int = 0
    exp: int | None = None
    expires: datetime | None = None  # a reuse: until when the session's tokens live


def _inside_callers_transaction(connection: BaseDatabaseWrapper) -> bool:
    """Tell whether a transaction of the caller's is open, as ``atomic(durable=True)`` does.

    A durable block would cost a BEGIN and a COMMIT on every refresh; the
    rotation is one statement, atomic on its own in autocommit. A test
    case's own transaction does not count, as for Django's durable blocks.
    """
    blocks = connection.atomic_blocks
    return bool(blocks) and not getattr(blocks[-1], '_from_testcase', False)


@functools.lru_cache(maxsize=8)
def _statements(alias: str, vendor: str) -> tuple[str, str, str]:
    """Return the SQL that inserts a session's first rotation and the two that advance a later one.

    The updates also ask the blacklist, so that a later rotation is one
    statement in all. The second keeps the row's expiry: an access refresh
    hands out the next generation with the same ``exp``.

    Built once per database: they run on every refresh. ``vendor`` is part
    of the key so that a test swapping the database never meets old SQL.
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    names = ('jti', 'generation', 'rotated_at', 'expires')
    fields = [RefreshFamily._meta.get_field(name) for name in names]
    column = {name: quote(column_name(RefreshFamily, name)) for name in names}
    table = quote(RefreshFamily._meta.db_table)
    insert = (
        f'{connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} '
        f'({", ".join(column.values())}) VALUES (%s, %s, %s, %s) '
        + connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, [], [])
    )
    blacklist = quote(JWTBlacklist._meta.db_table)
    blacklisted = quote(column_name(JWTBlacklist, 'jti'))
    # Identifiers from the models' meta, quoted; every value is a parameter.
    where = (
        f'WHERE {column["jti"]} = %s AND {column["generation"]} = %s '  # noqa: S608
        f'AND NOT EXISTS (SELECT 1 FROM {blacklist} WHERE {blacklist}.{blacklisted} = %s)'
    )
    advance = f'UPDATE {table} SET {column["generation"]} = %s, {column["rotated_at"]} = %s'  # noqa: S608
    return insert, f'{advance}, {column["expires"]} = %s {where}', f'{advance} {where}'


def _advance(
    connection: BaseDatabaseWrapper,
    jti: str,
    presented: int,
    rotated_at: datetime,
    expires: datetime | None,
    new_expiry: bool,
) -> bool:
    """Make ``presented + 1`` the session's live generation if ``presented`` is; one statement.

    Generation 0 has no row yet: it is inserted unless another refresh did
    first. A later generation advances only while the session is not
    blacklisted; its row's expiry is written when ``new_expiry``. Written as
    SQL, as the blacklist lookup is: it runs on every refresh.
    """
    insert, update, update_keeping_expiry = _statements(connection.alias, connection.vendor)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        if presented == 0:
            cursor.execute(insert, [jti, 1, adapt(rotated_at), adapt(expires)])
        elif new_expiry:
            cursor.execute(update, [presented + 1, adapt(rotated_at), adapt(expires), jti, presented, jti])
        else:
            cursor.execute(update_keeping_expiry, [presented + 1, adapt(rotated_at), jti, presented, jti])
        advanced: int = cursor.rowcount
        return advanced == 1


def turn(jti: str, presented: int, exp: int | None, new_expiry: bool = True) -> Turn:
    """Advance the session ``jti`` from generation ``presented`` to the next, or say why not.

    ``exp`` is the next generation's; ``new_expiry`` False says it is the
    presented one's (stored already). The blacklist is asked here, in the
    rotation's own statement when it can be.
    """
    alias = router.db_for_write(RefreshFamily)
    connection = connections[alias]
    if _inside_callers_transaction(connection):
        raise Refused(errors.ROTATION_IN_TRANSACTION, reason=Reason.ROTATION_IN_TRANSACTION)
    stored_jti = JWTBlacklist.stored_jti(jti)
    rotated_at = stored_now()
    expires = stored_expiry(exp)
    if presented == 0 and JWTBlacklist.is_blacklisted(jti):
        return Turn(reused=False, revoked=True)
    if _advance(connection, stored_jti, presented, rotated_at, expires, new_expiry):
        return Turn(reused=False, generation=presented + 1, exp=exp)
    if presented and JWTBlacklist.is_blacklisted(jti):
        return Turn(reused=False, revoked=True)
    family = RefreshFamily.objects.using(alias).filter(jti=stored_jti).first()
    if family is None:  # a generation past 0 whose row is gone: no token of it is known
        return Turn(reused=True, expires=expires)
    if family.generation == presented + 1 and rotated_at - family.rotated_at <= djwto_settings.ROTATION_GRACE:
        # The token just replaced, within the grace: answer the live generation
        # again (two tabs refreshing at once), never a new one.
        return Turn(reused=False, generation=family.generation, exp=epoch_from_stored(family.expires))
    return Turn(reused=True, expires=family.expires or expires)


def rotated(
    request: HttpRequest, token: str, presented: Claims, claims: Claims, sender: str, refused: Message
) -> Claims:
    """Return the claims of the session's next refresh token, ``claims`` at a new generation.

    ``presented`` are the claims of ``token``, the one sent. A revoked
    session is refused with the operation's message ``refused``. A reuse
    revokes the session (every token with its jti), sends
    ``jwt_refresh_reused`` and is refused.
    """
    jti = presented.get('jti')
    if not jti:
        raise InvalidToken(errors.NO_JTI, reason=Reason.NO_JTI)
    exp = claims.get('exp')
    result = turn(jti, generation(presented), exp, new_expiry=exp != presented.get('exp'))
    if result.revoked:
        raise Refused(refused, reason=Reason.TOKEN_REVOKED)
    if result.reused:
        revoke_jti(jti, result.expires, token=token)
        signals.jwt_refresh_reused.send(sender=sender, request=request, jti=jti)
        raise InvalidToken(errors.REFRESH_REUSED, reason=Reason.TOKEN_REUSED)
    next_claims = dict(claims)
    next_claims[GENERATION_CLAIM] = result.generation
    if 'iat' in next_claims:
        next_claims['iat'] = now()
    if result.exp is None:
        next_claims.pop('exp', None)
    else:
        next_claims['exp'] = result.exp
    return next_claims
