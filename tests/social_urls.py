"""tests/urls.py plus a social login's callback: a plain Django view issuing tokens by service.issue_tokens."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from gql_djwto import service

from .urls import urlpatterns as project_urlpatterns


def social_callback(request: HttpRequest) -> HttpResponse:
    """Log in the user a provider vouched for (here: named in the query string)."""
    user = get_user_model()._default_manager.get_by_natural_key(request.GET['username'])
    tokens = service.issue_tokens(request, user)
    return service.apply_cookies(request, JsonResponse({'access': tokens.access, 'refresh': tokens.refresh}))


urlpatterns = [*project_urlpatterns, path('social/callback/', social_callback)]
