"""The database check that warns of token cookies too large for browsers."""


import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import checks

from gql_djwto.checks import check_cookie_size


@pytest.mark.django_db
def test_no_warning_for_the_permissions_of_a_small_project(settings):
    settings.DJWTO_MODE = 'ONE-COOKIE'
    assert check_cookie_size(databases=['default']) == []


@pytest.mark.django_db
def test_warns_when_all_permissions_make_a_cookie_over_4096_bytes(settings):
    settings.DJWTO_MODE = 'TWO-COOKIES'
    content_type = ContentType.objects.get_for_model(Permission)
    Permission.objects.bulk_create(
        Permission(codename=f'a_rather_long_permission_name_{i}', name=f'p{i}', content_type=content_type)
        for i in range(150)
    )
    [warning] = check_cookie_size(databases=['default'])
    assert warning.level == checks.WARNING and warning.id == 'gql_djwto.W003'
    assert 'browsers drop cookies over 4096 bytes' in warning.msg


@pytest.mark.django_db
def test_json_mode_has_no_cookies_to_warn_about(settings):
    settings.DJWTO_MODE = 'JSON'
    content_type = ContentType.objects.get_for_model(Permission)
    Permission.objects.bulk_create(
        Permission(codename=f'p_{i}' * 10, name=f'p{i}', content_type=content_type) for i in range(150)
    )
    assert check_cookie_size(databases=['default']) == []


def test_the_check_needs_a_database():
    assert check_cookie_size(databases=None) == []
