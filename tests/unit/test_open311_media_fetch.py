"""The media fetch's rules held at the socket (services/open311/media_fetch), against real
loopback servers with the resolver stubbed only at the DNS edge (socket.getaddrinfo): a name
that answers a public address to the check and loopback to the connect (DNS rebinding) never
reaches the loopback host; one deadline holds for the whole answer however a host trickles
its bytes; a certificate that is not trusted is refused."""
from __future__ import annotations

import datetime
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from config import config_for_tests
from feedbackgis.media import PhotoLimits
from feedbackgis.services.open311.media import (
    MediaRefused,
    MediaSettings,
    MediaUnavailable,
    download,
)

NAME = "photos.example"
PUBLIC = "93.184.216.34"
LIMITS = PhotoLimits.from_config(config_for_tests())


def _settings(timeout: float = 2.0, *, private_hosts: bool = False) -> MediaSettings:
    return MediaSettings(timeout=timeout, private_hosts=private_hosts, limits=LIMITS)


class _Internal(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "13")
        self.end_headers()
        self.wfile.write(b"INTERNAL-DATA")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _serving(tls: ssl.SSLContext | None = None) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Internal)
    server.seen = []  # type: ignore[attr-defined]
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def internal() -> Iterator[ThreadingHTTPServer]:
    """A host on loopback that the fetch must never reach; `seen` lists what it was asked."""
    with _serving() as server:
        yield server


@pytest.fixture
def dns(monkeypatch) -> Callable[[list[str]], list[str]]:
    """Makes NAME answer the given addresses, one lookup after another (the last one from
    then on); returns the list of NAME's lookups."""
    real = socket.getaddrinfo

    def answer_with(addresses: list[str]) -> list[str]:
        lookups: list[str] = []

        def getaddrinfo(host, port, *args, **kwargs):
            if host != NAME:
                return real(host, port, *args, **kwargs)
            lookups.append(host)
            address = addresses[min(len(lookups), len(addresses)) - 1]
            return real(address, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        return lookups

    return answer_with


def test_a_name_that_rebinds_to_loopback_never_reaches_the_loopback_host(internal, dns) -> None:
    lookups = dns([PUBLIC, "127.0.0.1"])
    with pytest.raises((MediaUnavailable, MediaRefused)):
        download(f"http://{NAME}:{internal.server_port}/x.jpg", _settings(1.0))
    assert internal.seen == []
    assert lookups == [NAME]  # resolved once: the address checked is the one connected to


@pytest.mark.parametrize("address", ["127.0.0.1", "::ffff:127.0.0.1"])
def test_a_name_on_a_loopback_address_is_refused(internal, dns, address) -> None:
    dns([address])
    with pytest.raises(MediaRefused, match="private or local"):
        download(f"http://{NAME}:{internal.server_port}/x.jpg", _settings())
    assert internal.seen == []


def _trickling_host(head: bytes) -> tuple[socket.socket, threading.Thread]:
    """A host that sends `head` at once, then a byte every 0.2 s for 6 s."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        peer, _ = listener.accept()
        with peer:
            peer.recv(65536)
            peer.sendall(head)
            for _ in range(30):
                try:
                    peer.sendall(b"x")
                except OSError:  # the fetch gave up
                    return
                time.sleep(0.2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener, thread


@pytest.mark.parametrize("head", [
    b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n",  # the body trickles
    b"HTTP/1.1 200 OK\r\nX-Slow: ",  # the headers never end
], ids=["body", "headers"])
def test_a_trickling_host_is_cut_off_at_the_deadline(head: bytes) -> None:
    listener, thread = _trickling_host(head)
    started = time.monotonic()
    try:
        with pytest.raises(MediaUnavailable, match="took too long"):
            download(f"http://127.0.0.1:{listener.getsockname()[1]}/x.jpg",
                     _settings(1.0, private_hosts=True))
        elapsed = time.monotonic() - started
    finally:
        thread.join(7)
        listener.close()
    assert 0.9 < elapsed < 2.0  # a second of timeout; the trickle would last 6 s


def _self_signed(tmp_path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


def test_an_https_host_with_an_untrusted_certificate_is_not_read(tmp_path) -> None:
    with _serving(_self_signed(tmp_path)) as server:
        with pytest.raises(MediaUnavailable, match="SSLError"):
            download(f"https://localhost:{server.server_port}/x.jpg",
                     _settings(private_hosts=True))
        assert server.seen == []


@pytest.mark.parametrize("private_hosts", [False, True])
def test_a_name_server_that_never_answers_is_given_up_at_the_deadline(monkeypatch,
                                                                      private_hosts) -> None:
    answered = threading.Event()
    real = socket.getaddrinfo

    def hanging(host, port, *args, **kwargs):
        if host != NAME:
            return real(host, port, *args, **kwargs)
        answered.wait(6)  # as a DNS server that does not answer (released after the test)
        return real(PUBLIC, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    started = time.monotonic()
    try:
        with pytest.raises(MediaUnavailable, match="did not resolve in time"):
            download(f"http://{NAME}/x.jpg", _settings(1.0, private_hosts=private_hosts))
        elapsed = time.monotonic() - started
    finally:
        answered.set()
    assert 0.9 < elapsed < 2.0  # a second of timeout; the lookup would have taken 6 s
