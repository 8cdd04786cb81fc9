"""djwto's error texts, each with the HTTP status djwto answers it with.

Every layer raises these; the GraphQL layer turns them into errors whose
``extensions`` carry ``code``, ``status`` and ``reason``, a Django view into
JSON. ``reason`` is ours: a stable, machine-readable cause a client can act on
(refresh, log in again, give up) without reading djwto's English.
"""

from __future__ import annotations

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

    def __init__(self, message: str, status: int | None = None, reason: str | None = None) -> None:
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
HEADER_MISSING = 'Token not found in "HTTP_AUTHORIZATION" header.'
HEADER_INVALID = 'Value in HTTP_AUTHORIZATION header is not valid.'
REFRESH_NOT_IN_HEADER = 'Refresh token was not sent in authorization header.'
ACCESS_NOT_IN_HEADER = 'Access token was not sent in authorization header.'  # ours
COOKIE_EMPTY = 'Cookie "{name}" cannot be empty.'
COOKIE_WRONG_TYPE = 'Cookie "{name}" does not hold the {jwt_type} token.'  # ours
REFRESH_COOKIE_OFF_PATH = 'Refresh cookie is only sent in path "/{path}". Requested path was: {requested}.'
REFRESH_TOKEN_OFF_PATH = 'Refresh token is only sent in path: {path}'

# Claims a key holder got wrong (ours): refused however well signed.
CLAIM_NOT_A_NUMBER = 'The "{claim}" claim must be a number.'
JTI_NOT_VALID = 'The "jti" claim must be a non-empty string, with no NUL and no lone surrogate.'
PERMS_NOT_VALID = 'The "perms" of the "user" claim must be a list of strings.'
UNKNOWN_KEY_ID = 'The token names a signing key (kid) that this server does not have.'  # ours
CLAIMS_NOT_SIGNED = (
    'gql_djwto will not sign claims that it would refuse to read: {reason} Check '
    'DJWTO_CLAIMS_HANDLER, DJWTO_USER_CLAIMS_HANDLER and DJWTO_PERMS_HANDLER.'
)

# Operations.
TOKENS_CREATED = 'Tokens successfully created.'
ALREADY_AUTHENTICATED = 'User already authenticated.'
LOGIN_NOT_PROCESSED = 'Failed to process request.'
LOGIN_THROTTLED = 'Too many failed login attempts; try again in {minutes} minutes.'  # ours
ONE_LOGIN_PER_REQUEST = 'Only one login attempt is allowed per request.'  # ours
ACCESS_REFRESHED = 'Access token successfully refreshed.'
CANNOT_UPDATE_ACCESS = "Can't update access token."
REFRESH_UPDATED = 'Refresh token successfully updated.'
CANNOT_UPDATE_REFRESH = "Can't update refresh token."
USER_INACTIVE = 'User is inactive.'
BLACKLISTED = 'Token successfully blacklisted.'
NO_JTI = (
    'No jti claim was available in the input token. The value is mandatory in order to use the Blacklist API.'
)
ALREADY_BLACKLISTED = 'Input jti token is already blacklisted.'
REVOKE_IN_TRANSACTION = (  # ours
    'Token could not be blacklisted: the server called revoke inside a database '
    'transaction, which could roll it back.'
)
MIXED_WITH_PROJECT_FIELDS = (  # ours
    "The document mixes {ours} with the project's own fields ({project}) while "
    'ATOMIC_REQUESTS or ATOMIC_MUTATIONS would run them in one database '
    'transaction, whose rollback must not undo {ours}: send {ours} in a request '
    'of its own.'
)
# Revocation (ours).
TOKEN_REVOKED = 'Token has been revoked.'
ALL_REVOKED = 'All sessions successfully revoked.'
REVOKE_ALL_DISABLED = 'revokeAll is not enabled on this server (DJWTO_REVOKE_ALL).'
REVOKE_ALL_WITHOUT_IAT = (
    'Sessions cannot be revoked by time: tokens carry no "iat" claim (DJWTO_IAT_CLAIM is False).'
)
# Sessions (ours).
REFRESH_REUSED = 'Refresh token was already used.'
SESSION_EXPIRED = 'Session has expired; log in again.'
ROTATION_IN_TRANSACTION = (
    'Refresh token could not be rotated: the server refreshed inside a database '
    'transaction, which could roll the rotation back.'
)
TOKEN_VALID = 'Token is valid'
COOKIES_DELETED = 'Tokens successfully deleted.'
NO_TOKEN_TO_DELETE = 'No token to delete.'

# Decorators.
FAILED_TO_VALIDATE = 'Failed to validate token.'
INSUFFICIENT_PERMISSIONS = 'Insufficient Permissions.'
INVALID_PERMISSIONS = 'Invalid permissions for jwt token.'

# CSRF (ours: djwto answers with Django's HTML page).
CSRF_FAILED = 'CSRF Failed: {reason}'

# request.user in DJWTO_REQUEST_USER = 'database' (ours).
USER_UNKNOWN = "The token's user does not exist."
