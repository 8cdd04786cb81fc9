"""Settings of the demo project: gql_djwto set up as the README says.

Every DJWTO_* setting can be given as an environment variable
(``DJWTO_MODE=ONE-COOKIE python -m schema_demo``). The signing key comes
from the DJWTO_SIGNING_KEY environment variable, which ``python -m
schema_demo`` fills with a fresh key when none is given.
DEMO_CORS_ORIGINS (comma-separated origins) lets pages served there call the
demo with cookies, through django-cors-headers (the ``demo`` extra).
DEMO_PASSWORD_HASHERS (comma-separated class paths) replaces Django's
password hashers; the test suite's demo servers use the fast MD5 hasher.
"""

import os
from pathlib import Path

from .environment import (
    cors_settings_from_environment,
    djwto_settings_from_environment,
    password_hashers_from_environment,
)

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get('DEMO_SECRET_KEY', 'demo-only-not-for-production')
DEBUG = os.environ.get('DEMO_DEBUG', '1') == '1'
ALLOWED_HOSTS = ['127.0.0.1', 'localhost', '[::1]']
ROOT_URLCONF = 'schema_demo.urls'
WSGI_APPLICATION = 'schema_demo.wsgi.application'
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'
USE_TZ = True
STATIC_URL = 'static/'

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
    'graphene_django',
    'gql_djwto',
    'schema_demo.demo.apps.DemoConfig',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
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

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': os.environ.get('DEMO_DATABASE', str(BASE_DIR / 'demo.sqlite3')),
    }
}
# Several demo servers can share one PostgreSQL database: DEMO_PG_NAME names it
# (PGHOST, PGPORT and PGUSER as for psql).
if os.environ.get('DEMO_PG_NAME'):
    DATABASES = {
        'default': {
            'ENGINE': 'django.db.backends.postgresql',
            'NAME': os.environ['DEMO_PG_NAME'],
            'HOST': os.environ.get('PGHOST', '127.0.0.1'),
            'PORT': os.environ.get('PGPORT', '5432'),
            'USER': os.environ.get('PGUSER', 'postgres'),
        }
    }
# ... and count failed logins in one Redis (e.g. DEMO_REDIS_URL=redis://127.0.0.1:6379/0).
if os.environ.get('DEMO_REDIS_URL'):
    CACHES = {
        'default': {
            'BACKEND': 'django.core.cache.backends.redis.RedisCache',
            'LOCATION': os.environ['DEMO_REDIS_URL'],
        }
    }

GRAPHENE = {'SCHEMA': 'schema_demo.schema.schema'}

# Plain http in development: the demo turns Secure cookies off (and says so).
DJWTO_COOKIE_SECURE = False
# GraphiQL follows DEBUG by default; the demo shows it even with DEMO_DEBUG=0.
DJWTO_GRAPHIQL = True
# request.user (info.context.user) is the access token's user: see the whoami field.
DJWTO_REQUEST_USER = 'token'
globals().update(djwto_settings_from_environment())
globals().update(password_hashers_from_environment())

# A front end on another origin (README, "Front end on another origin").
_cors = cors_settings_from_environment()
if _cors:
    INSTALLED_APPS.append('corsheaders')
    # Above CommonMiddleware, so that its redirects carry the CORS headers too.
    MIDDLEWARE.insert(0, 'corsheaders.middleware.CorsMiddleware')
    globals().update(_cors)

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'formatters': {'plain': {'format': '%(name)s: %(message)s'}},
    'handlers': {'console': {'class': 'logging.StreamHandler', 'formatter': 'plain'}},
    'loggers': {
        'schema_demo': {'handlers': ['console'], 'level': 'INFO', 'propagate': False},
        'gql_djwto': {'handlers': ['console'], 'level': 'INFO', 'propagate': False},
    },
}
