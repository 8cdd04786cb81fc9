"""Profile 6: a custom user model that logs in by e-mail (its USERNAME_FIELD is ``email``)."""

from .settings_startproject import *  # noqa: F403

INSTALLED_APPS += ['tests.profiles.email_user']  # noqa: F405
AUTH_USER_MODEL = 'email_user.User'
