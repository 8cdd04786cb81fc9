"""GraphiQL's page loads its scripts and styles from the project's static files (DJWTO_GRAPHIQL_ASSETS).

By default every file it loads is a local URL whose integrity attribute is
the sha384 of the bytes served there, also under a script prefix and after
collectstatic with ManifestStaticFilesStorage; with 'cdn' it is
graphene-django's jsDelivr page.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.management import call_command
from django.test import Client

from gql_djwto.graphiql import cdn_files, shipped_files
from gql_djwto.views import DjwtoGraphQLView

from .conftest import GRAPHQL, REFRESH_GRAPHQL
from .test_script_prefix import PREFIX, ServerClient

GRAPHENE_BOOTSTRAP = 'graphene_django/graphiql.js'  # graphene-django's own static file, no SRI


class Tags(HTMLParser):
    """The (URL, integrity) of every <script src> and <link href> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get('src') if tag == 'script' else found.get('href') if tag == 'link' else None
        if url:
            self.files.append((url, found.get('integrity')))


def page_files(client: Client, path: str = GRAPHQL) -> list[tuple[str, str | None]]:
    response = client.get(path, HTTP_ACCEPT='text/html')
    assert response.status_code == 200
    parser = Tags()
    parser.feed(response.content.decode())
    return parser.files


def sha384(data: bytes) -> str:
    return 'sha384-' + base64.b64encode(hashlib.sha384(data).digest()).decode()


def served_by_finders(url: str) -> bytes:
    """The bytes django.contrib.staticfiles serves at ``url`` (runserver, the test live server)."""
    path = urlsplit(url).path
    assert path.startswith(django_settings.STATIC_URL), url
    found = finders.find(unquote(path[len(django_settings.STATIC_URL) :]))
    assert found, f'no static file at {url}'
    return Path(found).read_bytes()


def assert_local_with_integrity(files: list[tuple[str, str | None]], served) -> None:
    """Every file is a path on this site; each of ours carries the sha384 of what is served."""
    assert [url for url, _ in files if urlsplit(url).scheme or urlsplit(url).netloc] == []
    ours = [(url, integrity) for url, integrity in files if integrity]
    assert len(ours) == len(shipped_files()) == len(cdn_files())
    [bootstrap] = [url for url, integrity in files if not integrity]
    assert '/graphene_django/graphiql.' in bootstrap
    for url, integrity in ours:
        assert integrity == sha384(served(url)), url


@pytest.mark.parametrize('path', [GRAPHQL, REFRESH_GRAPHQL])
def test_graphiql_loads_only_local_files_each_with_the_sha384_of_the_served_bytes(db, path):
    files = page_files(Client(), path)
    assert_local_with_integrity(files, served_by_finders)
    assert all(url.startswith('/static/gql_djwto/graphiql/') for url, integrity in files if integrity)


def test_the_cdn_setting_serves_graphene_djangos_jsdelivr_page(db, settings):
    settings.DJWTO_GRAPHIQL_ASSETS = 'cdn'
    files = page_files(Client())
    assert [(url, integrity) for url, integrity in files if integrity] == [
        (file.url, file.integrity) for file in cdn_files()
    ]
    assert files[-1] == (f'/static/{GRAPHENE_BOOTSTRAP}', None)


def test_files_follow_the_script_prefix(db, settings):
    settings.STATIC_URL = 'static/'  # relative: Django puts the script prefix before it
    files = page_files(ServerClient(SCRIPT_NAME=PREFIX))
    assert all(url.startswith(f'{PREFIX}/static/') for url, _ in files), files
    settings.STATIC_URL = f'{PREFIX}/static/'  # where a front server would serve them
    assert_local_with_integrity(files, served_by_finders)


def test_collectstatic_with_manifest_storage_serves_hashed_names_with_matching_integrity(
    db, settings, tmp_path
):
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'},
    }
    call_command('collectstatic', interactive=False, verbosity=0)
    files = page_files(Client())

    def served_from_static_root(url: str) -> bytes:
        name = unquote(urlsplit(url).path[len(settings.STATIC_URL) :])
        return (tmp_path / name).read_bytes()

    assert_local_with_integrity(files, served_from_static_root)
    hashed_names = json.loads((tmp_path / 'staticfiles.json').read_text())['paths']
    urls = {url for url, _ in files}
    for file in shipped_files():
        hashed = hashed_names[file.static_path]  # e.g. .../graphiql.min.285b57bae1d1.js
        assert hashed != file.static_path and f'/static/{hashed}' in urls


def test_an_invalid_setting_is_error_e033_and_the_page_is_refused(db, settings):
    settings.DJWTO_GRAPHIQL_ASSETS = 'local'
    [error] = [m for m in checks.run_checks() if m.id == 'gql_djwto.E033']
    assert error.level == checks.ERROR
    assert error.msg == (
        'DJWTO_GRAPHIQL_ASSETS must be "static" (gql_djwto\'s copies of GraphiQL\'s files) '
        "or \"cdn\" (graphene-django's jsDelivr URLs); got 'local'."
    )
    # The one policy for bad settings met by a request (gql_djwto.refusals): refused, coded.
    response = Client().get('/graphql/', HTTP_ACCEPT='text/html')
    assert response.status_code == 500
    assert response.json()['errors'][0]['extensions']['reason'] == 'NOT_PROCESSED'


def graphiql_messages() -> list[checks.CheckMessage]:
    return [m for m in checks.run_checks() if m.id in ('gql_djwto.W006', 'gql_djwto.W007')]


def test_default_settings_raise_no_graphiql_warning():
    assert graphiql_messages() == []


def test_graphiql_without_staticfiles_is_warning_w006_and_the_page_still_renders(db, settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != 'django.contrib.staticfiles']
    [warning] = graphiql_messages()
    assert warning.id == 'gql_djwto.W006' and warning.level == checks.WARNING
    assert 'django.contrib.staticfiles is not installed' in warning.msg
    assert all(url.startswith('/static/') for url, _ in page_files(Client()))  # STATIC_URL joined
    settings.DJWTO_GRAPHIQL = False
    assert graphiql_messages() == [], 'no GraphiQL, nothing to load'


def test_a_graphene_django_loading_other_versions_is_warning_w007_and_those_come_from_the_cdn(
    db, settings, monkeypatch
):
    monkeypatch.setattr(DjwtoGraphQLView, 'react_version', '18.3.1')  # as a newer graphene-django might
    [warning] = graphiql_messages()
    assert warning.id == 'gql_djwto.W007'
    assert 'https://cdn.jsdelivr.net/npm/react@18.3.1/umd/react.production.min.js' in warning.msg
    assert 'react-dom@18.3.1' in warning.msg and 'graphiql@' not in warning.msg
    cdn = [url for url, _ in page_files(Client()) if urlsplit(url).netloc]
    assert cdn == [
        'https://cdn.jsdelivr.net/npm/react@18.3.1/umd/react.production.min.js',
        'https://cdn.jsdelivr.net/npm/react-dom@18.3.1/umd/react-dom.production.min.js',
    ]
    settings.DJWTO_GRAPHIQL_ASSETS = 'cdn'
    assert graphiql_messages() == [], "'cdn' asks for the CDN"
