"""gql_djwto's message catalogues (gql_djwto/locale), read as gettext writes them.

A reader of the .po format small enough to check by eye: entries are
separated by blank lines, strings are C-quoted (the escapes Python reads),
``#,`` lines carry flags and ``#~`` marks an obsolete entry.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import gql_djwto

LOCALE = Path(gql_djwto.__file__).resolve().parent / 'locale'
# The languages gql_djwto ships, as directory names (Django's language codes: pt-br for pt_BR).
LANGUAGES = ('de', 'es', 'fr', 'pt_BR', 'ja')


@dataclass
class Entry:
    msgid: str = ''
    plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str | tuple[str, str]:
        """What the code marks: the text, or (singular, plural) for ngettext."""
        return self.msgid if self.plural is None else (self.msgid, self.plural)


def _string(quoted: str) -> str:
    return ast.literal_eval(quoted) if quoted else ''


def read_po(path: Path) -> list[Entry]:
    """Return the entries of the .po file at ``path``, the header (msgid "") first."""
    entries = []
    for block in path.read_text(encoding='utf-8').strip().split('\n\n'):
        entry, current = Entry(), None
        for raw_line in block.splitlines():
            line = raw_line
            if line.startswith('#~'):
                entry.obsolete, line = True, line[2:].lstrip()
            if line.startswith('#,'):
                entry.flags.update(flag.strip() for flag in line[2:].split(','))
                continue
            if line.startswith('#'):
                continue
            match = re.fullmatch(r'(msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")', line)
            if match:
                current = match.group(1)
                if current.startswith('msgstr'):
                    entry.msgstr.append('')
                line = match.group(2)
            text = _string(line)
            if current == 'msgid':
                entry.msgid += text
            elif current == 'msgid_plural':
                entry.plural = (entry.plural or '') + text
            else:
                entry.msgstr[-1] += text
        entries.append(entry)
    return entries


def po_path(language: str) -> Path:
    return LOCALE / language / 'LC_MESSAGES' / 'django.po'


def header(entries: list[Entry]) -> dict[str, str]:
    """The header's fields (Language, Plural-Forms, ...)."""
    assert entries[0].msgid == '', 'the header comes first'
    lines = entries[0].msgstr[0].splitlines()
    return dict(line.split(': ', 1) for line in lines if ': ' in line)


def messages(entries: list[Entry]) -> list[Entry]:
    """The translatable entries: no header, no obsolete entry."""
    return [entry for entry in entries if entry.msgid and not entry.obsolete]
