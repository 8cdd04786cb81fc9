"""Profile 5: the project served under /app by a front server that strips the prefix.

The live server of tests/profiles/conftest.py mounts the project at this
prefix, as such a front server does.
"""

from .settings_startproject import *  # noqa: F403

FORCE_SCRIPT_NAME = '/app'
