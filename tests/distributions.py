"""The sdist and wheel built from a copy of this source tree, as `python -m build` would build them.

The copy holds the files git would commit (tracked, or new and not
ignored); in an unpacked sdist, which has no git, the files its
``gql_djwto.egg-info/SOURCES.txt`` lists.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from email.message import Message
from email.parser import Parser
from pathlib import Path

from .processes import REPO

SOURCES = REPO / 'gql_djwto.egg-info' / 'SOURCES.txt'


def source_files(root: Path = REPO) -> set[str]:
    """The names, relative to ``root``, of the files the distributions are built from."""
    if (root / '.git').exists():
        listed = subprocess.run(
            ['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode()
        names = listed.split('\0')
    else:
        names = (root / SOURCES.relative_to(REPO)).read_text(encoding='utf-8').splitlines()
    return {name for name in names if name and (root / name).is_file()}


@dataclass(frozen=True)
class Distributions:
    sources: frozenset[str]  # what the build was given
    sdist: frozenset[str]  # names inside the sdist, without its top folder
    wheel: frozenset[str]
    sdist_metadata: Message  # PKG-INFO
    wheel_metadata: Message  # METADATA


def build(workdir: Path) -> Distributions:
    """Copy the source files into ``workdir``, build the sdist and wheel there, and read them."""
    source, dist = workdir / 'source', workdir / 'dist'
    sources = source_files()
    for name in sources:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, source / name)
    dist.mkdir()
    backend = (
        'from setuptools import build_meta as backend; '
        f'backend.build_sdist({str(dist)!r}); backend.build_wheel({str(dist)!r})'
    )
    done = subprocess.run(
        [sys.executable, '-c', backend], cwd=source, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    [sdist], [wheel] = dist.glob('*.tar.gz'), dist.glob('*.whl')
    with tarfile.open(sdist) as tar:
        in_sdist = {member.name.split('/', 1)[1] for member in tar.getmembers() if member.isfile()}
        top = tar.getnames()[0].split('/')[0]
        pkg_info = tar.extractfile(f'{top}/PKG-INFO').read().decode()
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
        [metadata] = [name for name in in_wheel if name.endswith('.dist-info/METADATA')]
        wheel_metadata = archive.read(metadata).decode()
    return Distributions(
        sources=frozenset(sources),
        sdist=frozenset(in_sdist),
        wheel=frozenset(in_wheel),
        sdist_metadata=Parser().parsestr(pkg_info),
        wheel_metadata=Parser().parsestr(wheel_metadata),
    )
