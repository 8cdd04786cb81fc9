"""Run the demo: ``python -m schema_demo [--port 8000]``.

Migrates an SQLite database, creates the demo users (alice / pass without
permissions, bob / pass with auth.view_user) and serves GraphiQL at
http://127.0.0.1:<port>/graphql/.
"""

import argparse
import logging
import os
import sys

logger = logging.getLogger('schema_demo')


def create_demo_users() -> None:
    from django.contrib.auth.models import Permission, User

    for username, perms in (('alice', []), ('bob', ['view_user'])):
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password('pass')
            user.save()
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label='auth',
                codename__in=perms,
            )
        )
    logger.info('Demo users: alice / pass (no permissions), bob / pass (auth.view_user).')


def prepare_database() -> None:
    """Migrate the demo's database and create its users (nothing to do on a second start).

    The system checks are the caller's: main() has run them just before.
    """
    from django.core.management import call_command

    call_command('migrate', interactive=False, verbosity=0, skip_checks=True)
    create_demo_users()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog='python -m schema_demo', description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, default=8000)
    parser.add_argument('--host', default='127.0.0.1')
    args = parser.parse_args(argv)

    # The demo is its own project: never another project's settings module.
    os.environ['DJANGO_SETTINGS_MODULE'] = 'schema_demo.settings'
    generated_key = not os.environ.get('DJWTO_SIGNING_KEY')
    if generated_key:
        from gql_djwto.keygen import new_keys

        try:  # a key pair for an asymmetric DJWTO_ALGORITHM
            keys = new_keys(os.environ.get('DJWTO_ALGORITHM', 'HS256'))
        except ValueError:  # an unknown algorithm, which the system checks name
            keys = new_keys('HS256')
        os.environ['DJWTO_SIGNING_KEY'] = keys.signing_key
        if keys.verifying_key:
            os.environ['DJWTO_VERIFYING_KEY'] = keys.verifying_key

    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from .environment import DemoEnvironmentError
    from .server import runserver

    try:
        django.setup()  # imports schema_demo.settings, which reads the environment
    except DemoEnvironmentError as error:
        parser.exit(2, f'{parser.prog}: {error}\n')
    cors_origins = getattr(settings, 'CORS_ALLOWED_ORIGINS', None)
    if cors_origins:
        logger.info(
            'Pages at %s may call the demo with cookies (CORS and CSRF trust them).', ', '.join(cors_origins)
        )
    if generated_key:
        logger.info(
            'No DJWTO_SIGNING_KEY given: generated a signing key for this run '
            '(tokens from earlier runs will not verify).'
        )
    if os.environ.get('DJWTO_ALGORITHM', 'HS256')[:2] != 'HS':
        logger.info('Public keys: http://%s:%d/.well-known/jwks.json', args.host, args.port)
    if not settings.DJWTO_COOKIE_SECURE:
        logger.info('DJWTO_COOKIE_SECURE is off so cookies work over plain http; never in production.')
    try:  # bad settings stop the demo here, named, rather than fail its first request
        call_command('check')
    except SystemCheckError as error:
        parser.exit(2, f'{parser.prog}: not started, the system checks found errors:\n{error}\n')
    logger.info('DJWTO_MODE is %s.', getattr(settings, 'DJWTO_MODE', 'JSON'))
    prepare_database()
    logger.info('GraphiQL: http://%s:%d/graphql/', args.host, args.port)
    sys.stdout.flush()
    runserver(f'{args.host}:{args.port}')


if __name__ == '__main__':
    main()
