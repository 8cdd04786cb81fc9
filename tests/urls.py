from django.http import JsonResponse
from django.urls import include, path

from gql_djwto.decorators import jwt_login_required, jwt_perm_required


@jwt_login_required
def whoami(request):
    return JsonResponse({'username': request.payload['user']['username']})


@jwt_perm_required(['auth.view_user'])
def viewers_only(request):
    return JsonResponse({'ok': True})


urlpatterns = [
    path('', include('gql_djwto.urls')),
    path('whoami/', whoami),
    path('viewers/', viewers_only),
]
