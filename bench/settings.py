"""One Django project serving the three contenders side by side, for the benchmark.

- ``/floor/``: a bare view that decodes a bearer token with PyJWT;
- ``/djwto/``: djwto 0.0.4's REST views (``djwto.urls``);
- ``/graphql/`` and ``/api/token/refresh/graphql/``: gql_djwto's view with its
  own schema (:data:`bench.schemas.gql_djwto_schema`);
- ``/graphql-jwt/graphql/``: django-graphql-jwt 0.4.0's mutations with theirs.

djwto and gql_djwto share the ``DJWTO_*`` settings (JSON mode: tokens in the
body, ``Authorization: Bearer``). djwto reads them at import and wants the
``DJWTO_SIGNING_KEY`` environment variable, so it is set here, before any
app loads. ``BENCH_DB`` picks the database: ``memory`` (SQLite in memory,
the in-process run), ``sqlite`` (the file ``BENCH_SQLITE_PATH``, for
gunicorn) or ``postgresql`` (database ``BENCH_PGDATABASE`` on PGHOST).
"""

import os
from datetime import timedelta

SECRET_KEY = 'bench-only-not-secret'
DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1', 'localhost', 'testserver']
ROOT_URLCONF = 'bench.urls'
WSGI_APPLICATION = 'bench.wsgi.application'
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'
USE_TZ = True

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'graphene_django',
    'gql_djwto',
    'djwto',
]

# The middleware of `django-admin startproject`, the same for every contender.
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.request',
                'django.contrib.auth.context_processors.auth',
                'django.contrib.messages.context_processors.messages',
            ]
        },
    }
]

DATABASE_KIND = os.environ.get('BENCH_DB', 'memory')
if DATABASE_KIND == 'memory':
    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}
elif DATABASE_KIND == 'sqlite':
    DATABASES = {
        'default': {
            'ENGINE': 'django.db.backends.sqlite3',
            'NAME': os.environ['BENCH_SQLITE_PATH'],
        }
    }
elif DATABASE_KIND == 'postgresql':
    DATABASES = {
        'default': {
            'ENGINE': 'django.db.backends.postgresql',
            'HOST': os.environ.get('PGHOST', '127.0.0.1'),
            'PORT': os.environ.get('PGPORT', '5432'),
            'NAME': os.environ.get('BENCH_PGDATABASE', 'gql_djwto_bench'),
            'USER': os.environ.get('PGUSER', 'postgres'),
        }
    }
else:
    raise RuntimeError(f'BENCH_DB must be "memory", "sqlite" or "postgresql", not {DATABASE_KIND!r}')

# The revocation cache (DJWTO_REVOCATION_CACHE), turned on per request by the
# benchmark's revocation rows only; Redis at BENCH_REDIS_URL.
CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},
    'revocation': {
        'BACKEND': 'django.core.cache.backends.redis.RedisCache',
        'LOCATION': os.environ.get('BENCH_REDIS_URL', 'redis://127.0.0.1:6379/8'),
        'KEY_PREFIX': 'gql-djwto-bench',
    },
}

# The fast hasher: the benchmark measures the JWT machinery, not PBKDF2.
PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']

# ModelBackend first: a login is answered by it; django-graphql-jwt's backend
# authenticates its own `Authorization: JWT` header.
AUTHENTICATION_BACKENDS = [
    'django.contrib.auth.backends.ModelBackend',
    'graphql_jwt.backends.JSONWebTokenBackend',
]

GRAPHENE = {'SCHEMA': 'bench.schemas.gql_djwto_schema'}

# djwto and gql_djwto (JSON mode, djwto's defaults but the access lifetime:
# an hour, so tokens made at the start outlive a long run).
os.environ.setdefault('DJWTO_SIGNING_KEY', 'bench-signing-key-long-enough-for-hs256-0123456789')
DJWTO_SIGNING_KEY = os.environ['DJWTO_SIGNING_KEY']
DJWTO_MODE = 'JSON'
DJWTO_ACCESS_TOKEN_LIFETIME = timedelta(hours=1)
# request.user from the token (the `{ meUser }` row reads it; the others do not).
DJWTO_REQUEST_USER = 'token'
# bench/rotation.py: BENCH_KEYS=rotating signs with a key id and keeps two older secrets.
if os.environ.get('BENCH_KEYS') == 'rotating':
    DJWTO_KEY_ID = '2026-11'
    DJWTO_SIGNING_KEY_FALLBACKS = [
        {'kid': '2026-10', 'key': 'bench-older-signing-key-long-enough-for-hs256-01'},
        {'kid': '2026-09', 'key': 'bench-oldest-signing-key-long-enough-for-hs256-02'},
    ]

# django-graphql-jwt: expiring tokens, like the others.
GRAPHQL_JWT = {
    'JWT_SECRET_KEY': DJWTO_SIGNING_KEY,
    'JWT_VERIFY_EXPIRATION': True,
    'JWT_EXPIRATION_DELTA': timedelta(hours=1),
    'JWT_REFRESH_EXPIRATION_DELTA': timedelta(days=1),
}

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler'}},
    'loggers': {'django.request': {'handlers': ['console'], 'level': 'ERROR'}},
}
