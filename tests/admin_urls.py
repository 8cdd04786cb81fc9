"""The tests' URLs and Django's admin, for the admin pages of gql_djwto."""

from django.contrib import admin
from django.urls import path

from .urls import urlpatterns as test_urlpatterns

urlpatterns = [path('admin/', admin.site.urls), *test_urlpatterns]
