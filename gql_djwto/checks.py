"""System checks: every DJWTO_* setting, named in its own message, and the schema served."""

from __future__ import annotations

from typing import Any

import jwt
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.utils.module_loading import import_string

# The cache checks register themselves when imported with this module.
from .cache_checks import check_revocation, check_throttle_cache  # noqa: F401
from .claims import build_refresh_claims, user_perms
from .cookies import BROWSER_COOKIE_LIMIT, token_cookies
from .keys import DuplicateKeyId, fallbacks, key_set, verifying_key
from .settings import DEFAULTS, djwto_settings, validate
from .tokens import encode

# The check id of each setting's error, written out: projects list them in
# SILENCED_SYSTEM_CHECKS, so an id never moves. A new setting takes the next
# free number (E050-E059: the sessions' settings, E060-E069: revocation's). Other ids:
# E036, E044-E045, E054 (rotation without jti), E100-E103, W001-W007, W010-W012.
SETTING_IDS = {
    'DJWTO_ISS_CLAIM': 'gql_djwto.E001',
    'DJWTO_SUB_CLAIM': 'gql_djwto.E002',
    'DJWTO_AUD_CLAIM': 'gql_djwto.E003',
    'DJWTO_IAT_CLAIM': 'gql_djwto.E004',
    'DJWTO_JTI_CLAIM': 'gql_djwto.E005',
    'DJWTO_ALLOW_REFRESH_UPDATE': 'gql_djwto.E006',
    'DJWTO_ACCESS_TOKEN_LIFETIME': 'gql_djwto.E007',
    'DJWTO_REFRESH_TOKEN_LIFETIME': 'gql_djwto.E008',
    'DJWTO_NBF_LIFETIME': 'gql_djwto.E009',
    'DJWTO_SIGNING_KEY': 'gql_djwto.E010',
    'DJWTO_VERIFYING_KEY': 'gql_djwto.E011',
    'DJWTO_ALGORITHM': 'gql_djwto.E012',
    'DJWTO_MODE': 'gql_djwto.E013',
    'DJWTO_REFRESH_COOKIE_PATH': 'gql_djwto.E014',
    'DJWTO_SAME_SITE': 'gql_djwto.E015',
    'DJWTO_DOMAIN': 'gql_djwto.E016',
    'DJWTO_CSRF': 'gql_djwto.E017',
    'DJWTO_COOKIE_SECURE': 'gql_djwto.E018',
    'DJWTO_GRAPHIQL': 'gql_djwto.E019',
    'DJWTO_DOCUMENT_CACHE_SIZE': 'gql_djwto.E020',
    'DJWTO_MAX_QUERY_DEPTH': 'gql_djwto.E021',
    'DJWTO_MAX_ALIASES': 'gql_djwto.E022',
    'DJWTO_MAX_QUERY_TOKENS': 'gql_djwto.E023',
    'DJWTO_LOGIN_FAILURES_PER_USERNAME': 'gql_djwto.E024',
    'DJWTO_LOGIN_FAILURES_PER_ADDRESS': 'gql_djwto.E025',
    'DJWTO_LOGIN_FAILURE_WINDOW': 'gql_djwto.E026',
    'DJWTO_LOGIN_THROTTLE_CACHE': 'gql_djwto.E027',
    'DJWTO_CLAIMS_HANDLER': 'gql_djwto.E028',
    'DJWTO_USER_CLAIMS_HANDLER': 'gql_djwto.E029',
    'DJWTO_PERMS_HANDLER': 'gql_djwto.E030',
    'DJWTO_AUTHENTICATE_HANDLER': 'gql_djwto.E031',
    'DJWTO_DOCUMENT_CACHE_BYTES': 'gql_djwto.E032',
    'DJWTO_GRAPHIQL_ASSETS': 'gql_djwto.E033',
    'DJWTO_ROTATE_REFRESH_TOKENS': 'gql_djwto.E050',
    'DJWTO_ROTATION_GRACE': 'gql_djwto.E051',
    'DJWTO_REFRESH_CLAIMS': 'gql_djwto.E052',
    'DJWTO_MAX_SESSION_LIFETIME': 'gql_djwto.E053',
    'DJWTO_REQUEST_USER': 'gql_djwto.E035',
    'DJWTO_KEY_ID': 'gql_djwto.E040',
    'DJWTO_SIGNING_KEY_FALLBACKS': 'gql_djwto.E041',
    'DJWTO_VERIFYING_KEY_FALLBACKS': 'gql_djwto.E042',
    'DJWTO_LEEWAY': 'gql_djwto.E043',
    'DJWTO_REVOCATION_CACHE': 'gql_djwto.E060',
    'DJWTO_REVOCATION_FAIL_OPEN': 'gql_djwto.E061',
    'DJWTO_REVOKE_ALL': 'gql_djwto.E062',
}


