"""djwto's error texts, each with the HTTP status djwto answers it with.

Every text a client can receive from gql_djwto is here, marked for
translation (gql_djwto/locale): English is djwto's text byte for byte, and
the language is the request's (LocaleMiddleware, or LANGUAGE_CODE). What
only the operator reads (system checks, settings errors, logs) stays in
English, as Django's own does.

Every layer raises these; the GraphQL layer turns them into errors whose
``extensions`` carry ``code``, ``status`` and ``reason``, a Django view into
JSON. ``reason`` is ours: a stable, machine-readable cause a client can act on
(refresh, log in again, give up) without reading djwto's English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# A message: a lazy text is translated when it is turned into a str (str(),
# .format(), DjangoJSONEncoder), so in the language of the request being
# answered, never in the import's. It compares and hashes as that str: equal
# to the English text while no other language is active (as in the tests).
Message = Union[str, '_StrPromise']

CODES = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    405: 'METHOD_NOT_ALLOWED',
    409: 'CONFLICT',
    429: 'TOO_MANY_REQUESTS',
    500: 'INTERNAL_SERVER_ERROR',
}


class Reason:
    """The stable causes in ``extensions.reason``: one name per thing a client can do about it."""

    # The token.
    TOKEN_MISSING = 'TOKEN_MISSING'  # no token where the mode puts it: log in
    TOKEN_MALFORMED = 'TOKEN_MALFORMED'  # not a JWT, or a header not of the form "Bearer <token>"
    TOKEN_EXPIRED = 'TOKEN_EXPIRED'  # an access token: refresh it; a refresh token: log in
    TOKEN_NOT_YET_VALID = 'TOKEN_NOT_YET_VALID'  # nbf or iat in the future: clocks disagree
    TOKEN_INVALID = 'TOKEN_INVALID'  # signature, issuer, audience, subject or claims refused
    WRONG_TOKEN_TYPE = 'WRONG_TOKEN_TYPE'  # an access token where a refresh token is read, or back
    TOKEN_REVOKED = 'TOKEN_REVOKED'  # the token's session or its user's sessions were revoked: log in
    REFRESH_OFF_PATH = 'REFRESH_OFF_PATH'  # the refresh token is only read at the refresh path
    NO_JTI = 'NO_JTI'  # the token has no jti, so it cannot be blacklisted
    TOKEN_REUSED = 'TOKEN_REUSED'  # a rotated refresh token came back: its whole session is revoked
    SESSION_EXPIRED = 'SESSION_EXPIRED'  # DJWTO_MAX_SESSION_LIFETIME since login has passed: log in
    ALREADY_BLACKLISTED = 'ALREADY_BLACKLISTED'
    # The user.
    USER_INACTIVE = 'USER_INACTIVE'
    USER_UNKNOWN = 'USER_UNKNOWN'  # the token's user is not in the database (any more)
    PERMISSION_DENIED = 'PERMISSION_DENIED'  # the token lacks a permission the resolver needs
    # Login.
    BAD_CREDENTIALS = 'BAD_CREDENTIALS'
    LOGIN_THROTTLED = 'LOGIN_THROTTLED'
    ONE_LOGIN_PER_REQUEST = 'ONE_LOGIN_PER_REQUEST'
    # The server's settings.
    REFRESH_UPDATE_DISABLED = 'REFRESH_UPDATE_DISABLED'  # DJWTO_ALLOW_REFRESH_UPDATE is off
    REVOKE_ALL_DISABLED = 'REVOKE_ALL_DISABLED'  # revokeAll while DJWTO_REVOKE_ALL is off
    NOT_PROCESSED = 'NOT_PROCESSED'  # the server is misconfigured: the log says how
    # The request as a whole.
    CSRF_FAILED = 'CSRF_FAILED'
    MALFORMED_REQUEST = 'MALFORMED_REQUEST'  # a body or parameters that are not a GraphQL request
    METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED'  # a mutation sent with GET
    QUERY_TOO_DEEP = 'QUERY_TOO_DEEP'  # DJWTO_MAX_QUERY_DEPTH, or deeper than the parser goes
    TOO_MANY_ALIASES = 'TOO_MANY_ALIASES'  # DJWTO_MAX_ALIASES
    TOO_MANY_TOKENS = 'TOO_MANY_TOKENS'  # DJWTO_MAX_QUERY_TOKENS
    BODY_TOO_LARGE = 'BODY_TOO_LARGE'  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE or _NUMBER_FIELDS
    MIXED_TRANSACTION = 'MIXED_TRANSACTION'  # revoke or tokenAuth beside fields run in a transaction
    REVOKE_IN_TRANSACTION = 'REVOKE_IN_TRANSACTION'  # the server called revoke inside a transaction
    ROTATION_IN_TRANSACTION = 'ROTATION_IN_TRANSACTION'  # a rotating refresh inside a transaction


def extensions(status: int, reason: str) -> dict[str, str | int]:
    """What a GraphQL error of gql_djwto carries besides its message."""
    return {'code': CODES[status], 'status': status, 'reason': reason}


class JWTError(Exception):
    """A refusal that the client caused or may see; ``str(error)`` is the message."""

    status = 403
    reason = Reason.TOKEN_INVALID

    def __init__(self, message: Message, status: int | None = None, reason: str | None = None) -> None:
        message = str(message)  # translated now, in the language of the request being answered
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if reason is not None:
            self.reason = reason

    @property
    def code(self) -> str:
        return CODES[self.status]

    @property
    def extensions(self) -> dict[str, str | int]:
        return extensions(self.status, self.reason)


class InvalidToken(JWTError):
    """The token is missing, malformed, expired, of the wrong type or off its path."""


class LoginFailed(JWTError):
    """The credentials were refused; the message is the login form's errors as JSON."""

    status = 401
    reason = Reason.BAD_CREDENTIALS


