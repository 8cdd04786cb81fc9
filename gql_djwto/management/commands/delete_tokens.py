from django.core.management.base import BaseCommand, CommandError

from gql_djwto.expiry import stored_now
from gql_djwto.models import JWTBlacklist


class Command(BaseCommand):
    help = 'Delete expired tokens from the blacklist, in batches.'

    def add_arguments(self, parser):
        parser.add_argument(
            '--batch-size', type=int, default=10_000,
            help='Rows deleted per statement (default 10000).',
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError('--batch-size must be 1 or more.')
        # The same clock revoke writes expiries with (gql_djwto.expiry).
        expired = JWTBlacklist.objects.filter(expires__lte=stored_now()).order_by('pk')
        total, last_pk = 0, 0
        while True:
            batch = list(expired.filter(pk__gt=last_pk).values_list('pk', flat=True)[:batch_size])
            if not batch:
                break
            deleted, _ = JWTBlacklist.objects.filter(pk__in=batch).delete()
            total += deleted
            last_pk = batch[-1]
        self.stdout.write(f'Deleted {total} expired token(s) from the blacklist.')
