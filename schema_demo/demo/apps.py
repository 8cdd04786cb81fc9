import logging

from django.apps import AppConfig

logger = logging.getLogger('schema_demo')

SENDERS = {
    'jwt_logged_in': 'GetTokensView',
    'jwt_login_fail': 'GetTokensView',
    'jwt_blacklisted': 'BlackListTokenView',
    'jwt_token_validated': 'ValidateTokensView',
    'jwt_access_refreshed': 'RefreshAccessView',
    'jwt_refresh_updated': 'UpdateRefreshView',
}


class DemoConfig(AppConfig):
    name = 'schema_demo.demo'
    label = 'demo'

    def ready(self):
        import gql_djwto.signals as signals

        def handler(sender, **kwargs):
            logger.info('sender: %s', sender)
            logger.info('kwargs: %s', kwargs)

        for name, sender in SENDERS.items():
            getattr(signals, name).connect(handler, sender=sender, weak=False)