class AlreadyBlacklisted(JWTError):
    """The token's jti is stored in the blacklist already."""

    status = 409
    reason = Reason.ALREADY_BLACKLISTED


class Throttled(JWTError):
    """Too many login attempts (ours: djwto does not throttle)."""

    status = 429
    reason = Reason.LOGIN_THROTTLED


class Refused(JWTError):
    """djwto's 500 answers: a blacklisted refresh token, a disabled update."""

    status = 500
    reason = Reason.NOT_PROCESSED


# Reading the token.
HEADER_MISSING = _('Token not found in "HTTP_AUTHORIZATION" header.')
HEADER_INVALID = _('Value in HTTP_AUTHORIZATION header is not valid.')
REFRESH_NOT_IN_HEADER = _('Refresh token was not sent in authorization header.')
ACCESS_NOT_IN_HEADER = _('Access token was not sent in authorization header.')  # ours
COOKIE_EMPTY = _('Cookie "{name}" cannot be empty.')
COOKIE_WRONG_TYPE = _('Cookie "{name}" does not hold the {jwt_type} token.')  # ours
REFRESH_COOKIE_OFF_PATH = _('Refresh cookie is only sent in path "/{path}". Requested path was: {requested}.')
REFRESH_TOKEN_OFF_PATH = _('Refresh token is only sent in path: {path}')

# Claims a key holder got wrong (ours): refused however well signed.
CLAIM_NOT_A_NUMBER = _('The "{claim}" claim must be a number.')
JTI_NOT_VALID = _('The "jti" claim must be a non-empty string, with no NUL and no lone surrogate.')
PERMS_NOT_VALID = _('The "perms" of the "user" claim must be a list of strings.')
UNKNOWN_KEY_ID = _('The token names a signing key (kid) that this server does not have.')  # ours
# For the operator (a settings error, logged, never sent): English, as Django's own.
CLAIMS_NOT_SIGNED = (
    'gql_djwto will not sign claims that it would refuse to read: {reason} Check '
    'DJWTO_CLAIMS_HANDLER, DJWTO_USER_CLAIMS_HANDLER and DJWTO_PERMS_HANDLER.'
)

# Operations.
TOKENS_CREATED = _('Tokens successfully created.')
ALREADY_AUTHENTICATED = _('User already authenticated.')
LOGIN_NOT_PROCESSED = _('Failed to process request.')


