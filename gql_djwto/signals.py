"""djwto's six signals, sent with djwto's view names as senders, and ours.

A handler connected for djwto, such as
``jwt_logged_in.connect(handler, sender='GetTokensView')``, works unchanged.
"""

from django.dispatch import Signal

jwt_logged_in = Signal()
jwt_login_fail = Signal()
jwt_blacklisted = Signal()
jwt_token_validated = Signal()
jwt_access_refreshed = Signal()
jwt_refresh_updated = Signal()
# Ours: every session of a user was ended (revokeAll, the admin, a password
# change or a deactivation). Sent with the user's class as sender and
# request (None outside a request), user and cause.
jwt_all_revoked = Signal()

# Ours: a rotated refresh token came back, and its session was revoked
# (kwargs: request, jti). Sent with the refresh operation's sender.
jwt_refresh_reused = Signal()

# The senders: djwto's view names, as plain string literals.
LOGIN_SENDER = 'GetTokensView'
BLACKLIST_SENDER = 'BlackListTokenView'
VALIDATE_SENDER = 'ValidateTokensView'
REFRESH_ACCESS_SENDER = 'RefreshAccessView'
UPDATE_REFRESH_SENDER = 'UpdateRefreshView'
