"""Every finding relaywiz can report, under a stable id.

The ids are a contract: the JSON report carries them, the lab's end-to-end
tests and the wizard refer to them, and a monitoring script may match on them.
So they live in one place, each with its fixed severity, title and usual
Outlook error number, and rules build findings only through `finding()`.
Rename an id only with a schema major-version bump.
"""

from __future__ import annotations

from dataclasses import dataclass

from relaywiz.core.model import Finding, Severity

# --- name resolution and connection -------------------------------------------
DNS_HOST_NOT_FOUND = "dns.host_not_found"
CONNECT_PORT25_BLOCKED = "connect.port25_blocked"
CONNECT_FILTERED = "connect.filtered"
CONNECT_REFUSED = "connect.refused"
CONNECT_NO_BANNER = "connect.no_banner"
CONNECT_TIMEOUT = "connect.timeout"
CONNECT_UNREACHABLE = "connect.unreachable"
BANNER_REJECTED = "banner.rejected"
HELO_REJECTED = "helo.rejected"
# --- encryption -----------------------------------------------------------------
TLS_REQUIRED = "tls.required"
TLS_STARTTLS_UNAVAILABLE = "tls.starttls_unavailable"
TLS_HANDSHAKE_FAILED = "tls.handshake_failed"
TLS_CERT_UNTRUSTED = "tls.certificate_untrusted"
TLS_CERT_NAME_MISMATCH = "tls.certificate_name_mismatch"
TLS_CERT_EXPIRED = "tls.certificate_expired"
TLS_CERT_EXPIRING = "tls.certificate_expiring"
TLS_CHECKS_DISABLED = "tls.checks_disabled"
SECURITY_NO_TLS = "security.no_tls"
# --- authentication ----------------------------------------------------------------
AUTH_ONLY_AFTER_STARTTLS = "auth.only_after_starttls"
AUTH_OFFERED_IN_CLEAR = "auth.offered_in_clear"
AUTH_UNAVAILABLE = "auth.unavailable"
AUTH_FAILED = "auth.failed"
# --- relay ------------------------------------------------------------------------
RELAY_NEEDS_AUTH = "relay.needs_auth"
RELAY_NEEDS_CREDENTIALS = "relay.needs_credentials"
RELAY_DENIED_WITH_AUTH = "relay.denied_with_auth"
RELAY_POP_BEFORE_SMTP_LIKELY = "relay.pop_before_smtp_likely"
RELAY_POP_BEFORE_SMTP_WORKS = "relay.pop_before_smtp_works"
RELAY_POP_BEFORE_SMTP_NO_EFFECT = "relay.pop_before_smtp_no_effect"
RELAY_POP_LOGIN_FAILED = "relay.pop_login_failed"
RELAY_OPEN = "relay.open"
RELAY_TRUSTED_NETWORK = "relay.trusted_network"
RELAY_UNAUTHENTICATED_ACCEPTED = "relay.unauthenticated_accepted"
# --- envelope ---------------------------------------------------------------------
SENDER_NOT_OWNED = "sender.not_owned"
SENDER_REJECTED = "sender.rejected"
RECIPIENT_REJECTED = "recipient.rejected"
SMTP_GREYLISTED = "smtp.greylisted"
SMTP_TEMPORARY_FAILURE = "smtp.temporary_failure"
SMTP_PROTOCOL_ERROR = "smtp.protocol_error"
SEND_TEST_DELIVERED = "send_test.accepted"
SEND_TEST_REFUSED = "send_test.refused"
# --- the user's side --------------------------------------------------------------
SITUATION_RELAY = "situation.relay"
CLIENT_OUTLOOK_ERROR = "client.outlook_error"


@dataclass(frozen=True)
class Entry:
    """What is fixed about a finding id.

    `warns`: when a working way to send exists, this finding still makes the
    verdict "works, with warnings" (exit code 1).
    """

    id: str
    severity: Severity
    title: str
    outlook_error: str | None = None
    warns: bool = False


_I, _W, _P = Severity.INFO, Severity.WARNING, Severity.PROBLEM

