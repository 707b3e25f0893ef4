"""The HTTP GET of a client system's media_url, its rules held at the socket.

- A host name is resolved once, within the deadline, its addresses checked (every one must
  be public unless private hosts are allowed), and the connection made to a checked
  address, whose peer is checked again once connected: a name that answers a public
  address to a check and a loopback one to the connect (DNS rebinding) never reaches the
  loopback host. The Host header, and TLS's SNI and certificate check, still use the URL's
  name.
- One deadline holds for the whole answer, headers and body: at the deadline a watchdog
  shuts the connection's socket, so a host that trickles a byte now and then cannot keep
  the job waiting (a socket's timeout only bounds the wait between two bytes).
- No proxy from the environment, no credentials from the URL: nothing but the GET itself.
"""
from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from typing import Any

import certifi
from urllib3 import HTTPConnectionPool, HTTPResponse, HTTPSConnectionPool, Timeout
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError, NewConnectionError
from urllib3.util import parse_url
from urllib3.util.connection import create_connection

SCHEMES = ("http", "https")
CHUNK_BYTES = 64 * 1024
USER_AGENT = "feedbackgis-open311-media/1"


class MediaUnavailable(Exception):
    """The host could not give the photo now; the job is retried."""


class MediaRefused(Exception):
    """The URL will never give a photo we take."""


class Deadline:
    """The time left for one download; when it runs out, its sockets are shut."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def left(self) -> float:
        return max(self.at - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if not self.expired:
                self._sockets.append(sock)
                return
        sock.close()
        raise MediaUnavailable("the answer took too long")

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):  # closed already
                    sock.shutdown(socket.SHUT_RDWR)  # wakes a recv blocked in another thread


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


def resolved_addresses(host: str, port: int, seconds: float) -> list[str]:
    """The host's addresses, resolved once and within `seconds`: a DNS server that never
    answers cannot hold the job past its deadline. getaddrinfo cannot be interrupted, so it
    runs in a daemon thread, left to finish on its own when the time is up."""
    found: list[Any] = []
    failed: list[BaseException] = []

    def look_up() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            failed.append(exc)

    lookup = threading.Thread(target=look_up, name="media-url-lookup", daemon=True)
    lookup.start()
    lookup.join(seconds)
    if lookup.is_alive():
        raise MediaUnavailable("the host name did not resolve in time")
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if failed or not addresses:
        raise MediaUnavailable("the host name does not resolve")
    return addresses


def public_addresses(host: str, port: int, seconds: float) -> list[str]:
    """resolved_addresses, refused when any of them is not public."""
    addresses = resolved_addresses(host, port, seconds)
    if not all(is_public(address) for address in addresses):
        raise MediaRefused("the host is on a private or local address")
    return addresses


class _CheckedConnection:
    """Mixed into urllib3's connections: the socket is made under the download's rules."""

    def __init__(self, *args: Any, private_hosts: bool, deadline: Deadline,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._private_hosts = private_hosts
        self._deadline = deadline

    def _new_conn(self) -> socket.socket:
        sock = self._connect_checked()
        self._deadline.watch(sock)
        return sock

    def _connect_checked(self) -> socket.socket:
        failure: OSError | None = None
        left = self._deadline.left()
        addresses = (resolved_addresses(self._dns_host, self.port, left) if self._private_hosts
                     else public_addresses(self._dns_host, self.port, left))
        for address in addresses:
            try:
                sock = create_connection((address, self.port),
                                         min(self.timeout, self._deadline.left()),
                                         source_address=self.source_address,
                                         socket_options=self.socket_options)
            except OSError as exc:
                failure = exc
                continue
            if not self._private_hosts and not is_public(sock.getpeername()[0]):
                sock.close()
                raise MediaRefused("the host is on a private or local address")
            return sock
        raise NewConnectionError(self, f"Failed to establish a new connection: {failure}")


class _HTTPConnection(_CheckedConnection, HTTPConnection):
    pass


class _HTTPSConnection(_CheckedConnection, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def get(url: str, *, timeout: float, private_hosts: bool, deadline: Deadline) -> HTTPResponse:
    """The answer's headers (the body not read yet), redirects not followed. The caller
    closes the answer."""
    try:
        parts = parse_url(url)
    except HTTPError:
        raise MediaRefused("not an http or https URL") from None
    if parts.scheme not in SCHEMES or not parts.host:
        raise MediaRefused("not an http or https URL")
    pool_kw: dict[str, Any] = {"private_hosts": private_hosts, "deadline": deadline}
    if parts.scheme == "https":
        pool_kw.update(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
    pool_cls = _HTTPSPool if parts.scheme == "https" else _HTTPPool
    pool = pool_cls(parts.host, parts.port, maxsize=1, retries=False,
                    timeout=Timeout(connect=min(timeout, deadline.left()), read=timeout),
                    **pool_kw)
    try:
        return pool.urlopen("GET", parts.request_uri, headers={"User-Agent": USER_AGENT},
                            redirect=False, retries=False, preload_content=False)
    except (HTTPError, OSError) as exc:
        raise _failure(deadline, f"no answer ({type(exc).__name__})") from None
    finally:
        pool.close()  # the answer keeps its own connection until it is closed


def read_body(response: HTTPResponse, max_bytes: int, deadline: Deadline) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise MediaRefused(f"larger than {max_bytes:,} bytes")
    data = bytearray()
    try:
        for chunk in response.stream(CHUNK_BYTES):
            data += chunk
            if len(data) > max_bytes:
                raise MediaRefused(f"larger than {max_bytes:,} bytes")
    except (HTTPError, OSError) as exc:
        raise _failure(deadline, f"the answer broke off ({type(exc).__name__})") from None
    if deadline.expired:  # a shut socket reads as the end of an answer without a length
        raise MediaUnavailable("the answer took too long")
    return bytes(data)


def _failure(deadline: Deadline, reason: str) -> MediaUnavailable:
    return MediaUnavailable("the answer took too long" if deadline.expired else reason)
