"""The documentation says what the code does: settings, reasons, messages, mutations, modules.

The pages of docs/ include sections of README.md (and other files) with
pymdownx.snippets lines such as ``--8<-- "README.md:settings"``; ``page()``
expands them as the site build does, so these tests read what the site shows.
`make docs` builds the site itself, with warnings as errors.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from django.contrib.auth.forms import AuthenticationForm
from django.utils.functional import Promise
from graphene.utils.str_converters import to_camel_case

from gql_djwto import errors
from gql_djwto.errors import Reason
from gql_djwto.schema import Mutation
from gql_djwto.settings import DEFAULTS
from scripts.docs_assets import SCRIPT, check_site, outside_loads

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / 'docs'
PACKAGE = REPO / 'gql_djwto'
KEY = 'docs-test-key-long-enough-for-hs256-signatures'

INCLUDE = re.compile(r'^--8<-- "([^"]+)"$', re.MULTILINE)
SECTION_MARKER = re.compile(r'^.*--8<-- \[(?:start|end):[\w-]+\].*\n?', re.MULTILINE)


def included(spec: str) -> str:
    """The text a snippet line includes: a whole file, a line range ``2:`` or a named section."""
    path, _, part = spec.partition(':')
    text = (REPO / path).read_text()
    if part and re.fullmatch(r'\d+:\d*', part):
        start, end = part.split(':')
        text = ''.join(text.splitlines(keepends=True)[int(start) - 1 : int(end) if end else None])
    elif part:
        name = re.escape(part)
        found = re.search(
            rf'^[^\n]*--8<-- \[start:{name}\][^\n]*\n(.*?)^[^\n]*--8<-- \[end:{name}\]',
            text,
            re.MULTILINE | re.DOTALL,
        )
        assert found, f'{path} has no section {part!r}'
        text = found.group(1)
    return SECTION_MARKER.sub('', text)


def page(name: str) -> str:
    """A page of docs/ with its includes expanded."""
    return INCLUDE.sub(lambda line: included(line.group(1)), (DOCS / name).read_text())


PAGES = sorted(str(path.relative_to(DOCS)) for path in DOCS.rglob('*.md'))


@pytest.mark.parametrize('name', PAGES)
def test_every_include_of_a_page_resolves(name):
    assert '--8<--' not in page(name)


# Settings.

SETTING_ROW = re.compile(r'^\| `(DJWTO_[A-Z_]+)`(?: \(ours\))? \| ([^|]*) \|', re.MULTILINE)
NOT_A_LITERAL = object()


def written_default(cell: str):
    """The default a table cell gives as a Python literal in backticks, or NOT_A_LITERAL."""
    literal = re.match(r'`([^`]+)`', cell.strip())
    if not literal:
        return NOT_A_LITERAL
    try:
        # No builtins, only timedelta: the README's own cells, e.g. `timedelta(minutes=5)`.
        return eval(literal.group(1), {'__builtins__': {}}, {'timedelta': timedelta})  # noqa: S307
    except (NameError, SyntaxError):
        return NOT_A_LITERAL


def test_the_settings_page_lists_every_setting_once_and_no_other():
    listed = [name for name, _ in SETTING_ROW.findall(page('settings.md'))]
    assert sorted(listed) == sorted(DEFAULTS)
    assert len(listed) == len(set(listed))


def test_the_settings_page_gives_each_default_as_the_code_has_it():
    rows = SETTING_ROW.findall(page('settings.md'))
    written = {name: written_default(cell) for name, cell in rows}
    # The signing key's default is prose: the environment variable of that name.
    assert {name for name, value in written.items() if value is NOT_A_LITERAL} == {'DJWTO_SIGNING_KEY'}
    assert {name: value for name, value in written.items() if value is not NOT_A_LITERAL} == {
        name: value for name, value in DEFAULTS.items() if name != 'DJWTO_SIGNING_KEY'
    }


def test_every_djwto_name_in_the_docs_is_a_setting():
    mentioned = set()
    for name in PAGES:
        mentioned.update(re.findall(r'\bDJWTO_[A-Z_]*[A-Z]\b', page(name)))
    assert mentioned - set(DEFAULTS) == set()


# Errors and messages.


def test_the_errors_page_lists_every_reason_and_no_other():
    listed = re.findall(r'^\| `([A-Z_]+)` \|', page('errors.md'), re.MULTILINE)
    assert sorted(set(listed)) == sorted(name for name in vars(Reason) if not name.startswith('_'))


def message_patterns() -> list[re.Pattern[str]]:
    """Every message gql_djwto sends, as a pattern (``{name}`` placeholders match any text)."""
    patterns = []
    for name, value in vars(errors).items():
        if name.isupper() and isinstance(value, (str, Promise)):  # Promise: a lazy (translated) message
            parts = re.split(r'\{\w+\}', str(value))
            patterns.append(re.compile('.+'.join(re.escape(part) for part in parts)))
    # A refused login answers the login form's errors as JSON, as djwto does.
    invalid_login = AuthenticationForm.error_messages['invalid_login'] % {'username': 'username'}
    patterns.append(re.compile(re.escape(json.dumps({'__all__': [invalid_login]}))))
    # An expired token is refused with PyJWT's own words.
    with pytest.raises(jwt.ExpiredSignatureError) as expired:
        jwt.decode(jwt.encode({'exp': 1}, KEY), KEY, algorithms=['HS256'])
    patterns.append(re.compile(re.escape(str(expired.value))))
    return patterns


@pytest.mark.parametrize('name', ['mutations.md', 'errors.md', 'modes.md', 'index.md'])
def test_every_message_in_an_example_answer_is_one_gql_djwto_sends(name):
    shown = [
        json.loads(f'"{text}"') for text in re.findall(r'"(?:msg|message)": "((?:[^"\\]|\\.)*)"', page(name))
    ]
    patterns = message_patterns()
    unknown = [text for text in shown if not any(pattern.fullmatch(text) for pattern in patterns)]
    assert unknown == []


def test_the_mutations_page_has_a_section_for_every_mutation():
    headings = set(re.findall(r'^## (\w+)', page('mutations.md'), re.MULTILINE))
    assert {to_camel_case(field) for field in Mutation._meta.fields} <= headings


# The architecture page: the module map and the one-way rule.

MODULE_ROW = re.compile(r'^\| `(gql_djwto/[\w/]+(?:\.py|/))` \| (\w+) \|', re.MULTILINE)
# The rank of each layer: a module imports from its own rank or lower; graphql and
# django share a rank and import nothing of each other.
RANKS = {'settings': 0, 'tokens': 1, 'sessions': 2, 'transport': 3, 'service': 4, 'graphql': 5, 'django': 5}
RANKS['wiring'] = 6
SIDES = {'graphql', 'django'}
# Imports that break the rule, each named on the architecture page: none today.
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()
GRAPHENE = {'graphene', 'graphene_django'}


def module_map() -> dict[str, str]:
    return dict(MODULE_ROW.findall(page('architecture.md')))


def package_modules() -> set[str]:
    """Every module of gql_djwto; the migrations as one entry; empty subpackage markers left out."""
    found = {'gql_djwto/migrations/'}
    for path in PACKAGE.rglob('*.py'):
        parts = path.relative_to(REPO).parts
        if 'migrations' in parts or (path.name == '__init__.py' and path.parent != PACKAGE):
            continue
        found.add('/'.join(parts))
    return found


def imports_of(module: str) -> tuple[set[str], set[str]]:
    """The gql_djwto modules ``module`` imports (as paths) and the top-level packages it imports."""
    path = REPO / module
    package = path.relative_to(REPO).parent.parts
    ours, others = set(), set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            dotted = (*base, *(node.module.split('.') if node.module else ()))
            names = ['.'.join((*dotted, alias.name)) for alias in node.names] if not node.module else []
            names.append('.'.join(dotted))
        else:
            continue
        for name in names:
            parts = name.split('.')
            if parts[0] != 'gql_djwto':
                others.add(parts[0])
                continue
            for end in range(len(parts), 1, -1):  # the longest prefix that is a module
                candidate = '/'.join(parts[:end]) + '.py'
                if (REPO / candidate).is_file():
                    ours.add(candidate)
                    break
    ours.discard(module)
    return ours, others


def test_the_module_map_lists_every_module_of_the_package():
    assert set(module_map()) == package_modules()


def test_the_module_map_names_only_known_layers():
    assert set(module_map().values()) <= set(RANKS)


def test_every_module_imports_along_the_layers():
    layers = module_map()
    broken = set()
    for module, layer in layers.items():
        if module.endswith('/'):
            continue
        for target in imports_of(module)[0]:
            target_layer = layers[target]
            sideways = layer in SIDES and target_layer in SIDES and layer != target_layer
            if RANKS[target_layer] > RANKS[layer] or sideways:
                broken.add((module, target))
    assert broken == KNOWN_EXCEPTIONS
    text = page('architecture.md')
    for module, target in KNOWN_EXCEPTIONS:
        assert f'`{Path(module).name}` imports `{Path(target).stem}.' in text


def test_nothing_below_the_graphql_layer_imports_graphene():
    layers = module_map()
    below = [
        module
        for module, layer in layers.items()
        if RANKS[layer] < RANKS['graphql'] and module.endswith('.py')
    ]
    assert below and not [module for module in below if imports_of(module)[1] & GRAPHENE]


def reached_from(module: str) -> set[str]:
    """Every gql_djwto module that importing ``module`` imports, itself included."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(imports_of(current)[0])
    return seen


