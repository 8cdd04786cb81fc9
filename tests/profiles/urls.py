"""The profiles' URLconf: what startproject writes, plus exactly the README's lines.

Below the README's lines, the test harness mounts graphene-django's own
view, behind Django's CsrfViewMiddleware, to compare transaction semantics.
"""

from django.contrib import admin
from django.urls import path
from graphene_django.views import GraphQLView

urlpatterns = [
    path('admin/', admin.site.urls),
]

# --- README setup: urls.py ---
from django.urls import include, path

urlpatterns += [path('', include('gql_djwto.urls'))]
# --- end of README setup ---

urlpatterns += [path('plain/graphql/', GraphQLView.as_view())]
