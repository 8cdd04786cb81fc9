"""The npm tarball extraction of scripts/vendor_graphiql.py (and the browser tests): regular files only, never outside its folder, on any Python."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from scripts.vendor_graphiql import extract_files


def tarball(*members: tarfile.TarInfo, data: bytes = b'console.log(1)\n') -> tarfile.TarFile:
    """An in-memory tar holding ``members``; regular files get ``data``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w') as tar:
        for member in members:
            if member.isfile():
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
            else:
                tar.addfile(member)
    buffer.seek(0)
    return tarfile.open(fileobj=buffer)


def member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = '') -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info


def test_extracts_an_npm_tarballs_files_and_folders(tmp_path):
    with tarball(member('package', tarfile.DIRTYPE), member('package/dist/index.js')) as tar:
        extract_files(tar, tmp_path)
    assert (tmp_path / 'package' / 'dist' / 'index.js').read_bytes() == b'console.log(1)\n'


@pytest.mark.parametrize(
    'hostile',
    [
        member('../escaped.js'),
        member('package/../../escaped.js'),
        member('/tmp/absolute.js'),
        member('package/link.js', tarfile.SYMTYPE, '/etc/passwd'),
        member('package/hard.js', tarfile.LNKTYPE, 'package/index.js'),
        member('package/fifo', tarfile.FIFOTYPE),
        member('package/device', tarfile.CHRTYPE),
    ],
    ids=['parent', 'parent-after-folder', 'absolute', 'symlink', 'hardlink', 'fifo', 'device'],
)
def test_refuses_the_whole_tarball_for_a_member_that_is_not_a_plain_file_inside(tmp_path, hostile):
    target = tmp_path / 'staging'
    with tarball(member('package/index.js'), hostile) as tar, pytest.raises(tarfile.TarError):
        extract_files(tar, target)
    assert not target.exists() or not any(target.rglob('*'))
    assert not (tmp_path / 'escaped.js').exists()
    assert not Path('/tmp/absolute.js').exists()
