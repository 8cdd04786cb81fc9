from django.http import JsonResponse
from django.urls import include, path
from graphene_django.views import GraphQLView

from gql_djwto.decorators import jwt_login_required, jwt_perm_required
from gql_djwto.views import DjwtoGraphQLView
from schema_demo.schema import schema as demo_schema

from .schema import describe_user, project_schema


@jwt_login_required
def whoami(request):
    return JsonResponse({'username': request.payload['user']['username']})


@jwt_perm_required(['auth.view_user'])
def viewers_only(request):
    return JsonResponse({'ok': True})


def request_user(request):
    """request.user as a plain view sees it, with gql_djwto's middleware or without."""
    return JsonResponse(describe_user(request))


async def request_user_async(request):
    """The same, read as an async view reads it."""
    user = await request.auser()
    return JsonResponse({'class': user.__class__.__name__, 'username': user.get_username()})


urlpatterns = [
    path('', include('gql_djwto.urls')),
    path('whoami/', whoami),
    path('viewers/', viewers_only),
    path('request-user/', request_user),
    path('request-user-async/', request_user_async),
    # The demo project's schema, for the hostile documents.
    path('demo/graphql/', DjwtoGraphQLView.as_view(schema=demo_schema, graphiql=True)),
    # A project's schema (its own mutations beside ours), served by our view
    # (also under the refresh cookie's path) and by graphene-django's own.
    path('project/graphql/', DjwtoGraphQLView.as_view(schema=project_schema)),
    path('api/token/refresh/project/graphql/', DjwtoGraphQLView.as_view(schema=project_schema)),
    path('graphene/graphql/', GraphQLView.as_view(schema=project_schema)),
]
