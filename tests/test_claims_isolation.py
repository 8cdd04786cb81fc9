"""Each reader of a request's claims gets its own copy.

``request.payload`` (the decorators), ``verify``'s claims and the service's
claims are the same facts read many times in one request: a resolver that
edits what it was handed must not change what the next one reads, least of
all the permissions that jwt_perm_required checks.
"""

from __future__ import annotations

import graphene
import pytest
from django.contrib.auth.models import Permission, User
from django.urls import path

import gql_djwto.schema
from gql_djwto import service
from gql_djwto.decorators import jwt_login_required, jwt_perm_required
from gql_djwto.tokens import ACCESS, REFRESH
from gql_djwto.transport import verified_token
from gql_djwto.views import DjwtoGraphQLView

from .test_decorators import request_with_access

pytestmark = pytest.mark.urls(__name__)


class Query(graphene.ObjectType):
    grant_myself = graphene.String()
    rename_myself = graphene.String()
    secret = graphene.String()
    me = graphene.String()

    @jwt_login_required
    def resolve_grant_myself(root, info):
        info.context.payload['user']['perms'].append('auth.view_user')
        return 'granted?'

    @jwt_login_required
    def resolve_rename_myself(root, info):
        info.context.payload['user']['username'] = 'root'
        info.context.payload['type'] = 'refresh'
        return 'renamed?'

    @jwt_perm_required(['auth.view_user'])
    def resolve_secret(root, info):
        return 'only for viewers'

    @jwt_login_required
    def resolve_me(root, info):
        return info.context.payload['user']['username']


class Mutation(gql_djwto.schema.Mutation, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
view = DjwtoGraphQLView.as_view(schema=schema, graphiql=True)
urlpatterns = [path('graphql/', view), path('api/token/refresh/graphql/', view)]


def test_a_resolver_adding_a_perm_to_the_payload_does_not_grant_it(carol_with_a_perm):
    api = carol_with_a_perm
    result = api.with_access('{ grantMyself secret }')
    assert result.data == {'grantMyself': 'granted?', 'secret': None}
    assert result.error['message'] == 'Insufficient Permissions.'


def test_a_resolver_editing_the_payload_does_not_change_the_next_ones(logged_in):
    result = logged_in.with_access('{ renameMyself me }')
    assert result.errors == []
    assert result.data == {'renameMyself': 'renamed?', 'me': 'alice'}


def test_verify_hands_out_claims_no_later_reader_sees_changed(logged_in, rf):
    request = request_with_access(rf, logged_in)
    first = service.verify(request, ACCESS).claims
    first['user']['perms'].append('auth.view_user')
    first['user']['username'] = 'root'
    second = service.verify(request, ACCESS).claims
    _, third = verified_token(request, ACCESS)
    assert second['user'] == third['user'] == {'username': 'alice', 'id': second['user']['id'], 'perms': []}
    assert second is not third and second['user'] is not third['user']


def test_refresh_claims_are_the_callers_own_too(logged_in, rf):
    if logged_in.mode == 'JSON':
        request = rf.post(
            '/api/token/refresh/graphql/', HTTP_AUTHORIZATION=f'Bearer {logged_in.token("refresh")}'
        )
    else:
        rf.cookies['jwt_refresh'] = logged_in.token('refresh')
        request = rf.post('/api/token/refresh/graphql/')
    _, first = verified_token(request, REFRESH)
    first['jti'] = 'another'
    _, second = verified_token(request, REFRESH)
    assert second['jti'] != 'another'


@pytest.fixture
def carol_with_a_perm(api, db):
    """carol holds add_group, not auth.view_user."""
    user = User.objects.create_user('carol', password='pass')
    user.user_permissions.add(Permission.objects.get(codename='add_group'))
    api.login('carol').field('tokenAuth')
    return api
