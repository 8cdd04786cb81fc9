"""WSGI entry of the profiles' project, as startproject writes one (the settings pick the profile)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tests.profiles.settings_startproject')
application = get_wsgi_application()
