from django.apps import AppConfig


class GqlDjwtoConfig(AppConfig):
    name = 'gql_djwto'
    verbose_name = 'JWT authentication (gql_djwto)'
    default_auto_field = 'django.db.models.BigAutoField'

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from . import checks  # noqa: F401  (registers the system checks)
        from .credentials import end_sessions_on_credential_change

        pre_save.connect(end_sessions_on_credential_change, dispatch_uid='gql_djwto.credentials')
