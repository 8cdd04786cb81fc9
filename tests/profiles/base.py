"""What every profile shares: the test database and the signing key.

GQL_DJWTO_TEST_DB picks the database (tests/databases.py), as for tests/settings.py.
"""

import os

from tests.databases import DATABASE_KIND, chosen_databases  # noqa: F401

DATABASES = chosen_databases()

# The README reads the signing key from the environment, as a deployment does.
os.environ.setdefault('DJWTO_SIGNING_KEY', 'profiles-only-signing-key-long-enough-for-hs256')
