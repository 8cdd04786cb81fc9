"""Translated messages: catalogues in sync with the code, complete, compiled, and served per request.

English stays djwto's text byte for byte (every other test checks it); here a
request in another language gets the catalogue's words for the same refusal,
with the same ``code`` and ``reason``.
"""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import translation

import gql_djwto
from gql_djwto import errors
from gql_djwto.pyjwt_texts import PYJWT_TEXTS, pyjwt_message

from .catalogues import LANGUAGES, header, messages, po_path, read_po
from .conftest import LOGIN, VERIFY, Api
from .hostile_tokens import CASES
from .requirements import skip_or_fail
from .test_hostile_tokens import configure, forge_for, keys, send  # noqa: F401 (keys: a fixture)

LOCALE_MIDDLEWARE = 'django.middleware.locale.LocaleMiddleware'
# Django's language code for each catalogue directory.
CODES = {'de': 'de', 'es': 'es', 'fr': 'fr', 'pt_BR': 'pt-br', 'ja': 'ja'}


def catalogue(language: str) -> dict:
    """The catalogue of ``language``: each msgid (or (singular, plural)) to its msgstr forms."""
    return {entry.key: entry.msgstr for entry in messages(read_po(po_path(language)))}


def translated(language: str, english: str) -> str:
    return catalogue(language)[english][0]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def plural_index(language: str, n: int) -> int:
    rule = header(read_po(po_path(language)))['Plural-Forms'].split('plural=', 1)[1].rstrip(';')
    return gettext.c2py(rule)(n)


# The catalogues against the code.


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        skip_or_fail(
            f'{name} (Debian package gettext) is needed to check the catalogues', 'GQL_DJWTO_REQUIRE_GETTEXT'
        )
    return path


def test_catalogues_hold_every_message_of_the_code_and_no_other(tmp_path):
    """makemessages on a copy of the package: each .po must list exactly what it extracts."""
    _tool('xgettext')
    package = tmp_path / 'gql_djwto'
    shutil.copytree(
        Path(gql_djwto.__file__).parent, package, ignore=shutil.ignore_patterns('locale', '__pycache__')
    )
    (package / 'locale').mkdir()
    environment = {name: value for name, value in os.environ.items() if name != 'DJANGO_SETTINGS_MODULE'}
    subprocess.run(
        # -I: the package's own modules (settings.py, signals.py...) must not shadow anything.
        [sys.executable, '-I', '-m', 'django', 'makemessages', '--locale', 'xx', '--no-location'],
        cwd=package,
        env=environment,
        check=True,
        capture_output=True,
    )
    extracted = {entry.key for entry in messages(read_po(package / 'locale/xx/LC_MESSAGES/django.po'))}
    assert len(extracted) > 80, extracted
    problems = []
    for language in LANGUAGES:
        entries = read_po(po_path(language))
        shipped = {entry.key for entry in messages(entries)}
        problems += [f'{language}: missing {key!r}' for key in sorted(extracted - shipped, key=str)]
        problems += [f'{language}: stale {key!r}' for key in sorted(shipped - extracted, key=str)]
        problems += [f'{language}: obsolete {entry.key!r}' for entry in entries if entry.obsolete]
    assert not problems, (
        'the catalogues are out of step with the code; in gql_djwto/ run `django-admin makemessages '
        '-l de -l es -l fr -l pt_BR -l ja --add-location=file --no-obsolete`, translate, then '
        '`django-admin compilemessages`:\n' + '\n'.join(problems)
    )


