"""gql_djwto's two URLs serving the Relay schema (tests/relay_schema.py), under the same names."""

from django.urls import path

from gql_djwto.views import DjwtoGraphQLView

from .relay_schema import schema

urlpatterns = [
    path('graphql/', DjwtoGraphQLView.as_view(schema=schema, graphiql=True), name='graphql'),
    path(
        'api/token/refresh/graphql/',
        DjwtoGraphQLView.as_view(schema=schema, graphiql=True),
        name='graphql-refresh',
    ),
]
