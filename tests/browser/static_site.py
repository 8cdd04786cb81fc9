"""A folder served over HTTP on a free loopback port, in a thread, for pages Chromium opens."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticSite:
    """``directory`` served on a free loopback port, in a thread, named by ``host``."""

    def __init__(
        self, directory: Path, host: str = 'localhost', handler: type[SimpleHTTPRequestHandler] = QuietHandler
    ) -> None:
        self.server = ThreadingHTTPServer(
            ('127.0.0.1', 0), functools.partial(handler, directory=str(directory))
        )
        self.host = host
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f'http://{self.host}:{self.server.server_address[1]}'

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