def login_throttled(minutes: int) -> str:
    """Return the refusal of a throttled login, translated with the plural form of ``minutes`` (ours)."""
    return ngettext(
        'Too many failed login attempts; try again in {minutes} minute.',
        'Too many failed login attempts; try again in {minutes} minutes.',
        minutes,
    ).format(minutes=minutes)


ONE_LOGIN_PER_REQUEST = _('Only one login attempt is allowed per request.')  # ours
ACCESS_REFRESHED = _('Access token successfully refreshed.')
CANNOT_UPDATE_ACCESS = _("Can't update access token.")
REFRESH_UPDATED = _('Refresh token successfully updated.')
CANNOT_UPDATE_REFRESH = _("Can't update refresh token.")
USER_INACTIVE = _('User is inactive.')
BLACKLISTED = _('Token successfully blacklisted.')
NO_JTI = _(
    'No jti claim was available in the input token. The value is mandatory in order to use the Blacklist API.'
)
ALREADY_BLACKLISTED = _('Input jti token is already blacklisted.')
REVOKE_IN_TRANSACTION = _(  # ours
    'Token could not be blacklisted: the server called revoke inside a database '
    'transaction, which could roll it back.'
)
MIXED_WITH_PROJECT_FIELDS = _(  # ours
    "The document mixes {ours} with the project's own fields ({project}) while "
    'ATOMIC_REQUESTS or ATOMIC_MUTATIONS would run them in one database '
    'transaction, whose rollback must not undo {ours}: send {ours} in a request '
    'of its own.'
)
# Revocation (ours).
TOKEN_REVOKED = _('Token has been revoked.')
ALL_REVOKED = _('All sessions successfully revoked.')
REVOKE_ALL_DISABLED = _('revokeAll is not enabled on this server (DJWTO_REVOKE_ALL).')
REVOKE_ALL_WITHOUT_IAT = _(
    'Sessions cannot be revoked by time: tokens carry no "iat" claim (DJWTO_IAT_CLAIM is False).'
)
# Sessions (ours).
REFRESH_REUSED = _('Refresh token was already used.')
SESSION_EXPIRED = _('Session has expired; log in again.')
ROTATION_IN_TRANSACTION = _(
    'Refresh token could not be rotated: the server refreshed inside a database '
    'transaction, which could roll the rotation back.'
)
TOKEN_VALID = _('Token is valid')
COOKIES_DELETED = _('Tokens successfully deleted.')
NO_TOKEN_TO_DELETE = _('No token to delete.')

# Decorators.
FAILED_TO_VALIDATE = _('Failed to validate token.')
INSUFFICIENT_PERMISSIONS = _('Insufficient Permissions.')
INVALID_PERMISSIONS = _('Invalid permissions for jwt token.')

# CSRF (ours: djwto answers with Django's HTML page).
# Translators: {reason} is Django's reason, in English (Django does not translate it).
CSRF_FAILED = _('CSRF Failed: {reason}')

# request.user in DJWTO_REQUEST_USER = 'database' (ours).
USER_UNKNOWN = _("The token's user does not exist.")


# GraphQL documents and requests (ours; graphene-django's and graphql-core's
# own texts are theirs, and stay as they send them).
QUERY_TOO_DEEP = _(
    'The operation is nested {depth} levels deep; the limit is {limit} (DJWTO_MAX_QUERY_DEPTH).'
)
TOO_MANY_ALIASES = _('The operation uses {aliases} aliases; the limit is {limit} (DJWTO_MAX_ALIASES).')
TOO_DEEP_TO_PARSE = _('The document is nested too deeply to parse.')
# Translators: {name} is a GraphQL request parameter, "query" or "operationName".
PARAMETER_NOT_A_STRING = _('The {name} must be a string.')
VARIABLES_NOT_AN_OBJECT = _('The variables must be a JSON object.')

# Refusals of a token (ours; PyJWT's own texts are in pyjwt_texts.py).
INVALID_TOKEN = _('Invalid token.')
INVALID_TOKEN_TYPE = _('Invalid token type.')
INVALID_SUBJECT = _('Invalid subject')
