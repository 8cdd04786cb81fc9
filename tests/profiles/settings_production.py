"""Profile 7: DEBUG off, with the hosts the project answers for."""

from .settings_startproject import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ['localhost', 'api.example.com']