@checks.register(checks.Tags.security)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for name in DEFAULTS:
        try:
            validate(name)
        except ImproperlyConfigured as error:
            messages.append(checks.Error(str(error), obj=name, id=SETTING_IDS[name]))
    if messages:
        return messages
    if djwto_settings.is_asymmetric and not djwto_settings.VERIFYING_KEY:
        messages.append(
            checks.Error(
                f'DJWTO_ALGORITHM {djwto_settings.ALGORITHM} signs with a private key: '
                'set DJWTO_VERIFYING_KEY to the matching public key.',
                obj='DJWTO_VERIFYING_KEY',
                id='gql_djwto.E100',
            )
        )
    else:
        messages.extend(_check_keys_sign_and_verify())
    messages.extend(_check_fallback_keys())
    if djwto_settings.is_cookie_mode and not djwto_settings.COOKIE_SECURE:
        messages.append(
            checks.Warning(
                'DJWTO_COOKIE_SECURE is False: token cookies travel over plain http.',
                hint='Only do this in local development.',
                obj='DJWTO_COOKIE_SECURE',
                id='gql_djwto.W001',
            )
        )
    if not djwto_settings.JTI_CLAIM:
        messages.append(
            checks.Warning(
                'DJWTO_JTI_CLAIM is False: tokens carry no jti, so revoke cannot blacklist them '
                'and a stolen refresh token stays usable until it expires.',
                hint="Leave DJWTO_JTI_CLAIM at True (djwto's default) to use revoke.",
                obj='DJWTO_JTI_CLAIM',
                id='gql_djwto.W004',
            )
        )
    if djwto_settings.ROTATE_REFRESH_TOKENS and not djwto_settings.JTI_CLAIM:
        messages.append(
            checks.Error(
                'DJWTO_ROTATE_REFRESH_TOKENS needs DJWTO_JTI_CLAIM: a session is known by its jti, '
                'so tokens without one cannot be rotated and every refresh would be refused.',
                obj='DJWTO_ROTATE_REFRESH_TOKENS',
                id='gql_djwto.E054',
            )
        )
    if (djwto_settings.SAME_SITE or '').lower() == 'none' and not djwto_settings.COOKIE_SECURE:
        messages.append(
            checks.Warning(
                'DJWTO_SAME_SITE "None" without DJWTO_COOKIE_SECURE: browsers refuse such cookies.',
                obj='DJWTO_SAME_SITE',
                id='gql_djwto.W002',
            )
        )
    return messages


def _check_keys_sign_and_verify() -> list[checks.CheckMessage]:
    """Sign and verify a token with the configured keys; report failures without the keys."""
    algorithm = djwto_settings.ALGORITHM
    try:
        token = jwt.encode({'check': True}, djwto_settings.SIGNING_KEY, algorithm=algorithm)
        jwt.decode(token, djwto_settings.VERIFYING_KEY or djwto_settings.SIGNING_KEY, algorithms=[algorithm])
    except Exception as error:  # noqa: BLE001 - any failure here means no token can be issued or read
        return [
            checks.Error(
                f'DJWTO_SIGNING_KEY and DJWTO_VERIFYING_KEY cannot sign and verify a token with '
                f'{algorithm}: {type(error).__name__}: {error}',
                hint='HS* algorithms take a secret; RS/PS/ES/EdDSA a private PEM key to sign '
                'and its public PEM key as DJWTO_VERIFYING_KEY.',
                obj='DJWTO_SIGNING_KEY',
                id='gql_djwto.E101',
            )
        ]
    return []


