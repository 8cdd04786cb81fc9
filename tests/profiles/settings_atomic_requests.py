"""Profile 2: the startproject profile with every request in a transaction."""

from .settings_startproject import *  # noqa: F403

DATABASES['default']['ATOMIC_REQUESTS'] = True  # noqa: F405
