"""The demo's DJWTO_* settings from environment variables."""

import runpy
import subprocess
import sys
from datetime import timedelta

import pytest

from schema_demo.environment import DemoEnvironmentError, parse, parse_origins

from .processes import REPO, demo_environment


@pytest.mark.parametrize(('text', 'value'), [('false', False), ('0', False), ('true', True), ('on', True)])
def test_graphiql_from_the_environment_is_a_flag(text, value):
    assert parse('DJWTO_GRAPHIQL', text) is value


def test_graphiql_none_from_the_environment_follows_debug():
    assert parse('DJWTO_GRAPHIQL', 'none') is None


def test_graphiql_from_the_environment_refuses_other_words():
    with pytest.raises(ValueError, match='DJWTO_GRAPHIQL must be true or false'):
        parse('DJWTO_GRAPHIQL', 'maybe')


def test_keys_from_the_environment_are_pem_text_or_a_file_path(tmp_path):
    from datetime import timedelta

    pem = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n'
    path = tmp_path / 'public.pem'
    path.write_text(pem)
    assert parse('DJWTO_VERIFYING_KEY', pem) == pem
    assert parse('DJWTO_VERIFYING_KEY', str(path)) == pem
    assert parse('DJWTO_SIGNING_KEY', 'an-hmac-secret') == 'an-hmac-secret'
    assert parse('DJWTO_VERIFYING_KEY_FALLBACKS', f'{path}, {path}') == [pem, pem]
    assert parse('DJWTO_SIGNING_KEY_FALLBACKS', 'old-one,older-one') == ['old-one', 'older-one']
    assert parse('DJWTO_LEEWAY', '2.5') == timedelta(seconds=2.5)
    assert parse('DJWTO_KEY_ID', '2026-11') == '2026-11'


@pytest.mark.parametrize(
    'name', ['DJWTO_ACCESS_TOKEN_LIFETIME', 'DJWTO_REFRESH_TOKEN_LIFETIME', 'DJWTO_NBF_LIFETIME']
)
def test_lifetime_from_the_environment_is_seconds(name):
    assert parse(name, '3') == timedelta(seconds=3)
    assert parse(name, 'none') is None


@pytest.mark.parametrize('text', ['3s', '1.5', '-3', 'five'])
def test_lifetime_from_the_environment_refuses_anything_but_whole_seconds(text):
    with pytest.raises(
        DemoEnvironmentError, match='DJWTO_ACCESS_TOKEN_LIFETIME must be a whole number of seconds or none'
    ):
        parse('DJWTO_ACCESS_TOKEN_LIFETIME', text)


@pytest.mark.parametrize(
    ('text', 'origins'),
    [
        ('', []),
        (' , ', []),
        ('http://localhost:5173', ['http://localhost:5173']),
        (
            'http://localhost:5173, https://app.example.com',
            ['http://localhost:5173', 'https://app.example.com'],
        ),
    ],
)
def test_cors_origins_from_the_environment(text, origins):
    assert parse_origins(text) == origins


@pytest.mark.parametrize(
    'text',
    [
        'localhost:5173',
        'app.example.com',
        'http://localhost:5173/',
        'https://app.example.com/spa',
        'ftp://app.example.com',
        'http://',
        'http://localhost:5173?x=1',
    ],
)
def test_cors_origins_refuse_what_is_not_an_origin(text):
    with pytest.raises(DemoEnvironmentError, match=r'DEMO_CORS_ORIGINS: .* is not an origin'):
        parse_origins(text)


