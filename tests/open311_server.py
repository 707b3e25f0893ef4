"""A party's own Open311 GeoReport v2 system on loopback (http.server in a thread), for the
tests of sending reports there and pulling its updates back.

- `POST {root}/requests.json` keeps each form it gets (`posts`) and answers a
  service_request_id, or a token when `answer_tokens` is set; `fail_next` answers the next N
  with a 500 and the spec's errors list; `refuse_with` answers every one with a 400 and that
  description. A POST with an Idempotency-Key seen before is answered the request made then
  (as our own POST requests does); `delay_next` answers the next POST that many seconds
  late (after making the request: a client that timed out never saw it), and
  `answer_padding` pads every answer with that many bytes.
- `GET {root}/tokens/{token}.json` answers the token and, once `create_pending()` made it,
  the service_request_id.
- `GET {root}/servicerequestupdates.json` answers the `updates` whose updated_datetime lies
  within start_date..end_date (one without an offset read in Helsinki time).
Every GET's query is kept (`gets`), and a request without the right api_key is refused (403).
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from tests.local_servers import LoopbackHttpServer

ROOT = "/city/open311/v2"
LOCAL = ZoneInfo("Europe/Helsinki")


@dataclass(frozen=True)
class Post:
    form: dict[str, str]
    answered: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Open311Server:
    api_key: str = "their-secret-key"
    answer_tokens: bool = False
    fail_next: int = 0
    refuse_with: str | None = None
    delay_next: float = 0.0
    answer_padding: int = 0
    posts: list[Post] = field(default_factory=list)
    gets: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[str, str | None] = field(default_factory=dict)
    by_idempotency_key: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._loopback = LoopbackHttpServer(self._handler(), "open311-server")

    @property
    def url(self) -> str:
        return f"{self._loopback.origin}{ROOT}"

    def start(self) -> Open311Server:
        self._loopback.start()
        return self

    def stop(self) -> None:
        self._loopback.stop()

    def taken(self) -> list[Post]:
        return [post for post in self.posts if post.answered == 201]

    def create_pending(self) -> None:
        """The requests answered with a token get their ids (as a queue would)."""
        with self._lock:
            for number, token in enumerate(self.tokens, start=1):
                self.tokens[token] = self.tokens[token] or f"SR-T{number}"

    def _post(self, form: dict[str, str], headers: dict[str, str]) -> tuple[int, Any]:
        with self._lock:
            key = headers.get("Idempotency-Key")
            if key in self.by_idempotency_key:
                status, body = 200, self.by_idempotency_key[key]
            elif form.get("api_key") != self.api_key:
                status, body = 403, [{"code": 403, "description": "Invalid api_key"}]
            elif self.fail_next > 0:
                self.fail_next -= 1
                status, body = 500, [{"code": 500, "description": "Database unavailable"}]
            elif self.refuse_with is not None:
                status, body = 400, [{"code": 400, "description": self.refuse_with}]
            else:
                status, body = 201, self._created(len(self.taken()) + 1)
                if key:
                    self.by_idempotency_key[key] = body
            self.posts.append(Post(form, status, headers))
            delay, self.delay_next = self.delay_next, 0.0
        time.sleep(delay)
        return status, body

    def _created(self, number: int) -> list[dict[str, str]]:
        if self.answer_tokens:
            token = f"tok-{number}"
            self.tokens[token] = None
            return [{"token": token, "service_notice": "Queued"}]
        return [{"service_request_id": f"SR-{number}", "service_notice": "Thank you"}]

    def _get(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        with self._lock:
            self.gets.append((path, query))
            if query.get("api_key") != self.api_key:
                return 403, [{"code": 403, "description": "Invalid api_key"}]
            if path.startswith(f"{ROOT}/tokens/") and path.endswith(".json"):
                token = path[len(f"{ROOT}/tokens/"):-len(".json")]
                if token not in self.tokens:
                    return 404, [{"code": 404, "description": "No such token"}]
                return 200, [{"token": token, "service_request_id": self.tokens[token]}]
            if path == f"{ROOT}/servicerequestupdates.json":
                start = datetime.fromisoformat(query["start_date"])
                end = datetime.fromisoformat(query["end_date"])
                found = [u for u in self.updates if start <= _aware(u["updated_datetime"]) <= end]
                return 200, {"service_request_updates": found}
        return 404, [{"code": 404, "description": "Not found"}]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = {key: values[-1] for key, values in parse_qs(raw).items()}
                if urlsplit(self.path).path != f"{ROOT}/requests.json":
                    self._answer(404, [{"code": 404, "description": "Not found"}])
                    return
                self._answer(*server._post(form, dict(self.headers.items())))

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
                self._answer(*server._get(parts.path, query))

            def _answer(self, status: int, body: Any) -> None:
                if server.answer_padding and isinstance(body, list) and body:
                    body = [{**body[0], "padding": "x" * server.answer_padding}, *body[1:]]
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass  # quiet: the test reads `posts` and `gets`

        return Handler


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL)
