from django.apps import AppConfig


class GqlDjwtoConfig(AppConfig):
    name = 'gql_djwto'
    verbose_name = 'JWT authentication (gql_djwto)'
    default_auto_field = 'django.db.models.BigAutoField'

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
