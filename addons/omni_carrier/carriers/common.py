"""What the three wire clients share: errors, results, redacted logging, the HTTP session."""

import dataclasses
import logging
import re

import requests

_logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds: never None
SECRET_KEYS = re.compile(r"pass(word)?|secret|token|authorization|api[-_]?key|signature", re.I)


class CarrierError(Exception):
    """A carrier refused or failed a call.

    :param retryable: the same call may succeed later (carrier down, rate limit)
    :param ambiguous: the carrier may have done the work although we got no answer (timeout);
        a create must then be reconciled, never blindly repeated
    """

    def __init__(
        self,
        message,
        code=None,
        http_status=None,
        retryable=False,
        ambiguous=False,
        retry_after=None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.retryable = retryable or ambiguous
        self.ambiguous = ambiguous
        self.retry_after = retry_after

    def __str__(self):
        return f"{self.message} [{self.code}]" if self.code else self.message


class CarrierAuthError(CarrierError):
    """Credentials refused (after one re-login)."""


@dataclasses.dataclass
class Parcel:
    tracking_number: str
    label: bytes = b""


@dataclasses.dataclass
class ShipmentResult:
    """One shipment as created at the carrier: parcels, the label document(s), a return label."""

    parcels: list
    label: bytes = b""  # one document holding every parcel's label (PDF pages or ZPL blocks)
    label_format: str = "PDF"
    return_tracking_number: str = ""
    return_label: bytes = b""
    warnings: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class TrackingEvent:
    tracking_number: str
    event_id: str
    code: str
    text: str
    time: object  # naive UTC datetime
    location: str = ""


@dataclasses.dataclass
class PickupPoint:
    id: str
    name: str
    street: str
    zip_code: str
    city: str
    country_code: str
    kind: str = "shop"
    latitude: float = 0.0
    longitude: float = 0.0
    distance_km: float = 0.0
    opening_hours: dict = dataclasses.field(default_factory=dict)  # "0".."6" -> ["09:00 - 18:00"]
    number: str = ""  # carrier's short number (Packstation / Filiale number for DHL)


def redact(value):
    """Return a copy of ``value`` (dict/list/str) with secrets replaced by ``***``."""
    if isinstance(value, dict):
        return {k: "***" if SECRET_KEYS.search(str(k)) else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


class HttpClient:
    """Base of the REST clients: one session, explicit timeouts, a Bearer token refreshed once."""

    carrier = "carrier"

    def __init__(self, base_url, timeout=DEFAULT_TIMEOUT, session=None, language="de"):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.language = language
        self._token = None

    # --- to implement ---
    def _login(self):
        raise NotImplementedError

    # --- plumbing ---
    def _send(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        _logger.debug(
            "%s %s %s %s",
            self.carrier,
            method,
            url,
            redact(kwargs.get("json") or kwargs.get("params")),
        )
        try:
            return self.session.request(method, url, **kwargs)
        except requests.Timeout as exc:
            raise CarrierError(
                f"{self.carrier}: no answer within {self.timeout} s",
                code="timeout",
                ambiguous=True,
            ) from exc
        except requests.ConnectionError as exc:
            raise CarrierError(
                f"{self.carrier}: cannot connect ({exc.__class__.__name__})",
                code="connection",
                retryable=True,
            ) from exc

    def _authorized(self, method, path, headers=None, **kwargs):
        """Call with the Bearer token; on 401 log in again once and retry once."""
        for attempt in (1, 2):
            if not self._token:
                self._token = self._login()
            all_headers = dict(headers or {}, Authorization=f"Bearer {self._token}")
            response = self._send(method, self.base_url + path, headers=all_headers, **kwargs)
            if response.status_code != 401 or attempt == 2:
                return response
            _logger.info("%s: token refused, logging in again", self.carrier)
            self._token = None
        return response

    def _raise_transport(self, response):
        """Raise for statuses that are about the transport, not the business."""
        status = response.status_code
        if status == 401:
            raise CarrierAuthError(f"{self.carrier}: access denied", code="401", http_status=401)
        if status == 429:
            retry_after = float(response.headers.get("Retry-After") or 30)
            raise CarrierError(
                f"{self.carrier}: rate limit reached",
                code="429",
                http_status=429,
                retryable=True,
                retry_after=retry_after,
            )
        if status >= 500:
            raise CarrierError(
                f"{self.carrier}: service unavailable (HTTP {status})",
                code=str(status),
                http_status=status,
                retryable=True,
            )
