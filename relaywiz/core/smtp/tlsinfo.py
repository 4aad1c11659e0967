"""TLS contexts for the probe, and the facts of a TLS session read off its certificate.

Verification is on by default; `--insecure` turns it off and is reported. When
verification fails we still want to tell the user what the certificate says
(expired, wrong name, self-signed), so the facts come from the DER certificate,
which the ssl module hands over even for an unverified peer.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from typing import Any

from relaywiz.core.model import TlsInfo


def make_context(cafile: str | None, verify: bool) -> ssl.SSLContext:
    """A client context: system store (or `cafile` alone), hostname checked when verifying."""
    ctx = ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def describe_verify_error(exc: BaseException) -> tuple[str, bool | None]:
    """A readable verification failure, and whether the host name matched (None: unknown)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        message = exc.verify_message or str(exc.reason or exc)
        code = exc.verify_code
        if (
            code == 62
            or "hostname mismatch" in message.lower()
            or "ip address mismatch" in (message.lower())
        ):
            return f"certificate does not match the host name ({message})", False
        return f"certificate not trusted: {message}", None
    reason = getattr(exc, "reason", None) or type(exc).__name__
    return f"TLS handshake failed: {reason}", None


def _name(value: Any) -> str | None:
    try:
        return str(value.rfc4514_string())
    except Exception:
        return None


def _host_matches(host: str, names: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    for name in names:
        if ip is not None:
            if name == str(ip):
                return True
            continue
        n, h = name.lower().rstrip("."), host.lower().rstrip(".")
        if n == h:
            return True
        if n.startswith("*.") and "." in h and h.split(".", 1)[1] == n[2:]:
            return True
    return False


def tls_facts(
    ssl_object: Any,
    host: str,
    *,
    verified: bool,
    verify_error: str | None,
    insecure: bool,
    now: dt.datetime | None = None,
) -> TlsInfo:
    """TlsInfo for an established session (`ssl_object` is ssl.SSLObject or SSLSocket)."""
    version = ssl_object.version() if ssl_object is not None else None
    cipher_t = ssl_object.cipher() if ssl_object is not None else None
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    subject = issuer = not_before = not_after = None
    san: tuple[str, ...] = ()
    days_left: int | None = None
    if der:
        try:
            from cryptography import x509

            cert = x509.load_der_x509_certificate(der)
            subject = _name(cert.subject)
            issuer = _name(cert.issuer)
            nb = cert.not_valid_before_utc
            na = cert.not_valid_after_utc
            not_before, not_after = nb.isoformat(), na.isoformat()
            current = now or dt.datetime.now(dt.UTC)
            days_left = (na - current).days
            try:
                ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
                dns_names = ext.value.get_values_for_type(x509.DNSName)
                ips = [str(i) for i in ext.value.get_values_for_type(x509.IPAddress)]
                san = tuple(dns_names) + tuple(ips)
            except x509.ExtensionNotFound:
                san = ()
        except Exception:  # a certificate we cannot parse is still a fact
            subject = subject or "unparseable certificate"
    match: bool | None = True if verified else (_host_matches(host, san) if san else None)
    return TlsInfo(
        version=version,
        cipher=cipher_t[0] if cipher_t else None,
        subject=subject,
        san=san,
        issuer=issuer,
        not_before=not_before,
        not_after=not_after,
        days_left=days_left,
        verified=verified,
        hostname_match=match,
        verify_error=verify_error,
        insecure=insecure,
    )
