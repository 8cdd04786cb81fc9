"""A hypothesis state machine: rotate, reuse, revoke and expire a session against a model of a few lines.

The model holds the live generation, when it last advanced, the tokens
handed out (any of which the client may send again) and whether the
session is revoked. Each step sends a real refreshAccess or revoke through
the GraphQL endpoint and checks the answer against the model.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from gql_djwto.errors import Reason
from gql_djwto.models import RefreshFamily
from gql_djwto.tokens import decode

from .conftest import REFRESH_ACCESS, REVOKE, Api, Clock

GRACE = 10
LIFETIME = 86400


class Session:
    """What the server should hold for one session."""

    def __init__(self, now: float) -> None:
        self.live = 0
        self.rotated_at: float | None = None
        self.expires = now + LIFETIME
        self.revoked = False

    def refresh_outcome(self, generation: int, now: float) -> str | int:
        """The reason a refresh with ``generation`` is refused, or the generation it is answered."""
        if now >= self.expires:
            return Reason.TOKEN_EXPIRED
        if self.revoked:
            return Reason.TOKEN_REVOKED
        if generation == self.live:
            self.live, self.rotated_at = self.live + 1, now
            return self.live
        if generation == self.live - 1 and now - self.rotated_at <= GRACE:
            return self.live
        self.revoked = True
        return Reason.TOKEN_REUSED


class RotationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.travel = time_machine.travel(time.time(), tick=False)
        self.clock = Clock(self.travel.start())
        self.api = Api(Client(), 'JSON')
        assert self.api.login().errors == []
        self.jti = decode(self.api.refresh)['jti']
        self.tokens = [(self.api.refresh, 0)]
        self.model = Session(self.now)

    @property
    def now(self) -> float:
        return self.clock.time()

    def teardown(self) -> None:
        self.travel.stop()

    @rule(index=st.integers(min_value=0, max_value=50))
    def refresh(self, index: int) -> None:
        token, generation = self.tokens[index % len(self.tokens)]
        expected = self.model.refresh_outcome(generation, self.now)
        result = self.api.post(REFRESH_ACCESS, path='/api/token/refresh/graphql/', bearer=token)
        if isinstance(expected, str):
            assert result.error['extensions']['reason'] == expected, result.body
            return
        answered = result.field('refreshAccess')['refresh']
        claims = decode(answered)
        assert (claims['jti'], claims['gen']) == (self.jti, expected)
        self.tokens.append((answered, expected))

    @rule()
    def revoke(self) -> None:
        token, _ = self.tokens[-1]
        result = self.api.post(REVOKE, path='/api/token/refresh/graphql/', bearer=token)
        if self.now >= self.model.expires:
            assert result.error['extensions']['reason'] == Reason.TOKEN_EXPIRED
        elif self.model.revoked:
            assert result.error['extensions']['reason'] == Reason.ALREADY_BLACKLISTED
        else:
            assert result.field('revoke')['msg'] == 'Token successfully blacklisted.'
            self.model.revoked = True

    @rule(seconds=st.sampled_from([0, 1, 5, GRACE, GRACE + 1, 600, LIFETIME // 2]))
    def wait(self, seconds: int) -> None:
        self.clock.tick(seconds)

    @invariant()
    def one_row_holds_the_live_generation(self) -> None:
        rows = list(RefreshFamily.objects.filter(jti=self.jti).values_list('generation', flat=True))
        assert rows == ([self.model.live] if self.model.live else [])


@pytest.mark.django_db
def test_rotation_follows_the_model(settings, alice):
    settings.DJWTO_MODE = 'JSON'
    settings.DJWTO_ROTATE_REFRESH_TOKENS = True
    settings.DJWTO_ROTATION_GRACE = timedelta(seconds=GRACE)
    settings.DJWTO_REFRESH_TOKEN_LIFETIME = timedelta(seconds=LIFETIME)
    run_state_machine_as_test(
        RotationMachine,
        settings=hypothesis_settings(
            max_examples=150,
            stateful_step_count=20,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
