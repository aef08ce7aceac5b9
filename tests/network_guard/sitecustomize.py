"""Block every network connection except loopback, in every Python process.

Put this folder on PYTHONPATH and Python imports this module at start-up
(it is a ``sitecustomize``), so the book build and each notebook kernel it
starts can reach only this machine: kernels talk to Jupyter over loopback
TCP, and anything else is refused with an OSError.  Each refused attempt is
appended to the file named by ``TOOLKIT_NETWORK_GUARD_LOG`` (if set) and
printed to standard error, so a test can assert that nothing tried.

The tests import :func:`install` directly to guard the test process itself.
"""

from __future__ import annotations

import os
import socket
import sys

LOOPBACK_NAMES = {None, "", "localhost", "localhost.localdomain", "ip6-localhost"}


def _is_local(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in LOOPBACK_NAMES:
        return True
    text = str(host).strip("[]").split("%")[0]
    return text.startswith("127.") or text in {"::1", "0.0.0.0", "::"}


def _record(what: str) -> None:
    line = f"BLOCKED network access by pid {os.getpid()}: {what}"
    path = os.environ.get("TOOLKIT_NETWORK_GUARD_LOG")
    if path:
        try:
            with open(path, "a", encoding="utf-8") as log:
                log.write(line + "\n")
        except OSError:
            pass
    print(line, file=sys.stderr)


class NetworkBlocked(OSError):
    """A connection to another machine was attempted while the guard was on."""


def install() -> callable:
    """Refuse non-loopback connections and name lookups; return a function that undoes it."""
    original = {
        "connect": socket.socket.connect,
        "connect_ex": socket.socket.connect_ex,
        "sendto": socket.socket.sendto,
        "create_connection": socket.create_connection,
        "getaddrinfo": socket.getaddrinfo,
    }

    def check(sock: socket.socket | None, address: object) -> None:
        if sock is not None and sock.family not in (socket.AF_INET, socket.AF_INET6):
            return  # AF_UNIX and friends never leave the machine
        host = address[0] if isinstance(address, tuple) and address else address
        if not _is_local(host):
            _record(repr(address))
            raise NetworkBlocked(f"network access to {address!r} is blocked in the tests")

    def connect(self, address):
        check(self, address)
        return original["connect"](self, address)

    def connect_ex(self, address):
        check(self, address)
        return original["connect_ex"](self, address)

    def sendto(self, data, *args):
        check(self, args[-1])
        return original["sendto"](self, data, *args)

    def create_connection(address, *args, **kwargs):
        check(None, address)
        return original["create_connection"](address, *args, **kwargs)

    def getaddrinfo(host, *args, **kwargs):
        check(None, (host,))
        return original["getaddrinfo"](host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    socket.create_connection = create_connection
    socket.getaddrinfo = getaddrinfo

    def uninstall() -> None:
        socket.socket.connect = original["connect"]
        socket.socket.connect_ex = original["connect_ex"]
        socket.socket.sendto = original["sendto"]
        socket.create_connection = original["create_connection"]
        socket.getaddrinfo = original["getaddrinfo"]

    return uninstall


if os.environ.get("TOOLKIT_NETWORK_GUARD", "") == "1":
    install()
