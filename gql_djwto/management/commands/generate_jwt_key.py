"""``manage.py generate_jwt_key``: a new key for DJWTO_ALGORITHM, printed as settings to paste."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from gql_djwto.keygen import new_keys
from gql_djwto.settings import djwto_settings
from gql_djwto.validators import VALIDATORS


class Command(BaseCommand):
    help = (
        'Generate a key pair (an HMAC secret for HS*) for DJWTO_ALGORITHM and print the '
        'settings to paste. The private key is printed here only: never stored nor logged.'
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument('--algorithm', help='Default: DJWTO_ALGORITHM.')
        parser.add_argument(
            '--key-id',
            help='Print DJWTO_KEY_ID too (default: none; asymmetric '
            'keys are then named by their JWK thumbprint).',
        )

    def handle(
        self, *args: Any, algorithm: str | None = None, key_id: str | None = None, **options: Any
    ) -> None:
        algorithm = algorithm or djwto_settings.value_or_default('ALGORITHM')
        for name, value in (('DJWTO_ALGORITHM', algorithm), ('DJWTO_KEY_ID', key_id)):
            try:
                VALIDATORS[name](name, value)
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from None
        keys = new_keys(algorithm)
        lines = [
            '# gql_djwto: paste into your settings, or better, into your secret store.',
            f'DJWTO_ALGORITHM = {algorithm!r}',
        ]
        if keys.verifying_key is None:
            lines.append(f'DJWTO_SIGNING_KEY = {keys.signing_key!r}')
        else:
            lines += [
                f'DJWTO_SIGNING_KEY = """{keys.signing_key}"""',
                f'DJWTO_VERIFYING_KEY = """{keys.verifying_key}"""',
            ]
        if key_id:
            lines.append(f'DJWTO_KEY_ID = {key_id!r}')
        lines.append(
            '# Rotating? Move the old DJWTO_VERIFYING_KEY into DJWTO_VERIFYING_KEY_FALLBACKS '
            '(HMAC: the old DJWTO_SIGNING_KEY into DJWTO_SIGNING_KEY_FALLBACKS).'
        )
        self.stdout.write('\n'.join(lines))
