"""What every profile shares: the test database and the signing key.

GQL_DJWTO_TEST_DB picks the database exactly as tests/settings.py does.
"""

import os

DATABASE_KIND = os.environ.get('GQL_DJWTO_TEST_DB', 'sqlite')
if DATABASE_KIND == 'postgresql':
    DATABASES = {'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'HOST': os.environ.get('PGHOST', '127.0.0.1'),
        'PORT': os.environ.get('PGPORT', '5432'),
        'NAME': os.environ.get('PGDATABASE', 'test'),
        'USER': os.environ.get('PGUSER', 'postgres'),
    }}
elif DATABASE_KIND == 'sqlite':
    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}
else:
    raise RuntimeError(f'GQL_DJWTO_TEST_DB must be "sqlite" or "postgresql", not {DATABASE_KIND!r}')

# The README reads the signing key from the environment, as a deployment does.
os.environ.setdefault('DJWTO_SIGNING_KEY', 'profiles-only-signing-key-long-enough-for-hs256')

