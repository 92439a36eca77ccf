"""HTTP(S) probe: status code, optional keyword, and TLS certificate expiry."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
import math
import re
import ssl
import time
from typing import Any

import aiohttp
from cryptography import x509
from yarl import URL

from . import ProbeOutcome, failed
from .tcp import describe_os_error, is_valid_host

METHODS = ("GET", "HEAD", "POST")
DEFAULT_STATUS: tuple[tuple[int, int], ...] = ((200, 299),)
MAX_BODY_BYTES = 1024 * 1024
MIN_CERT_EXPIRY_DAYS = 1
MAX_CERT_EXPIRY_DAYS = 365

_STATUS_ITEM = re.compile(r"^(\d{3})(?:\s*-\s*(\d{3}))?$|^([1-5])xx$", re.IGNORECASE)

# Only reads the certificate the HTTP request already checked (or was told not
# to check), so it verifies nothing; building it loads no CA files.
_CERT_READ_CONTEXT = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_CERT_READ_CONTEXT.check_hostname = False
_CERT_READ_CONTEXT.verify_mode = ssl.CERT_NONE


def parse_status_codes(text: str) -> tuple[tuple[int, int], ...]:
    """Parse accepted status codes such as ``"200-299, 301"`` or ``"2xx, 404"``.

    Raises ValueError when the text is empty or a code is outside 100-599.
    """
    ranges: list[tuple[int, int]] = []
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        match = _STATUS_ITEM.match(item)
        if match is None:
            raise ValueError(f"invalid status code {item!r}")
        low_text, high_text, class_digit = match.groups()
        if class_digit is not None:
            low, high = int(class_digit) * 100, int(class_digit) * 100 + 99
        else:
            low = int(low_text)
            high = int(high_text) if high_text is not None else low
        if not 100 <= low <= high <= 599:
            raise ValueError(f"invalid status code range {item!r}")
        ranges.append((low, high))
    if not ranges:
        raise ValueError("no status codes given")
    return tuple(ranges)


def format_status_codes(ranges: tuple[tuple[int, int], ...]) -> str:
    """Return ``ranges`` as text that ``parse_status_codes`` reads back."""
    return ", ".join(
        str(low) if low == high else f"{low}-{high}" for low, high in ranges
    )


def _optional_text(value: Any) -> str | None:
    """Return ``value`` as text, or None when missing or blank."""
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def _optional_days(value: Any) -> int | None:
    """Return a day count, or None when missing or blank; ValueError when invalid."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("days must be a number")
    number = float(value)
    if (
        not number.is_integer()
        or not MIN_CERT_EXPIRY_DAYS <= number <= MAX_CERT_EXPIRY_DAYS
    ):
        raise ValueError(f"invalid day count {value!r}")
    return int(number)


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """What an HTTP target requests and what counts as up."""

    url: str
    method: str = "GET"
    accepted_status: tuple[tuple[int, int], ...] = DEFAULT_STATUS
    keyword: str | None = None
    keyword_absent: bool = False
    verify_ssl: bool = True
    cert_expiry_days: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> HttpSettings:
        """Build settings from a config subentry's data (validated beforehand)."""
        status_text = data.get("accepted_status")
        return cls(
            url=str(data["url"]).strip(),
            method=str(data.get("method") or "GET").upper(),
            accepted_status=(
                parse_status_codes(status_text)
                if isinstance(status_text, str) and status_text.strip()
                else DEFAULT_STATUS
            ),
            keyword=_optional_text(data.get("keyword")),
            keyword_absent=bool(data.get("keyword_absent", False)),
            verify_ssl=bool(data.get("verify_ssl", True)),
            cert_expiry_days=_optional_days(data.get("cert_expiry_days")),
        )

    def status_accepted(self, status: int) -> bool:
        """Return whether ``status`` is one of the accepted codes."""
        return any(low <= status <= high for low, high in self.accepted_status)


def validate(data: Mapping[str, Any]) -> dict[str, str]:
    """Return ``{field: error_key}`` for invalid HTTP settings (empty when valid)."""
    errors: dict[str, str] = {}
    url = data.get("url")
    try:
        parsed = URL(url.strip()) if isinstance(url, str) else None
    except ValueError:
        parsed = None
    if (
        parsed is None
        or parsed.scheme not in ("http", "https")
        or parsed.raw_host is None
        or not is_valid_host(parsed.raw_host)
    ):
        errors["url"] = "invalid_url"
    method = data.get("method", "GET")
    if not isinstance(method, str) or method.upper() not in METHODS:
        errors["method"] = "invalid_method"
    elif method.upper() == "HEAD" and _optional_text(data.get("keyword")) is not None:
        # A HEAD response has no body to search.
        errors["keyword"] = "keyword_with_head"
    status_text = data.get("accepted_status")
    if status_text is not None:
        try:
            if not isinstance(status_text, str):
                raise ValueError("status codes must be text")
            parse_status_codes(status_text)
        except ValueError:
            errors["accepted_status"] = "invalid_status_codes"
    try:
        _optional_days(data.get("cert_expiry_days"))
    except (TypeError, ValueError, OverflowError):
        errors["cert_expiry_days"] = "invalid_cert_expiry_days"
    return errors


def _cert_days_remaining(der: bytes | None) -> int | None:
    """Return whole days until the DER certificate's notAfter (negative once expired)."""
    if not der:
        return None
    try:
        not_after = x509.load_der_x509_certificate(der).not_valid_after_utc
    except ValueError:
        return None
    return math.floor((not_after - datetime.now(UTC)).total_seconds() / 86400)


