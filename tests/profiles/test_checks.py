"""Each profile is a sound project: Django's system checks find no error in it."""

from __future__ import annotations

from django.core import checks

# Warnings the profiles may show, and why they stay.
EXPECTED_WARNINGS = {
    'gql_djwto.W001',  # DJWTO_COOKIE_SECURE is off: the live server speaks plain http
    'gql_djwto.W005',  # the default cache counts login failures per process
}


def test_system_checks_find_no_error_and_only_the_expected_warnings(db):
    messages = checks.run_checks(include_deployment_checks=False, databases=['default'])

    assert [m for m in messages if m.level >= checks.ERROR] == []
    assert {m.id for m in messages if m.level == checks.WARNING} <= EXPECTED_WARNINGS, messages
