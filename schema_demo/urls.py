from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path('', include('gql_djwto.urls')),
    path('admin/', admin.site.urls),
    path('', RedirectView.as_view(url='/graphql/')),
]
