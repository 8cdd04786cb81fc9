"""A per-process copy of the Redis revocation cache that Redis itself keeps current.

Asking Redis on every request costs a network round trip, more than the
rest of a ``verify``. With Django's RedisCache as DJWTO_REVOCATION_CACHE,
each process keeps the entries it has read, and Redis tells it the moment
any of them is written, expires or is flushed (server-assisted client-side
caching: ``CLIENT TRACKING ... BCAST PREFIX``, on one connection of its own
subscribed to ``__redis__:invalidate``). That connection is read, without
waiting, before every lookup: Redis sends the invalidation before the
revoking server hears its write succeed, so a revocation through one server
is refused through any other by the next request either receives.

While the connection is not known to be healthy (not yet open, closed by
Redis, silent to a PING for PING_TIMEOUT) the copy is dropped and every
lookup asks Redis, as without tracking. A Redis that refuses tracking (an
ACL, a proxy, an old server) is logged once and asked every time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from typing import Any

from .redis_protocol import Incomplete, RedisError, encode, parse

logger = logging.getLogger('gql_djwto')

CHANNEL = b'__redis__:invalidate'
# The tracking connection's name in Redis's CLIENT LIST.
CLIENT_NAME = 'gql_djwto-revocation-tracking'
# Entries kept per process; past it the copy starts again empty.
MAX_ENTRIES = 50_000
# Seconds between PINGs on the tracking connection, and without a PONG before it counts as lost.
PING_INTERVAL = 1.0
PING_TIMEOUT = 2.0
# Seconds to wait for the tracking connection when the cache's OPTIONS set no connect timeout.
CONNECT_TIMEOUT = 1.0
# Seconds before a lost connection is opened again.
RETRY_AFTER = 5.0


class Tracker:
    """The entries one process has read from one Redis, dropped as Redis reports them changed."""

    def __init__(self, connection_class: type, connection_kwargs: dict[str, Any], prefix: str) -> None:
        self.client_id: int | None = None  # the tracking connection's, in Redis's CLIENT LIST
        self._connection_class = connection_class
        self._connection_kwargs = connection_kwargs
        self._prefix = prefix
        self._lock = threading.Lock()
        self._entries: dict[str, Any] = {}
        self._epoch = 0  # bumped by every invalidation: a read that crossed one is not kept
        self._connection: Any = None
        self._socket: socket.socket | None = None
        self._buffer = b''
        self._retry_at = 0.0
        self._refused = False  # Redis refused tracking: ask it every time, for good
        self._ping_sent_at = 0.0
        self._pong_due = False

    def lookup(self, keys: Sequence[str]) -> tuple[dict[str, Any] | None, int | None]:
        """Return the entries of ``keys`` if all are known and current, else (None, epoch).

        The epoch (None while untracked) is handed back to ``remember``.
        """
        with self._lock:
            if not self._current():
                return None, None
            entries = self._entries
            if all(key in entries for key in keys):
                return {key: entries[key] for key in keys}, self._epoch
            return None, self._epoch

    def remember(self, values: dict[str, Any], epoch: int | None) -> None:
        """Keep ``values`` read from Redis, unless an invalidation arrived since ``lookup``."""
        if epoch is None:
            return
        with self._lock:
            if not self._current() or self._epoch != epoch:
                return
            if len(self._entries) + len(values) > MAX_ENTRIES:
                self._entries.clear()
            self._entries.update(values)

    def forget(self, key: str) -> None:
        """Drop ``key`` now: this process wrote it (Redis's own word may still be on its way)."""
        with self._lock:
            self._entries.pop(key, None)
            self._epoch += 1

    def after_fork(self) -> None:
        """In a forked child: the parent's socket and lock are not its own."""
        self._lock = threading.Lock()
        self._connection = self._socket = self.client_id = None
        self._buffer = b''
        self._entries.clear()
        self._retry_at = 0.0

    def close(self) -> None:
        """Close the tracking connection and drop the copy."""
        with self._lock:
            self._lose()

    # Below: called with the lock held.

    def _current(self) -> bool:
        """Read what Redis has sent; return whether the copy can be trusted."""
        if self._socket is None and not self._open():
            return False
        now = time.monotonic()
        if not self._drain():
            return False
        if self._pong_due and now - self._ping_sent_at > PING_TIMEOUT:
            logger.warning(
                'Revocation cache: Redis did not answer a PING on the tracking connection; '
                'asking it on every request until it is opened again.'
            )
            self._lose()
            return False
        if not self._pong_due and now - self._ping_sent_at >= PING_INTERVAL:
            sock = self._socket
            if sock is None:  # lost while draining
                return False
            try:
                sock.sendall(encode('PING'))
            except OSError:
                self._lose()
                return False
            self._ping_sent_at, self._pong_due = now, True
        return True

    def _open(self) -> bool:
        if self._refused or time.monotonic() < self._retry_at:
            return False
        self._buffer = b''
        connection = None
        try:
            try:  # RESP2 (redis-py 5+ may default to RESP3, whose invalidations come as pushes)
                connection = self._connection_class(**self._connection_kwargs, protocol=2)
            except TypeError:  # a redis-py without the protocol option speaks RESP2 only
                connection = self._connection_class(**self._connection_kwargs)
            connection.connect()  # redis-py's handshake: TLS, AUTH, SELECT, as the cache's clients
            sock = connection._sock
            sock.settimeout(self._connection_kwargs.get('socket_timeout') or 5.0)
            sock.sendall(encode('CLIENT', 'ID'))
            client_id = self._reply(sock)
            sock.sendall(encode('CLIENT', 'SETNAME', CLIENT_NAME))
            self._reply(sock)
            sock.sendall(
                encode('CLIENT', 'TRACKING', 'ON', 'REDIRECT', client_id, 'BCAST', 'PREFIX', self._prefix)
                + encode('SUBSCRIBE', CHANNEL)
            )
            self._reply(sock)  # +OK
            self._reply(sock)  # the subscription
            sock.setblocking(False)
        except RedisError as error:
            self._refused = True
            logger.warning(
                'Revocation cache: Redis refused client-side caching (%s); asking it on every request.', error
            )
            if connection is not None:
                connection.disconnect()
            return False
        except Exception as error:  # noqa: BLE001 - whatever redis-py's connect raises, OSError included
            self._retry_at = time.monotonic() + RETRY_AFTER
            logger.warning(
                'Revocation cache: could not open the tracking connection (%s: %s); asking '
                'Redis on every request for now.',
                type(error).__name__,
                error,
            )
            if connection is not None:
                connection.disconnect()
            return False
        self._connection, self._socket, self.client_id = connection, sock, client_id
        self._entries.clear()
        self._epoch += 1
        self._ping_sent_at, self._pong_due = time.monotonic(), False
        return True

    def _reply(self, sock: socket.socket) -> Any:
        """Read the next reply, waiting for it (during the opening only)."""
        while True:
            try:
                reply, at = parse(self._buffer, 0)
            except Incomplete:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError('Redis closed the connection') from None
                self._buffer += chunk
                continue
            self._buffer = self._buffer[at:]
            if isinstance(reply, RedisError):
                raise reply
            return reply

    def _drain(self) -> bool:
        """Apply every message Redis has sent; False if the connection was lost."""
        sock = self._socket
        if sock is None:
            return False
        while True:
            try:
                chunk = sock.recv(65536)
            except (BlockingIOError, ssl.SSLWantReadError):
                break
            except OSError:
                chunk = b''
            if not chunk:
                logger.warning(
                    'Revocation cache: Redis closed the tracking connection; asking it on '
                    'every request until it is opened again.'
                )
                self._lose()
                return False
            self._buffer += chunk
        at = 0
        while at < len(self._buffer):
            try:
                message, at = parse(self._buffer, at)
            except Incomplete:
                break
            self._apply(message)
        self._buffer = self._buffer[at:]
        return True

    def _apply(self, message: Any) -> None:
        if not isinstance(message, list) or not message:
            return
        if message[0] == b'message' and message[1] == CHANNEL:
            keys = message[2]
            self._epoch += 1
            if keys is None:  # FLUSHDB / FLUSHALL
                self._entries.clear()
            else:
                for key in keys:
                    self._entries.pop(key.decode('utf-8', 'surrogateescape'), None)
        elif message[0] == b'pong':
            self._pong_due = False

    def _lose(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection: nothing to save
                self._connection.disconnect()
        self._connection = self._socket = self.client_id = None
        self._buffer = b''
        self._entries.clear()
        self._epoch += 1
        self._retry_at = time.monotonic() + RETRY_AFTER


# The pool's options a connection of our own takes: where Redis is and how to log in; not
# the pool's own machinery (redis-py 8's maintenance notifications need RESP3).
CONNECTION_OPTIONS = frozenset(
    {
        'host',
        'port',
        'path',
        'db',
        'username',
        'password',
        'credential_provider',
        'socket_timeout',
        'socket_connect_timeout',
        'socket_keepalive',
        'socket_keepalive_options',
        'socket_type',
        'retry_on_timeout',
        'encoding',
        'encoding_errors',
    }
)


def _is_connection_option(name: str) -> bool:
    return name in CONNECTION_OPTIONS or name.startswith('ssl')


_trackers: dict[tuple[Any, ...], Tracker] = {}
_trackers_lock = threading.Lock()


def tracker_for(pool: Any, prefix: str) -> Tracker:
    """The process's tracker of the Redis behind ``pool``, for keys beginning with ``prefix``."""
    kwargs = {key: value for key, value in pool.connection_kwargs.items() if _is_connection_option(key)}
    # Opened under the tracker's lock: an unreachable Redis must not hold every request for minutes.
    if not kwargs.get('socket_connect_timeout'):
        kwargs['socket_connect_timeout'] = CONNECT_TIMEOUT
    identity = (pool.connection_class, tuple(sorted((k, repr(v)) for k, v in kwargs.items())), prefix)
    tracker = _trackers.get(identity)
    if tracker is None:
        with _trackers_lock:
            tracker = _trackers.setdefault(identity, Tracker(pool.connection_class, kwargs, prefix))
    return tracker


def _after_fork() -> None:
    global _trackers_lock  # noqa: PLW0603 - a lock held in the parent at fork is never released in the child
    _trackers_lock = threading.Lock()
    for tracker in _trackers.values():
        tracker.after_fork()


os.register_at_fork(after_in_child=_after_fork)
