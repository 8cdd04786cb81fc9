"""Profile 1: what `django-admin startproject` writes, plus exactly the README's setup lines.

The other profiles start from this one and change one thing each. Three
parts, in order: the startproject settings (the database from .base, for
GQL_DJWTO_TEST_DB); the README's lines, between the markers, which
tests/test_readme.py keeps identical to README.md (project name aside);
the test harness's two lines.
"""

from pathlib import Path

from .base import DATABASES  # noqa: F401  (startproject's db.sqlite3, made choosable)

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = 'django-insecure-profiles-only-not-secret'
DEBUG = True
ALLOWED_HOSTS = []

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

ROOT_URLCONF = 'tests.profiles.urls'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.request',
                'django.contrib.auth.context_processors.auth',
                'django.contrib.messages.context_processors.messages',
            ],
        },
    },
]

WSGI_APPLICATION = 'tests.profiles.wsgi.application'

AUTH_PASSWORD_VALIDATORS = [
    {'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'},
    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},
    {'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'},
    {'NAME': 'django.contrib.auth.password_validation.NumericPasswordValidator'},
]

LANGUAGE_CODE = 'en-us'
TIME_ZONE = 'UTC'
USE_I18N = True
USE_TZ = True

STATIC_URL = 'static/'

DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'

# --- README setup: settings.py ---
import os

INSTALLED_APPS += ['graphene_django', 'gql_djwto']
GRAPHENE = {'SCHEMA': 'tests.profiles.schema.schema'}
DJWTO_SIGNING_KEY = os.environ['DJWTO_SIGNING_KEY']  # or only set that environment variable
DJWTO_MODE = 'ONE-COOKIE'  # 'JSON' (default), 'ONE-COOKIE' or 'TWO-COOKIES'
# --- end of README setup ---

# The test harness. The live server speaks plain http, where a browser (and
# requests' cookie jar) never sends a Secure cookie, as the README says.
DJWTO_COOKIE_SECURE = False
# Every test logs in; a fast hasher changes nothing gql_djwto does.
PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']