@pytest.mark.parametrize('language', LANGUAGES)
def test_catalogue_passes_msgfmt_check(language):
    """msgfmt's own checks: header, plural forms, and python-brace-format placeholders."""
    completed = subprocess.run(
        [_tool('msgfmt'), '--check', '--output-file', os.devnull, str(po_path(language))],
        check=False,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0 and not completed.stderr, completed.stderr


@pytest.mark.parametrize('language', LANGUAGES)
def test_every_message_is_translated(language):
    entries = read_po(po_path(language))
    fuzzy = [entry.key for entry in entries if 'fuzzy' in entry.flags]
    assert not fuzzy, fuzzy
    forms = int(re.search(r'nplurals=(\d+)', header(entries)['Plural-Forms']).group(1))
    for entry in messages(entries):
        wanted = 1 if entry.plural is None else forms
        assert len(entry.msgstr) == wanted and all(entry.msgstr), entry
        english = {entry.msgid} if entry.plural is None else {entry.msgid, entry.plural}
        assert not english & set(entry.msgstr), f'left in English: {entry.key!r}'


@pytest.mark.parametrize('language', LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for entry in messages(read_po(po_path(language))):
        wanted = fields(entry.msgid) | fields(entry.plural or '')
        for text in entry.msgstr:
            assert fields(text) == wanted, (entry.key, text)


@pytest.mark.parametrize('language', LANGUAGES)
def test_compiled_catalogue_matches_its_po(language):
    """The shipped .mo holds the .po's translations, no more and no less."""
    path = po_path(language).with_suffix('.mo')
    with path.open('rb') as compiled:
        loaded = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for entry in messages(read_po(po_path(language))):
        if entry.plural is None:
            expected[entry.msgid] = entry.msgstr[0]
        else:
            expected.update({(entry.msgid, n): form for n, form in enumerate(entry.msgstr)})
    loaded = {key: value for key, value in loaded.items() if key != ''}
    assert loaded == expected, 'the .mo is stale: run `django-admin compilemessages` in gql_djwto/'


@pytest.mark.parametrize('language', LANGUAGES)
def test_django_serves_every_translation(language):
    """Under the language, Django's gettext answers our catalogue's words (no other app's)."""
    with translation.override(CODES[language]):
        for entry in messages(read_po(po_path(language))):
            if entry.plural is None:
                assert translation.gettext(entry.msgid) == entry.msgstr[0]
            else:
                for n in (1, 2, 15):
                    form = entry.msgstr[plural_index(language, n)]
                    assert translation.ngettext(entry.msgid, entry.plural, n) == form


# The messages in Python.


def test_lazy_messages_equal_and_hash_as_their_english_text():
    assert errors.TOKEN_VALID == 'Token is valid' and 'Token is valid' == errors.TOKEN_VALID
    assert hash(errors.TOKEN_VALID) == hash('Token is valid')
    assert {'Token is valid': 1}[errors.TOKEN_VALID] == 1
    assert json.dumps({'msg': errors.TOKEN_VALID}, cls=DjangoJSONEncoder) == '{"msg": "Token is valid"}'


def test_a_refusal_holds_its_message_as_a_str_of_the_language_it_was_raised_in():
    with translation.override('de'):
        refusal = errors.InvalidToken(errors.HEADER_MISSING)
    assert type(refusal.message) is str and str(refusal) == refusal.message
    assert refusal.message == translated('de', 'Token not found in "HTTP_AUTHORIZATION" header.')
    assert json.loads(json.dumps({'message': refusal.message}))['message'] == refusal.message


@pytest.mark.parametrize('text', [*PYJWT_TEXTS, 'Token is missing the "exp" claim'])
def test_pyjwt_texts_keep_their_english(text):
    assert pyjwt_message(text) == text


@pytest.mark.parametrize(
    'text',
    [
        'Token is missing the "aud" claim',
        'Invalid header string: Expecting value: line 1 column 1 (char 0)',
        "Invalid payload string: 'utf-8' codec can't decode byte 0xff in position 9: invalid start byte",
        'Unsupported critical extension: x-hostile',
    ],
)
def test_pyjwt_texts_with_a_part_of_their_own_keep_it_in_translation(text):
    assert pyjwt_message(text) == text
    with translation.override('de'):
        german = pyjwt_message(text)
    assert german != text
    assert text.rpartition(': ')[2] in german or '"aud"' in german


def test_a_pyjwt_text_we_do_not_know_passes_as_it_is():
    with translation.override('de'):
        assert pyjwt_message('A refusal PyJWT words later') == 'A refusal PyJWT words later'


def test_the_throttle_message_has_each_languages_plural():
    assert errors.login_throttled(15) == 'Too many failed login attempts; try again in 15 minutes.'
    with translation.override('de'):
        assert errors.login_throttled(1).endswith('in 1 Minute erneut.')
        assert errors.login_throttled(15).endswith('in 15 Minuten erneut.')


# Requests.


@pytest.fixture
def localised(settings):
    """LocaleMiddleware where Django's documentation puts it: after sessions, before CommonMiddleware."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index('django.middleware.common.CommonMiddleware'), LOCALE_MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    settings.DJWTO_MODE = 'JSON'
    yield
    translation.deactivate()  # the test client's requests ran in this thread, and left their language


def json_api() -> Api:
    return Api(Client(), 'JSON')


@pytest.mark.parametrize('language', LANGUAGES)
def test_accept_language_translates_the_message_but_not_its_code_or_reason(localised, language, db):
    english = json_api().post(VERIFY).error
    other = json_api().post(VERIFY, HTTP_ACCEPT_LANGUAGE=CODES[language]).error
    assert english['message'] == 'Token not found in "HTTP_AUTHORIZATION" header.'
    assert other['message'] == translated(language, english['message'])
    assert (
        other['extensions']
        == english['extensions']
        == {
            'code': 'FORBIDDEN',
            'status': 403,
            'reason': 'TOKEN_MISSING',
        }
    )


def test_success_messages_follow_accept_language(localised, alice):
    api = json_api()
    assert api.login(HTTP_ACCEPT_LANGUAGE='de').field('tokenAuth')['msg'] == 'Tokens erfolgreich erstellt.'
    assert api.post(VERIFY, bearer=api.access, HTTP_ACCEPT_LANGUAGE='de').field('verify')['msg'] == (
        'Das Token ist gültig'
    )
    assert api.post(VERIFY, bearer=api.access).field('verify')['msg'] == 'Token is valid'


def test_pyjwts_refusal_is_translated_with_the_same_reason(localised, alice, clock):
    api = json_api()
    api.login()
    clock.tick(6 * 60)  # past the five-minute access lifetime
    english = api.post(VERIFY, bearer=api.access).error
    german = api.post(VERIFY, bearer=api.access, HTTP_ACCEPT_LANGUAGE='de').error
    assert english['message'] == 'Signature has expired'
    assert german['message'] == 'Die Signatur ist abgelaufen'
    assert german['extensions'] == english['extensions']
    assert german['extensions']['reason'] == 'TOKEN_EXPIRED'


def test_a_decorated_django_view_answers_in_the_requests_language(localised, db):
    english = Client().get('/whoami/')
    german = Client().get('/whoami/', HTTP_ACCEPT_LANGUAGE='de')
    assert english.status_code == german.status_code == 403
    assert english.json() == {
        'error': 'Token not found in "HTTP_AUTHORIZATION" header.',
        'reason': 'TOKEN_MISSING',
    }
    assert german.json() == {
        'error': 'Kein Token im Header "HTTP_AUTHORIZATION" gefunden.',
        'reason': 'TOKEN_MISSING',
    }


def test_a_document_over_a_limit_is_refused_in_the_requests_language(localised, settings, db):
    settings.DJWTO_MAX_QUERY_DEPTH = 2
    deep = '{ __schema { types { fields { name } } } }'
    german = json_api().post(deep, HTTP_ACCEPT_LANGUAGE='de').error
    assert german['message'] == (
        'Die Operation ist 4 Ebenen tief verschachtelt; die Grenze ist 2 (DJWTO_MAX_QUERY_DEPTH).'
    )
    assert german['extensions']['reason'] == 'QUERY_TOO_DEEP'


def test_without_locale_middleware_language_code_decides(settings, db):
    settings.DJWTO_MODE = 'JSON'
    assert json_api().post(VERIFY, HTTP_ACCEPT_LANGUAGE='de').error['message'] == (
        'Token not found in "HTTP_AUTHORIZATION" header.'
    )
    settings.LANGUAGE_CODE = 'fr'
    assert (
        json_api().post(VERIFY).error['message'] == 'Jeton introuvable dans l\'en-tête "HTTP_AUTHORIZATION".'
    )


def test_the_login_forms_refusal_is_djangos_translation(localised, alice):
    refused = (
        json_api().post(LOGIN, {'username': 'alice', 'password': 'wrong'}, HTTP_ACCEPT_LANGUAGE='de').error
    )
    assert refused['extensions']['reason'] == 'BAD_CREDENTIALS'
    with translation.override('de'):
        username = get_user_model()._meta.get_field('username').verbose_name
        wanted = str(AuthenticationForm.error_messages['invalid_login']) % {'username': username}
    assert 'Benutzername' in wanted
    assert json.loads(refused['message']) == {'__all__': [wanted]}


# The hostile corpus in German: every refusal a token can meet is translated.


def german_patterns() -> list[re.Pattern]:
    patterns = []
    for forms in catalogue('de').values():
        for form in forms:
            parts = re.split(r'\{\w+\}', form)
            patterns.append(re.compile('.*?'.join(map(re.escape, parts)), re.DOTALL))
    return patterns


GERMAN = german_patterns()


@pytest.mark.parametrize('case', CASES, ids=lambda case: case.id)
def test_every_hostile_token_is_refused_in_german(case, alice, settings, keys):  # noqa: F811
    settings.DJWTO_MODE = 'JSON'
    configure(case.config, settings, keys)
    forge = forge_for('verifyAccess', 'JSON', alice, keys)
    delivery = case.build(forge)
    english = send('verifyAccess', 'JSON', forge, delivery).error
    settings.LANGUAGE_CODE = 'de'
    german = send('verifyAccess', 'JSON', forge, delivery).error
    assert german['extensions'] == english['extensions']
    assert german['message'] != english['message'], english['message']
    assert any(pattern.fullmatch(german['message']) for pattern in GERMAN), german['message']
