import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_have_no_missing_migrations():
    call_command('makemigrations', 'gql_djwto', '--check', '--dry-run', verbosity=0)
