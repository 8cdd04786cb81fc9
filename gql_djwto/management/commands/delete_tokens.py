from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gql_djwto.models import JWTBlacklist, RefreshFamily, stored_now


class Command(BaseCommand):
    help = "Delete expired tokens from the blacklist, and expired sessions' rotation rows, in batches."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            '--batch-size',
            type=int,
            default=10_000,
            help='Rows deleted per statement (default 10000).',
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError('--batch-size must be 1 or more.')
        total = self.purge(JWTBlacklist, batch_size)
        self.stdout.write(f'Deleted {total} expired token(s) from the blacklist.')
        total = self.purge(RefreshFamily, batch_size)
        if total:
            self.stdout.write(f'Deleted {total} expired session(s) of rotating refresh tokens.')

    @staticmethod
    def purge(model: type[JWTBlacklist | RefreshFamily], batch_size: int) -> int:
        """Delete ``model``'s rows whose ``expires`` has passed; return how many."""
        # The same clock revoke and rotation write expiries with (gql_djwto.models).
        expired = model.objects.filter(expires__lte=stored_now()).order_by('pk')
        total, last_pk = 0, 0
        while True:
            batch = list(expired.filter(pk__gt=last_pk).values_list('pk', flat=True)[:batch_size])
            if not batch:
                break
            deleted, _ = model.objects.filter(pk__in=batch).delete()
            total += deleted
            last_pk = batch[-1]
        return total
