"""The demo's server (and the tests' live servers) send each answer at once on a kept-alive connection."""

from __future__ import annotations

import socket

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from schema_demo.server import NoDelayThreadedWSGIServer, NoDelayWSGIServer


@pytest.mark.parametrize('server_class', [NoDelayWSGIServer, NoDelayThreadedWSGIServer])
def test_each_accepted_connection_has_nagles_algorithm_off(server_class):
    server = server_class(('127.0.0.1', 0), WSGIRequestHandler)
    try:
        with socket.create_connection(server.server_address[:2], timeout=5):
            connection, _ = server.get_request()
            with connection:
                assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        server.server_close()