@pytest.mark.parametrize(
    'module', ['gql_djwto/service.py', 'gql_djwto/decorators.py', 'gql_djwto/middleware.py']
)
def test_the_service_and_the_decorators_never_reach_graphene(module):
    reached = reached_from(module)
    assert 'gql_djwto/tokens.py' in reached  # the walk did follow the imports
    assert [found for found in reached if imports_of(found)[1] & GRAPHENE] == []


def test_the_site_check_finds_what_a_page_loads_from_another_host():
    html = (
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<link rel="icon" href="../assets/images/favicon.png">'
        '<script src="https://unpkg.com/mermaid@11/dist/mermaid.min.js"></script>'
        '<script src="../assets/mermaid/mermaid.min.js"></script>'
        '<img alt="" src="//cdn.example.com/logo.png">'
        '<a href="https://github.com/">a link is not a load</a>'
    )
    assert outside_loads(html) == [
        'https://fonts.googleapis.com/css?family=Roboto',
        'https://unpkg.com/mermaid@11/dist/mermaid.min.js',
        '//cdn.example.com/logo.png',
    ]


def test_the_site_check_wants_the_sites_own_mermaid_beside_each_diagram(tmp_path):
    diagram = '<pre class="mermaid"><code>sequenceDiagram</code></pre>'
    (tmp_path / 'modes').mkdir()
    (tmp_path / 'modes' / 'index.html').write_text(diagram)
    (tmp_path / 'index.html').write_text('<p>no diagram</p>')
    assert check_site(tmp_path) == [
        f'{tmp_path / SCRIPT} is missing',
        f'modes/index.html has a diagram but does not load {SCRIPT}',
    ]
    (tmp_path / SCRIPT).parent.mkdir(parents=True)
    (tmp_path / SCRIPT).write_text('')
    (tmp_path / 'modes' / 'index.html').write_text(f'{diagram}<script src="../{SCRIPT}"></script>')
    assert check_site(tmp_path) == []


def test_mkdocs_serves_mermaid_and_the_system_fonts_from_the_site():
    config = (REPO / 'mkdocs.yml').read_text()
    assert f'extra_javascript:\n  - {SCRIPT}\n' in config
    assert 'font: false' in config  # else Material loads Roboto from Google Fonts
