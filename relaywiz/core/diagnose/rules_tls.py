"""Findings about encryption: STARTTLS, implicit TLS and the server's certificate."""

from __future__ import annotations

from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose.facts import EXPIRY_WARNING_DAYS, Facts, reply_text, spoke
from relaywiz.core.diagnose.outlook import for_attempt
from relaywiz.core.model import Finding, Outcome, PortResult, TlsInfo


def rules(f: Facts) -> list[Finding]:
    out: list[Finding] = []
    if f.evidence.insecure:
        out.append(
            C.finding(
                C.TLS_CHECKS_DISABLED,
                "The probe ran with --insecure: certificates were not checked, so a TLS way "
                "reported as working may fail in a mail client that does check them.",
                "Run again without --insecure (with --cafile for a private CA) to see what a "
                "mail client will see.",
            )
        )
    for pr in f.evidence.ports:
        cert = _certificate(pr)
        out.extend(cert)
        tls_failed = [a for a in pr.attempts if a.outcome is Outcome.TLS_ERROR]
        if not tls_failed and not pr.attempts and pr.outcome is Outcome.TLS_ERROR:
            tls_failed_detail = [(pr.detail, pr.reply)]
        else:
            tls_failed_detail = [(a.detail, a.reply) for a in tls_failed]
        if tls_failed_detail and not any(x.id != C.TLS_CERT_EXPIRING for x in cert):
            detail, reply = tls_failed_detail[0]
            kind = _cert_kind(detail)
            if kind is not None:
                out.append(_cert_finding(kind, pr, None, detail))
            else:
                out.append(
                    C.finding(
                        C.TLS_HANDSHAKE_FAILED,
                        f"On port {pr.port} the encrypted connection could not be set up "
                        f"({detail or reply_text(reply) or 'handshake failed'}).",
                        "Try the other encryption setting (SSL/TLS on 465, STARTTLS on 587); "
                        "an antivirus program that scans mail can also break TLS.",
                        evidence=(reply_text(reply) or detail,),
                        port=pr.port,
                        outlook_error=for_attempt(Outcome.TLS_ERROR, pr.stage, reply),
                    )
                )
        required = [a for a in pr.attempts if a.outcome is Outcome.TLS_REQUIRED]
        if required:
            out.append(
                C.finding(
                    C.TLS_REQUIRED,
                    f"On port {pr.port} the server refuses to go on without encryption.",
                    "Set the encryption to STARTTLS on this port.",
                    evidence=(reply_text(required[0].reply),),
                    port=pr.port,
                )
            )
        if spoke(pr) and not pr.implicit_tls and not pr.starttls_offered and pr.esmtp:
            out.append(
                C.finding(
                    C.TLS_STARTTLS_UNAVAILABLE,
                    f"Port {pr.port} does not offer STARTTLS: a client set to STARTTLS here "
                    "fails, and one set to no encryption sends everything readable.",
                    "Use a port that offers encryption, if there is one.",
                    evidence=("EHLO offered: " + " ".join(x.upper() for x in pr.esmtp),),
                    port=pr.port,
                )
            )
    return out


def _cert_kind(detail: str) -> str | None:
    low = detail.lower()
    if "expired" in low:
        return C.TLS_CERT_EXPIRED
    if "hostname" in low or "doesn't match" in low or "does not match" in low or "mismatch" in low:
        return C.TLS_CERT_NAME_MISMATCH
    if "certificate" in low and (
        "verify" in low
        or "self" in low
        or "untrusted" in low
        or "unknown ca" in low
        or "issuer" in low
    ):
        return C.TLS_CERT_UNTRUSTED
    return None


def _certificate(pr: PortResult) -> list[Finding]:
    info = pr.tls
    if info is None:
        return []
    out: list[Finding] = []
    kind: str | None = None
    if info.days_left is not None and info.days_left < 0:
        kind = C.TLS_CERT_EXPIRED
    elif info.hostname_match is False:
        kind = C.TLS_CERT_NAME_MISMATCH
    elif not info.verified:
        kind = _cert_kind(info.verify_error or "") or C.TLS_CERT_UNTRUSTED
    if kind is not None:
        out.append(_cert_finding(kind, pr, info, info.verify_error or ""))
    if info.days_left is not None and 0 <= info.days_left <= EXPIRY_WARNING_DAYS:
        out.append(
            C.finding(
                C.TLS_CERT_EXPIRING,
                f"The certificate on port {pr.port} expires in {info.days_left} days "
                f"({info.not_after}). After that, mail clients refuse the connection.",
                "The server's administrator must renew the certificate.",
                evidence=_cert_evidence(info),
                port=pr.port,
            )
        )
    return out


def _cert_evidence(info: TlsInfo) -> tuple[str, ...]:
    parts = [
        f"subject: {info.subject}" if info.subject else "",
        f"names: {', '.join(info.san)}" if info.san else "",
        f"issuer: {info.issuer}" if info.issuer else "",
        f"valid until: {info.not_after}" if info.not_after else "",
        f"verify error: {info.verify_error}" if info.verify_error else "",
    ]
    return tuple(p for p in parts if p)


def _cert_finding(kind: str, pr: PortResult, info: TlsInfo | None, detail: str) -> Finding:
    what = {
        C.TLS_CERT_EXPIRED: "has expired",
        C.TLS_CERT_NAME_MISMATCH: "is made out for another server name",
        C.TLS_CERT_UNTRUSTED: "is not signed by an authority this computer trusts (self-signed "
        "or a private CA)",
    }[kind]
    ev = _cert_evidence(info) if info is not None else (detail,)
    return C.finding(
        kind,
        f"The certificate on port {pr.port} {what}. Outlook shows a security warning or fails "
        "with 'the secure connection could not be made'; Thunderbird asks for an exception.",
        _names_hint(kind, info)
        + "The server's administrator should install a valid certificate (for example from "
        "Let's Encrypt). Do not accept a certificate exception unless you can check it with "
        "the administrator.",
        evidence=ev,
        port=pr.port,
    )


def _names_hint(kind: str, info: TlsInfo | None) -> str:
    if kind != C.TLS_CERT_NAME_MISMATCH:
        return ""
    names = [n for n in (info.san if info is not None else ()) if "*" not in n]
    if names:
        return f"Use a server name the certificate is made out for ({', '.join(names[:3])}). "
    return "Use the server name the certificate is made out for. "
