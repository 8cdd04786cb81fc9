"""Each contender under its own prefix; see bench/settings.py."""

import jwt
from django.conf import settings
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from graphql_jwt.middleware import JSONWebTokenMiddleware

from gql_djwto.views import DjwtoGraphQLView

from .schemas import gql_djwto_schema, graphql_jwt_schema


@csrf_exempt
def floor(request):
    """The least a JWT endpoint does: read the bearer token, decode it, answer JSON."""
    token = request.META['HTTP_AUTHORIZATION'].partition(' ')[2]
    claims = jwt.decode(token, settings.DJWTO_SIGNING_KEY, algorithms=['HS256'])
    return JsonResponse({'msg': 'Token is valid', 'claims': claims})


urlpatterns = [
    path('floor/', floor),
    path('djwto/', include('djwto.urls')),
    path('graphql/', DjwtoGraphQLView.as_view(schema=gql_djwto_schema, graphiql=True)),
    path('api/token/refresh/graphql/', DjwtoGraphQLView.as_view(schema=gql_djwto_schema, graphiql=True)),
    path(
        'graphql-jwt/graphql/',
        csrf_exempt(
            GraphQLView.as_view(
                schema=graphql_jwt_schema,
                graphiql=True,
                middleware=[JSONWebTokenMiddleware()],
            )
        ),
    ),
]
