"""The server keeps an idle connection open longer than clients' pools keep one, so a client never reuses a
connection the server is closing (`make bench`'s stress run had lost 1-2 of 50 candidates that way)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from tests.conftest import free_port, serving

from interviewer.config import Settings
from interviewer.web import KEEP_ALIVE_S, server

CLIENT_POOL_S = 5.0  # how long httpx keeps an idle connection (its keepalive_expiry default)


def _health(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
    sock.settimeout(10)
    return sock.recv(65536)


def test_an_idle_connection_outlives_a_client_pool(tmp_path: Path) -> None:
    assert KEEP_ALIVE_S > CLIENT_POOL_S
    settings = Settings(data_dir=tmp_path, port=free_port())
    with serving(server(settings)), socket.create_connection((settings.host, settings.port)) as sock:
        assert _health(sock).startswith(b"HTTP/1.1 200")
        time.sleep(CLIENT_POOL_S + 1.0)  # idle past the pool's limit, as a client between two turns
        again = _health(sock)
        assert again.startswith(b"HTTP/1.1 200"), again