def _check_fallback_keys() -> list[checks.CheckMessage]:
    """Check that every fallback key can verify with DJWTO_ALGORITHM and that no key id names two keys."""
    algorithm = djwto_settings.ALGORITHM
    messages: list[checks.CheckMessage] = []
    try:
        for where, kid, key in fallbacks():
            try:
                verifying_key(where, kid, key, algorithm)
            except ImproperlyConfigured as error:
                messages.append(checks.Error(str(error), obj=where.partition('[')[0], id='gql_djwto.E044'))
    except ImproperlyConfigured as error:  # the fallbacks of the other kind of algorithm
        return [checks.Error(str(error), obj=str(error).partition(' ')[0], id='gql_djwto.E044')]
    if messages:
        return messages
    try:
        key_set()
    except DuplicateKeyId as error:
        return [checks.Error(str(error), obj='DJWTO_KEY_ID', id='gql_djwto.E045')]
    except ImproperlyConfigured:
        pass  # the current key's problem, reported as E100 or E101
    return []


SCHEMA_SETTING = "GRAPHENE['SCHEMA']"


@checks.register()
def check_schema(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Import the schema that gql_djwto's URLs serve and look for gql_djwto's mutations in it.

    Without this, a schema that fails to import or lacks the mutations
    passes ``manage.py check`` and fails on the first request. A project
    that gives its view a schema of its own and no GRAPHENE['SCHEMA'] is
    not checked.
    """
    path = (getattr(settings, 'GRAPHENE', None) or {}).get('SCHEMA')
    if not path:
        return []
    try:
        schema = import_string(path) if isinstance(path, str) else path
    except Exception as error:  # noqa: BLE001 - whatever the project's schema module raises
        return [
            checks.Error(
                f'{SCHEMA_SETTING} {path!r} cannot be imported: {type(error).__name__}: {error}',
                obj=SCHEMA_SETTING,
                id='gql_djwto.E102',
            )
        ]
    # The GraphQL layer sits above this module: imported here, when the checks
    # run, so that the settings layer never loads graphene.
    from graphql import GraphQLSchema

    from .mutations import service_fields

    graphql_schema = getattr(schema, 'graphql_schema', schema)
    if not isinstance(graphql_schema, GraphQLSchema):
        return [
            checks.Error(
                f'{SCHEMA_SETTING} {path!r} is not a graphene Schema; got {type(schema).__name__}.',
                obj=SCHEMA_SETTING,
                id='gql_djwto.E102',
            )
        ]
    if not service_fields(graphql_schema):
        return [
            checks.Error(
                f"{SCHEMA_SETTING} {path!r} has none of gql_djwto's mutations: "
                'tokenAuth, refreshAccess, updateRefresh, revoke, verify and deleteCookies are missing.',
                hint='Give the schema a Mutation type that inherits from gql_djwto.schema.Mutation: '
                'class Mutation(gql_djwto.schema.Mutation, graphene.ObjectType).',
                obj=SCHEMA_SETTING,
                id='gql_djwto.E103',
            )
        ]
    return []


@checks.register(checks.Tags.database)
def check_cookie_size(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Warn when a user holding every permission would get a cookie browsers drop.

    Runs with ``manage.py check --database default``, as it reads the
    permissions table. Only the default perms handler can be judged.
    """
    if not databases:
        return []
    try:
        if not djwto_settings.is_cookie_mode:
            return []
        if djwto_settings.PERMS_HANDLER is not user_perms:
            return []
        from django.contrib.auth.models import Permission

        perms = [
            f'{app_label}.{codename}'
            for app_label, codename in Permission.objects.values_list('content_type__app_label', 'codename')
        ]
        claims = build_refresh_claims(None)
        claims['user'] = {'username': 'u' * 150, 'id': 2**31, 'perms': perms}
        cookie = max(token_cookies(encode(claims), encode(claims), claims), key=_cookie_size)
    except (ImproperlyConfigured, DatabaseError):
        return []  # reported by check_settings, or tables not migrated yet
    size = _cookie_size(cookie)
    if size <= BROWSER_COOKIE_LIMIT:
        return []
    return [
        checks.Warning(
            f'A user holding all {len(perms)} permissions would get a {cookie.name} cookie of '
            f'{size} bytes; browsers drop cookies over {BROWSER_COOKIE_LIMIT} bytes.',
            hint='Give DJWTO_PERMS_HANDLER a function that puts fewer permissions in the token.',
            obj='DJWTO_PERMS_HANDLER',
            id='gql_djwto.W003',
        )
    ]


def _cookie_size(cookie: Any) -> int:
    return len(cookie.name) + len(cookie.value or '')


@checks.register()
def check_graphiql_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when the GraphiQL page that is served cannot load its files from this server.

    Its scripts and styles (gql_djwto's copies, graphene-django's
    ``graphiql.js``) are static files: without django.contrib.staticfiles
    nothing collects or serves them and the page stays blank. In 'static'
    mode, a graphene-django release that loads files gql_djwto does not ship
    would send the page to jsDelivr for them.
    """
    if not djwto_settings.value_or_default('GRAPHIQL'):
        return []
    messages: list[checks.CheckMessage] = []
    if not apps.is_installed('django.contrib.staticfiles'):
        messages.append(
            checks.Warning(
                'GraphiQL is served (DJWTO_GRAPHIQL) but django.contrib.staticfiles is not installed: '
                'its page cannot load its scripts and styles, which are static files, and stays blank.',
                hint="Add 'django.contrib.staticfiles' to INSTALLED_APPS (runserver serves STATIC_URL "
                'while DEBUG is on; run collectstatic for production), or set DJWTO_GRAPHIQL = False.',
                obj='DJWTO_GRAPHIQL',
                id='gql_djwto.W006',
            )
        )
    if djwto_settings.value_or_default('GRAPHIQL_ASSETS') != 'static':
        return messages
    # The GraphQL layer, imported when the checks run (as in check_schema).
    from django.template import TemplateDoesNotExist

    from .graphiql import unshipped_files
    from .views import DjwtoGraphQLView

    try:
        unshipped = unshipped_files(DjwtoGraphQLView)
    except TemplateDoesNotExist:
        return messages  # no GraphiQL page to serve; graphene-django says why at the first request
    if unshipped:
        messages.append(
            checks.Warning(
                'DJWTO_GRAPHIQL_ASSETS is "static", but graphene-django\'s GraphiQL loads files that '
                'gql_djwto does not ship, so they still come from jsDelivr: '
                + ', '.join(file.url for file in unshipped)
                + '.',
                hint='Install the gql_djwto release made for this graphene-django, or set '
                'DJWTO_GRAPHIQL_ASSETS = "cdn".',
                obj='DJWTO_GRAPHIQL_ASSETS',
                id='gql_djwto.W007',
            )
        )
    return messages


AUTHENTICATION_MIDDLEWARE = 'django.contrib.auth.middleware.AuthenticationMiddleware'
JWT_MIDDLEWARE = 'gql_djwto.middleware.JWTAuthenticationMiddleware'


@checks.register(checks.Tags.security)
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Refuse JWTAuthenticationMiddleware where it cannot set request.user.

    Before AuthenticationMiddleware, which replaces the user it set; or with
    DJWTO_REQUEST_USER None, which turns it off.
    """
    middleware = list(getattr(settings, 'MIDDLEWARE', None) or ())
    if JWT_MIDDLEWARE not in middleware:
        return []
    if AUTHENTICATION_MIDDLEWARE in middleware[middleware.index(JWT_MIDDLEWARE) :]:
        return [
            checks.Error(
                f'{JWT_MIDDLEWARE} comes before {AUTHENTICATION_MIDDLEWARE}, which then replaces '
                "the token's user by the session's: request.user never holds the token's user.",
                hint=f'Put {JWT_MIDDLEWARE} after {AUTHENTICATION_MIDDLEWARE} in MIDDLEWARE.',
                obj='MIDDLEWARE',
                id='gql_djwto.E036',
            )
        ]
    try:
        source = djwto_settings.REQUEST_USER
    except ImproperlyConfigured:
        return []  # reported by check_settings
    if source is None:
        return [
            checks.Error(
                f'{JWT_MIDDLEWARE} is in MIDDLEWARE but DJWTO_REQUEST_USER is None, '
                'so it leaves request.user to Django.',
                hint="Set DJWTO_REQUEST_USER = 'token' (or 'database').",
                obj='MIDDLEWARE',
                id='gql_djwto.E036',
            )
        ]
    return []
