"""HTTP(S) probe: status code, optional keyword, and TLS certificate expiry."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import contextlib
from datetime import UTC, datetime
from functools import cache
import math
import ssl
import time
from typing import Any

import aiohttp
from cryptography import x509
from yarl import URL

from ..http_assertions import assertion_problem
from ..settings import HttpSettings
from ..syntax import format_status_codes, parse_status_codes
from . import ProbeOutcome, failed
from .tcp import describe_os_error

__all__ = ["HttpSettings", "format_status_codes", "parse_status_codes", "probe"]

DEFAULT_STATUS: tuple[tuple[int, int], ...] = ((200, 299),)
MAX_BODY_BYTES = 1024 * 1024

# Only reads the certificate the HTTP request already checked (or was told not
# to check), so it verifies nothing; building it loads no CA files.
_CERT_READ_CONTEXT = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_CERT_READ_CONTEXT.check_hostname = False
_CERT_READ_CONTEXT.verify_mode = ssl.CERT_NONE


@cache
def _client_timeout(total: float) -> aiohttp.ClientTimeout:
    """Return the (immutable) request timeout: one per value, not one per check."""
    return aiohttp.ClientTimeout(total=total)


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
    """Return the peer certificate of the connection the response came on.

    aiohttp hands a connection back to its pool as soon as the whole body is
    in, often before the caller sees the response (small bodies arrive with
    the headers): the protocol it came on still holds the open transport.
    """
    connection = response.connection
    protocol = (
        connection.protocol
        if connection is not None
        else getattr(response, "_protocol", None)
    )
    transport = getattr(protocol, "transport", None)
    if transport is None:
        return None
    return _der_of(transport.get_extra_info("ssl_object"))


async def _peer_der_by_handshake(url: URL) -> bytes | None:
    """Return the certificate ``url``'s server presents, via a separate handshake.

    Needed only when the server closed the connection after its answer.
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
    settings: HttpSettings,
    status: int,
    body: str | None,
    cert_days: int | None,
    headers: Mapping[str, str] | None = None,
) -> str | None:
    """Return why the response fails the settings' checks, or None."""
    if not settings.status_accepted(status):
        expected = format_status_codes(settings.accepted_status)
        return f"HTTP {status} (expected {expected})"
    if problem := assertion_problem(settings, body, headers or {}):
        return problem
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
            timeout=_client_timeout(timeout),
        ) as response:
            elapsed_ms = (time.perf_counter() - start) * 1000
            status = response.status
            final_url = response.url
            if final_url.scheme == "https":
                der = _peer_der_from_response(response)
            headers = response.headers
            if settings.keyword is not None or settings.json_path is not None:
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
    error = _check_response(settings, status, body, cert_days, headers)
    return ProbeOutcome(
        success=error is None,
        error=error,
        response_time_ms=elapsed_ms,
        cert_days_remaining=cert_days,
    )