_ENTRIES: tuple[Entry, ...] = (
    Entry(DNS_HOST_NOT_FOUND, _P, "The server's name does not resolve", "0x800CCC0D"),
    Entry(CONNECT_PORT25_BLOCKED, _P, "Port 25 is blocked on this network", "0x800CCC0E"),
    Entry(CONNECT_FILTERED, _I, "No answer on this port (filtered)", "0x800CCC0E"),
    Entry(CONNECT_REFUSED, _I, "Nothing listens on this port", "0x800CCC0E"),
    Entry(CONNECT_NO_BANNER, _I, "Connected, but the server never greeted", "0x800CCC19"),
    Entry(CONNECT_TIMEOUT, _I, "The server stopped answering", "0x800CCC19"),
    Entry(CONNECT_UNREACHABLE, _P, "No port of the server could be reached", "0x80042109"),
    Entry(BANNER_REJECTED, _P, "The server refused this network at the greeting", "0x800CCC0F"),
    Entry(HELO_REJECTED, _P, "The server refused the computer's name (HELO/EHLO)"),
    Entry(TLS_REQUIRED, _I, "The server requires encryption (STARTTLS) first", "0x800CCC7C"),
    Entry(TLS_STARTTLS_UNAVAILABLE, _I, "This port does not offer STARTTLS", "0x800CCC7D"),
    Entry(TLS_HANDSHAKE_FAILED, _P, "The encrypted connection could not be set up", "0x800CCC1A"),
    Entry(TLS_CERT_UNTRUSTED, _P, "The server's certificate is not trusted", "0x800CCC1A", True),
    Entry(
        TLS_CERT_NAME_MISMATCH,
        _P,
        "The certificate is for a different server name",
        "0x800CCC1A",
        True,
    ),
    Entry(TLS_CERT_EXPIRED, _P, "The server's certificate has expired", "0x800CCC1A", True),
    Entry(TLS_CERT_EXPIRING, _W, "The server's certificate expires soon", None, True),
    Entry(TLS_CHECKS_DISABLED, _W, "Certificate checks were turned off (--insecure)", None, True),
    Entry(SECURITY_NO_TLS, _W, "The working way sends without encryption", None, True),
    Entry(AUTH_ONLY_AFTER_STARTTLS, _I, "Login is offered only after STARTTLS", "0x800CCC80"),
    Entry(AUTH_OFFERED_IN_CLEAR, _W, "Login is offered without encryption", None, True),
    Entry(AUTH_UNAVAILABLE, _I, "This port offers no login (AUTH)", "0x800CCC80"),
    Entry(AUTH_FAILED, _P, "The server refused the user name or password", None, True),
    Entry(RELAY_NEEDS_AUTH, _P, "Refused without login, accepted with it", "0x800CCC79"),
    Entry(
        RELAY_NEEDS_CREDENTIALS,
        _P,
        "Mail to other domains needs a login (none was tried)",
        "0x800CCC79",
    ),
    Entry(RELAY_DENIED_WITH_AUTH, _P, "Refused even after a successful login", "0x800CCC79"),
    Entry(
        RELAY_POP_BEFORE_SMTP_LIKELY,
        _P,
        "Relay refused and no port offers login: POP-before-SMTP?",
        "0x800CCC79",
    ),
    Entry(RELAY_POP_BEFORE_SMTP_WORKS, _I, "Logging in over POP3 first makes sending work"),
    Entry(
        RELAY_POP_BEFORE_SMTP_NO_EFFECT,
        _P,
        "Logging in over POP3 first did not help",
        "0x800CCC79",
    ),
    Entry(RELAY_POP_LOGIN_FAILED, _P, "The POP3 login (POP-before-SMTP) failed"),
    Entry(RELAY_OPEN, _W, "The server relays for anyone (open relay)", None, True),
    Entry(RELAY_TRUSTED_NETWORK, _I, "The server trusts the network you are on"),
    Entry(
        RELAY_UNAUTHENTICATED_ACCEPTED,
        _W,
        "Mail to other domains accepted without login",
        None,
        True,
    ),
    Entry(
        SENDER_NOT_OWNED,
        _P,
        "The sender address does not belong to the account",
        "0x800CCC78",
        True,
    ),
    Entry(SENDER_REJECTED, _P, "The sender address was refused", "0x800CCC78"),
    Entry(
        RECIPIENT_REJECTED, _I, "A test recipient was refused (not a relay refusal)", "0x800CCC79"
    ),
    Entry(SMTP_GREYLISTED, _I, "Greylisted: the server asks to retry later", "0x800CCC68"),
    Entry(SMTP_TEMPORARY_FAILURE, _P, "The server reported a temporary failure", "0x800CCC67"),
    Entry(SMTP_PROTOCOL_ERROR, _P, "The server did not follow the SMTP protocol"),
    Entry(SEND_TEST_DELIVERED, _I, "The test message was accepted for delivery"),
    Entry(SEND_TEST_REFUSED, _P, "The test message was refused", None, True),
    Entry(SITUATION_RELAY, _I, "What your situation means for relaying"),
    Entry(CLIENT_OUTLOOK_ERROR, _I, "The Outlook error number you saw"),
)

CATALOGUE: dict[str, Entry] = {e.id: e for e in _ENTRIES}
ALL_IDS: tuple[str, ...] = tuple(CATALOGUE)

_DEFAULT = object()


def finding(
    finding_id: str,
    explanation: str,
    remedy: str,
    evidence: tuple[str, ...] = (),
    port: int | None = None,
    outlook_error: str | object | None = _DEFAULT,
) -> Finding:
    """A Finding for a catalogued id (KeyError for an unknown id: ids are a contract)."""
    entry = CATALOGUE[finding_id]
    number = entry.outlook_error if outlook_error is _DEFAULT else outlook_error
    return Finding(
        id=entry.id,
        severity=entry.severity,
        title=entry.title,
        explanation=explanation,
        remedy=remedy,
        evidence=tuple(dict.fromkeys(e for e in evidence if e)),
        outlook_error=number if isinstance(number, str) else None,
        port=port,
    )
