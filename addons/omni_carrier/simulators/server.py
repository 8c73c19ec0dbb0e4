"""HTTP plumbing and shared state of the carrier simulators."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import dhl, dpd, hermes

# Scripted tracking timeline shared by the three carriers: index into each carrier's codes.
TIMELINE = ["created", "picked_up", "in_transit", "out_for_delivery", "delivered"]
SHOP_TIMELINE = ["created", "picked_up", "in_transit", "ready_for_pickup", "delivered"]


class Call:
    __slots__ = ("carrier", "method", "path", "query", "headers", "body", "status", "op")

    def __init__(self, carrier, method, path, query, headers, body):
        self.carrier, self.method, self.path = carrier, method, path
        self.query, self.headers, self.body = query, headers, body
        self.status = None
        self.op = None

    def __repr__(self):
        return f"<Call {self.carrier} {self.method} {self.path} op={self.op} -> {self.status}>"


class Request:
    def __init__(self, method, path, query, headers, body):
        self.method, self.path, self.query, self.headers, self.body = (
            method,
            path,
            query,
            headers,
            body,
        )

    def json(self):
        return json.loads(self.body or b"{}")

    def form(self):
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def arg(self, name, default=None):
        return self.query.get(name, [default])[0]


def reply(status, body=b"", content_type="application/json", headers=None):
    if isinstance(body, dict | list):
        body = json.dumps(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    return status, dict(headers or {}, **{"Content-Type": content_type}), body


class State:
    """In-memory carrier state: tokens, shipments and their scripted tracking timelines."""

    def __init__(self, step_seconds=60.0):
        self.lock = threading.Lock()
        self.step_seconds = step_seconds
        self.tokens = {}  # token -> (carrier, expiry)
        self.refresh_tokens = {}
        self.shipments = {}  # number -> dict
        # seeded from the clock: a restarted simulator does not hand out numbers that a
        # database kept from an earlier run already holds (at most 100 numbers per second)
        self.counter = int(time.time() * 100) % 10**8
        self.timeout_delay = 3.0
        self.calls = []

    # --- tokens ---
    def issue_token(self, carrier, ttl):
        token = uuid.uuid4().hex
        with self.lock:
            self.tokens[token] = (carrier, time.time() + ttl)
        return token

    def token_ok(self, carrier, token):
        entry = self.tokens.get(token or "")
        return bool(entry and entry[0] == carrier and entry[1] > time.time())

    def expire_tokens(self, carrier=None):
        with self.lock:
            for token, (tok_carrier, _expiry) in list(self.tokens.items()):
                if carrier in (None, tok_carrier):
                    self.tokens[token] = (tok_carrier, 0)

    # --- shipments ---
    def next_counter(self):
        with self.lock:
            self.counter = (self.counter + 1) % 10**8
            return self.counter

    def add_shipment(self, number, **values):
        values.setdefault("created", time.time())
        values.setdefault("offset", 0)
        values.setdefault("cancelled", False)
        with self.lock:
            self.shipments[number] = dict(values, number=number)
        return self.shipments[number]

    def step(self, shipment):
        """Index of the shipment's current step on its timeline (time-based + manual offset)."""
        elapsed = (time.time() - shipment["created"]) / self.step_seconds
        timeline = SHOP_TIMELINE if shipment.get("shop") else TIMELINE
        return min(len(timeline) - 1, int(elapsed) + shipment["offset"])

    def events(self, shipment):
        timeline = SHOP_TIMELINE if shipment.get("shop") else TIMELINE
        return [
            (name, shipment["created"] + i * 60)
            for i, name in enumerate(timeline[: self.step(shipment) + 1])
        ]

    def advance(self, number, steps=1):
        """Move a shipment ``steps`` events further on its timeline (tests, demos)."""
        with self.lock:
            self.shipments[number]["offset"] += steps


class Simulator:
    """The three simulators behind one ThreadingHTTPServer (``url`` + ``/dhl`` etc.)."""

    handlers = {"dhl": dhl.handle, "dpd": dpd.handle, "hermes": hermes.handle}

    def __init__(self, host="127.0.0.1", port=0, step_seconds=60.0):
        self.state = State(step_seconds=step_seconds)
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # pylint: disable=redefined-builtin
                return

            def _dispatch(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                carrier, _sep, rest = parts.path.lstrip("/").partition("/")
                headers = {k.lower(): v for k, v in self.headers.items()}
                req = Request(self.command, "/" + rest, parse_qs(parts.query), headers, body)
                call = Call(carrier, self.command, req.path, req.query, headers, body)
                with sim.state.lock:
                    sim.state.calls.append(call)
                handler = sim.handlers.get(carrier)
                try:
                    if handler is None:
                        status, out_headers, out = reply(404, {"title": "Not Found"})
                    else:
                        status, out_headers, out = handler(sim.state, req, call)
                except Exception as exc:  # noqa: BLE001 - a simulator answers 500 like a carrier
                    status, out_headers, out = reply(
                        500, {"title": "Simulator error", "detail": str(exc)}
                    )
                call.status = status
                try:
                    self.send_response(status)
                    for key, value in out_headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                except (BrokenPipeError, ConnectionResetError):
                    call.status = "client gone"

            do_GET = do_POST = do_DELETE = do_PUT = _dispatch

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        self._thread = None

    # --- lifecycle ---
    def serve_forever(self):
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, name="carrier-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- helpers for tests ---
    @property
    def calls(self):
        return self.state.calls

    def calls_for(self, carrier, op=None):
        return [c for c in self.state.calls if c.carrier == carrier and (op is None or c.op == op)]

    def reset_calls(self):
        with self.state.lock:
            self.state.calls.clear()
