"""Settings for gql_djwto's tests. GQL_DJWTO_TEST_DB picks the database."""

SECRET_KEY = 'tests-only-not-secret'
DEBUG = False
USE_TZ = True
ROOT_URLCONF = 'tests.urls'
STATIC_URL = 'static/'
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.admin',
    'django.contrib.staticfiles',  # GraphiQL's page loads static files
    'graphene_django',
    'gql_djwto',
    'tests',
]

MIDDLEWARE = [
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

# DATABASE_KIND: read by tests; imported after the rest, as a settings file reads best.
from tests.databases import DATABASE_KIND, chosen_databases  # noqa: E402, F401

DATABASES = chosen_databases()

# Fast hashing: the tests log in hundreds of times.
PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']

GRAPHENE = {'SCHEMA': 'tests.schema.schema'}

DJWTO_SIGNING_KEY = 'tests-signing-key-that-is-long-enough-for-hs256'
DJWTO_COOKIE_SECURE = True
# GraphiQL follows DEBUG by default; the tests run with DEBUG off and check the page.
DJWTO_GRAPHIQL = True
