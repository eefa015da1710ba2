"""Days until an https deployment's certificate expires, read from a TLS handshake.

The certificate is read even when it is not trusted (a private CA, or already expired), since
"expires in 3 days" matters most exactly then. Plain http has no certificate: None.
"""

from __future__ import annotations

import socket
import ssl
from datetime import datetime
from functools import cache
from urllib.parse import urlsplit

from cryptography import x509


@cache
def _reading_context() -> ssl.SSLContext:
    """One context for every handshake: it only reads the date and trusts nothing, so it needs
    no CA certificates (loading them holds the GIL for tens of milliseconds, once per check of
    each https deployment in a fleet's first round)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def certificate_days_left(url: str, now: datetime, timeout: float = 5.0) -> float | None:
    """Days from `now` until the certificate of `url` expires (negative once expired); None for
    plain http or when no handshake was possible."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or not parts.hostname:
        return None
    host, port = parts.hostname, parts.port or 443
    context = _reading_context()
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as sock,
            context.wrap_socket(sock, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError):
        return None
    if not der:
        return None
    not_after = x509.load_der_x509_certificate(der).not_valid_after_utc
    return (not_after - now).total_seconds() / 86400.0
