"""Claim builders a project might put in DJWTO_*_HANDLER, for tests/test_tokens.py."""

from gql_djwto.claims import build_refresh_claims


def perms_with_extra(user):
    """Return the user's permissions, sorted, plus one the project adds."""
    return [*sorted(user.get_all_permissions()), 'project.extra']


def user_claims_with_email(user):
    """Return the default user claim with the e-mail address added."""
    return {'username': user.get_username(), 'id': user.pk, 'perms': [], 'email': user.email}


def claims_with_client_address(user, request):
    """Return the default claim set with the client's address, read from the request."""
    claims = build_refresh_claims(user, request)
    claims['client_ip'] = request.META['REMOTE_ADDR']
    return claims
