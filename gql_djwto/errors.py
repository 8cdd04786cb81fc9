"""djwto's error texts, each with the HTTP status djwto answers it with.

Every layer raises these; the GraphQL layer turns them into errors whose
``extensions`` carry ``code`` and ``status``, a Django view into JSON.
"""

from __future__ import annotations

CODES = {
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    409: 'CONFLICT',
    429: 'TOO_MANY_REQUESTS',
    500: 'INTERNAL_SERVER_ERROR',
}


class JWTError(Exception):
    """A refusal that the client caused or may see; ``str(error)`` is the message."""

    status = 403

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    @property
    def code(self) -> str:
        return CODES[self.status]


class InvalidToken(JWTError):
    """The token is missing, malformed, expired, of the wrong type or off its path."""


class LoginFailed(JWTError):
    """The credentials were refused; the message is the login form's errors as JSON."""

    status = 401


class AlreadyBlacklisted(JWTError):
    """The token's jti is stored in the blacklist already."""

    status = 409


class Throttled(JWTError):
    """Too many login attempts (ours: djwto does not throttle)."""

    status = 429


class Refused(JWTError):
    """djwto's 500 answers: a blacklisted refresh token, a disabled update."""

    status = 500


# Reading the token.
HEADER_MISSING = 'Token not found in "HTTP_AUTHORIZATION" header.'
HEADER_INVALID = 'Value in HTTP_AUTHORIZATION header is not valid.'
REFRESH_NOT_IN_HEADER = 'Refresh token was not sent in authorization header.'
ACCESS_NOT_IN_HEADER = 'Access token was not sent in authorization header.'  # ours
COOKIE_EMPTY = 'Cookie "{name}" cannot be empty.'
COOKIE_WRONG_TYPE = 'Cookie "{name}" does not hold the {jwt_type} token.'  # ours
REFRESH_COOKIE_OFF_PATH = (
    'Refresh cookie is only sent in path "/{path}". Requested path was: {requested}.'
)
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
    'No jti claim was available in the input token. The value is mandatory in '
    'order to use the Blacklist API.'
)
ALREADY_BLACKLISTED = 'Input jti token is already blacklisted.'
REVOKE_IN_TRANSACTION = (  # ours
    'Token could not be blacklisted: the server called revoke inside a database '
    'transaction, which could roll it back.'
)
MIXED_WITH_PROJECT_FIELDS = (  # ours
    'The document mixes {ours} with the project\'s own fields ({project}) while '
    'ATOMIC_REQUESTS or ATOMIC_MUTATIONS would run them in one database '
    'transaction, whose rollback must not undo {ours}: send {ours} in a request '
    'of its own.'
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