def demo_settings(monkeypatch, **environment: str) -> dict:
    """Run schema_demo/settings.py afresh under ``environment`` and return its settings."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    # By path: run_module needs a loader with get_code, which pytest's assertion rewriter lacks
    # when it rewrites schema_demo (as in an unpacked sdist, whose egg-info lists schema_demo).
    return runpy.run_path(str(REPO / 'schema_demo' / 'settings.py'), run_name='schema_demo.settings')


def test_demo_without_cors_origins_has_no_cors(monkeypatch):
    monkeypatch.delenv('DEMO_CORS_ORIGINS', raising=False)
    settings = demo_settings(monkeypatch)
    assert 'corsheaders' not in settings['INSTALLED_APPS']
    assert not any('corsheaders' in name for name in settings['MIDDLEWARE'])
    assert 'CORS_ALLOWED_ORIGINS' not in settings and 'CSRF_TRUSTED_ORIGINS' not in settings


def test_demo_with_cors_origins_trusts_them_for_cors_and_csrf(monkeypatch):
    origins = ['http://localhost:5173', 'https://app.example.com']
    settings = demo_settings(monkeypatch, DEMO_CORS_ORIGINS=','.join(origins))
    assert 'corsheaders' in settings['INSTALLED_APPS']
    middleware = settings['MIDDLEWARE']
    assert middleware.index('corsheaders.middleware.CorsMiddleware') < middleware.index(
        'django.middleware.common.CommonMiddleware'
    )
    assert settings['CORS_ALLOWED_ORIGINS'] == origins
    assert settings['CORS_ALLOW_CREDENTIALS'] is True
    assert settings['CSRF_TRUSTED_ORIGINS'] == origins


def test_demo_with_cors_origins_needs_django_cors_headers(monkeypatch):
    monkeypatch.setitem(sys.modules, 'corsheaders', None)  # what an absent package raises
    with pytest.raises(DemoEnvironmentError, match=r"needs django-cors-headers.*pip install -e '\.\[demo\]'"):
        demo_settings(monkeypatch, DEMO_CORS_ORIGINS='http://localhost:5173')


def test_demo_keeps_djangos_password_hashers_unless_told(monkeypatch):
    monkeypatch.delenv('DEMO_PASSWORD_HASHERS', raising=False)
    assert 'PASSWORD_HASHERS' not in demo_settings(monkeypatch)


def test_demo_password_hashers_from_the_environment(monkeypatch):
    hashers = [
        'django.contrib.auth.hashers.MD5PasswordHasher',
        'django.contrib.auth.hashers.PBKDF2PasswordHasher',
    ]
    settings = demo_settings(monkeypatch, DEMO_PASSWORD_HASHERS=' , '.join(hashers))
    assert settings['PASSWORD_HASHERS'] == hashers


def test_demo_password_hashers_refuse_what_is_not_a_class(monkeypatch):
    with pytest.raises(DemoEnvironmentError, match=r"DEMO_PASSWORD_HASHERS: 'md5' is not a password hasher"):
        demo_settings(monkeypatch, DEMO_PASSWORD_HASHERS='md5')


def test_demo_start_without_django_cors_headers_says_so_without_traceback():
    # sys.modules['corsheaders'] = None makes the import fail as if the package were absent.
    code = (
        "import sys; sys.modules['corsheaders'] = None; "
        "from schema_demo.__main__ import main; main(['--port', '0'])"
    )
    run = subprocess.run(
        [sys.executable, '-c', code],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=demo_environment(DEMO_CORS_ORIGINS='http://localhost:5173'),
        timeout=60,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr == (
        'python -m schema_demo: DEMO_CORS_ORIGINS needs django-cors-headers, '
        "which is not installed: pip install -e '.[demo]'\n"
    )


@pytest.mark.parametrize(
    'text, value', [('None', 'None'), ('none', 'None'), ('Lax', 'Lax'), ('Strict', 'Strict')]
)
def test_same_site_none_from_the_environment_is_the_attribute_value(text, value):
    """SameSite=None is a value of its own (cross-site cookies), not "send no attribute"."""
    assert parse('DJWTO_SAME_SITE', text) == value


def test_demo_with_a_bad_setting_refuses_to_start_and_names_it():
    run = subprocess.run(
        [sys.executable, '-m', 'schema_demo', '--port', '0'],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=demo_environment(DJWTO_MODE='BAD'),
        timeout=60,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert 'not started, the system checks found errors' in run.stderr
    assert 'gql_djwto.E' in run.stderr and 'DJWTO_MODE' in run.stderr
    assert 'Traceback' not in run.stderr
