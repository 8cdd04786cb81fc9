"""Serve the project's schema at ``graphql/`` and under the refresh cookie's path, and the JWKS.

The refresh cookie only reaches URLs under ``/<DJWTO_REFRESH_COOKIE_PATH>``,
so refresh-type mutations in cookie modes are sent to the second URL. URL
patterns are built when the URLconf loads, like every Django URLconf.
``graphql/csrf/`` answers the current CSRF token as JSON, for a front end on
another origin that cannot read the ``csrftoken`` cookie.
"""

from django.urls import path

from .csrf_view import csrf_token
from .jwks import jwks
from .settings import djwto_settings
from .views import DjwtoGraphQLView

urlpatterns = [
    path('graphql/', DjwtoGraphQLView.as_view(graphiql=True), name='graphql'),
    path(
        f'{djwto_settings.REFRESH_COOKIE_PATH}/graphql/',
        DjwtoGraphQLView.as_view(graphiql=True),
        name='graphql-refresh',
    ),
    path('graphql/csrf/', csrf_token, name='graphql-csrf'),
    path('.well-known/jwks.json', jwks, name='jwks'),
]
