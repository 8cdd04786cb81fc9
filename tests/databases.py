"""The test database, chosen by GQL_DJWTO_TEST_DB: 'sqlite' (default) or 'postgresql'.

Shared by tests/settings.py and the project profiles of tests/profiles/.
"""

import os
from typing import Any

DATABASE_KIND = os.environ.get('GQL_DJWTO_TEST_DB', 'sqlite')


def chosen_databases() -> dict[str, dict[str, Any]]:
    """Return a new DATABASES setting for DATABASE_KIND (PGHOST, PGPORT, PGDATABASE, PGUSER apply)."""
    if DATABASE_KIND == 'postgresql':
        return {
            'default': {
                'ENGINE': 'django.db.backends.postgresql',
                'HOST': os.environ.get('PGHOST', '127.0.0.1'),
                'PORT': os.environ.get('PGPORT', '5432'),
                'NAME': os.environ.get('PGDATABASE', 'test'),
                'USER': os.environ.get('PGUSER', 'postgres'),
            }
        }
    if DATABASE_KIND == 'sqlite':
        return {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}
    raise RuntimeError(f'GQL_DJWTO_TEST_DB must be "sqlite" or "postgresql", not {DATABASE_KIND!r}')
