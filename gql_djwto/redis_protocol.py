"""The little of Redis's protocol (RESP2) the revocation tracking connection speaks.

redis-py opens the connection (TLS, AUTH, SELECT, as the cache's own
clients do); what comes after, a subscription read without waiting, is
read with these, since redis-py's readers block.
"""

from __future__ import annotations

from typing import Any


class Incomplete(Exception):
    """The buffer ends inside a reply."""


class RedisError(Exception):
    """Redis answered an error reply."""


def encode(*parts: Any) -> bytes:
    """Return the command ``parts`` as Redis reads one: an array of bulk strings."""
    out = [b'*%d\r\n' % len(parts)]
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(data), data))
    return b''.join(out)


def parse(buffer: bytes, at: int) -> tuple[Any, int]:
    """Read one RESP2 reply from ``buffer`` at ``at``; return it and where the next begins."""
    end = buffer.find(b'\r\n', at)
    if end < 0:
        raise Incomplete
    kind, line = buffer[at : at + 1], buffer[at + 1 : end]
    at = end + 2
    if kind == b'+':
        return line, at
    if kind == b'-':
        return RedisError(line.decode(errors='replace')), at
    if kind == b':':
        return int(line), at
    if kind == b'$':
        size = int(line)
        if size < 0:
            return None, at
        if len(buffer) < at + size + 2:
            raise Incomplete
        return buffer[at : at + size], at + size + 2
    if kind == b'*':
        count = int(line)
        if count < 0:
            return None, at
        items = []
        for _ in range(count):
            item, at = parse(buffer, at)
            items.append(item)
        return items, at
    raise ValueError(f'unexpected RESP2 reply type {kind!r}')