def _der_of(ssl_object: Any) -> bytes | None:
    """Return the peer certificate (DER) of a TLS connection's SSL object."""
    # binary_form works whether or not the chain was verified; the dict form
    # is empty for unverified connections.
    return (
        ssl_object.getpeercert(binary_form=True)
        if isinstance(ssl_object, ssl.SSLObject)
        else None
    )


def _peer_der_from_response(response: aiohttp.ClientResponse) -> bytes | None:
    """Return the peer certificate from the response's still-open connection."""
    connection = response.connection
    transport = connection.transport if connection is not None else None
    if transport is None:
        return None
    return _der_of(transport.get_extra_info("ssl_object"))


async def _peer_der_by_handshake(url: URL) -> bytes | None:
    """Return the certificate ``url``'s server presents, via a separate handshake.

    Needed when aiohttp has already released the connection (small or empty
    bodies are read along with the headers).
    """
    host, port = url.raw_host, url.port
    if host is None or port is None:
        return None
    try:
        _reader, writer = await asyncio.open_connection(
            host, port, ssl=_CERT_READ_CONTEXT, server_hostname=host
        )
    except OSError:
        return None
    try:
        return _der_of(writer.get_extra_info("ssl_object"))
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _read_bounded(response: aiohttp.ClientResponse) -> str:
    """Return at most MAX_BODY_BYTES of the body, decoded leniently."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_BODY_BYTES:
            break
    body = b"".join(chunks)[:MAX_BODY_BYTES]
    return body.decode(response.charset or "utf-8", errors="replace")


def _describe_client_error(err: aiohttp.ClientError, url: str) -> str:
    """Return a short human-readable text for an aiohttp error."""
    if isinstance(err, aiohttp.ClientConnectorCertificateError):
        cert_error = err.certificate_error
        reason = getattr(cert_error, "verify_message", None) or str(cert_error)
        return f"Certificate error: {reason}"
    if isinstance(err, aiohttp.ClientConnectorSSLError):
        return f"SSL error: {getattr(err.os_error, 'reason', None) or err.os_error}"
    if isinstance(err, aiohttp.ClientConnectorDNSError):
        return f"Cannot resolve host {err.host}"
    if isinstance(err, aiohttp.ClientConnectorError):
        return describe_os_error(err.os_error, err.host)
    if isinstance(err, aiohttp.TooManyRedirects):
        return "Too many redirects"
    if isinstance(err, aiohttp.ClientResponseError):
        # e.g. "Bad status line" when something other than HTTP answers.
        reason = err.message.splitlines()[0].rstrip(":") if err.message else ""
        return (
            f"Invalid HTTP response ({reason})" if reason else "Invalid HTTP response"
        )
    if isinstance(err, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        return f"Invalid URL {url}"
    if isinstance(err, aiohttp.ServerDisconnectedError):
        return "Server disconnected"
    if isinstance(err, aiohttp.ClientPayloadError):
        return "Incomplete response body"
    if isinstance(err, OSError):
        return describe_os_error(err)
    return str(err) or type(err).__name__


def _check_response(
    settings: HttpSettings, status: int, body: str | None, cert_days: int | None
) -> str | None:
    """Return why the response fails the settings' checks, or None."""
    if not settings.status_accepted(status):
        expected = format_status_codes(settings.accepted_status)
        return f"HTTP {status} (expected {expected})"
    if settings.keyword is not None and body is not None:
        found = settings.keyword in body
        if settings.keyword_absent and found:
            return f"Keyword '{settings.keyword}' found"
        if not settings.keyword_absent and not found:
            return f"Keyword '{settings.keyword}' not found"
    if settings.cert_expiry_days is not None and cert_days is not None:
        if cert_days < 0:
            return "Certificate expired"
        if cert_days < settings.cert_expiry_days:
            return (
                f"Certificate expires in {cert_days} days"
                f" (threshold {settings.cert_expiry_days})"
            )
    return None


async def probe(
    settings: HttpSettings,
    session: aiohttp.ClientSession,
    timeout: float,  # noqa: ASYNC109
) -> ProbeOutcome:
    """Request the target URL and check status, keyword and certificate.

    ``timeout`` overrides the session's own request timeout, which may be
    shorter; the caller still bounds the call with ``asyncio.timeout``.
    """
    start = time.perf_counter()
    body: str | None = None
    der: bytes | None = None
    try:
        async with session.request(
            settings.method,
            settings.url,
            allow_redirects=True,
            ssl=settings.verify_ssl,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            elapsed_ms = (time.perf_counter() - start) * 1000
            status = response.status
            final_url = response.url
            if final_url.scheme == "https":
                der = _peer_der_from_response(response)
            if settings.keyword is not None:
                body = await _read_bounded(response)
    except TimeoutError:
        # Timeouts are the caller's to report (TimeoutError is an OSError, and
        # aiohttp's timeout errors are also ClientErrors).
        raise
    except aiohttp.ClientError as err:
        return failed(_describe_client_error(err, settings.url))
    except OSError as err:
        # ssl.SSLError and socket errors raised outside aiohttp's wrappers.
        return failed(describe_os_error(err))

    if final_url.scheme == "https" and der is None:
        der = await _peer_der_by_handshake(final_url)
    cert_days = _cert_days_remaining(der)
    error = _check_response(settings, status, body, cert_days)
    return ProbeOutcome(
        success=error is None,
        error=error,
        response_time_ms=elapsed_ms,
        cert_days_remaining=cert_days,
    )
