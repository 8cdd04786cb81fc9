"""users.claimed_user: the one lookup of the user a token's ``user`` claim names, against the database."""

import pytest
from django.contrib.auth.models import User

from gql_djwto.users import UserLookup, claimed_user


def test_each_lookup_finds_the_user_the_claim_names(alice):
    claim = {'id': alice.pk, 'username': 'alice'}
    assert [claimed_user(claim, lookup) for lookup in UserLookup] == [alice, alice, alice]


def test_a_renamed_user_is_found_by_id_alone(alice):
    claim = {'id': alice.pk, 'username': 'alice'}
    alice.username = 'alicia'
    alice.save()
    assert [claimed_user(claim, lookup) for lookup in UserLookup] == [None, alice, None]


def test_a_new_account_with_the_old_name_is_found_by_name_alone(alice):
    claim = {'id': alice.pk, 'username': 'alice'}
    alice.delete()
    newcomer = User.objects.create_user('alice', password='pass')
    assert [claimed_user(claim, lookup) for lookup in UserLookup] == [None, None, newcomer]


def test_without_an_id_only_the_name_lookups_find_the_user(alice):
    claim = {'username': 'alice'}
    assert [claimed_user(claim, lookup) for lookup in UserLookup] == [None, alice, alice]


@pytest.mark.parametrize(
    'claim',
    [None, 'alice', [], {}, {'id': 'not a key'}, {'id': 2**80}, {'id': None}, {'username': 7}],
    ids=repr,
)
def test_a_claim_that_names_no_user_finds_none(db, claim):
    assert [claimed_user(claim, lookup) for lookup in UserLookup] == [None, None, None]
