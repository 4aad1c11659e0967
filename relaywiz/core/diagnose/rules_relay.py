"""Findings about relaying: who the server agrees to carry mail to other domains for.

The heart of relaywiz: "Relaying denied" without a login but accepted with one
means the client must log in; refused with no login offered anywhere points to
POP-before-SMTP; accepted without a login means the server trusts the network
(or trusts everybody: an open relay).
"""

from __future__ import annotations

from relaywiz.core import scenarios
from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose.facts import Facts, describe, reply_text
from relaywiz.core.diagnose.outlook import for_attempt
from relaywiz.core.model import Attempt, Finding, Outcome, PortResult, Stage

REFUSED_AS_RELAY = frozenset({Outcome.RELAY_DENIED, Outcome.AUTH_REQUIRED})


def _other_reply(at: Attempt) -> str:
    if at.other is not None and at.other.reply is not None:
        return str(at.other.reply)
    return reply_text(at.reply)


def rules(f: Facts) -> list[Finding]:
    out: list[Finding] = []
    attempts = list(f.attempts())
    denied = [
        (p, a)
        for p, a in attempts
        if not a.auth and not a.pop_before_smtp and a.outcome in REFUSED_AS_RELAY
    ]
    auth_ok = [(p, a) for p, a in attempts if a.auth and a.outcome is Outcome.OK]
    if denied and auth_ok:
        out.append(_needs_auth(denied, auth_ok))
    elif denied and not f.evidence.credentials_given and f.any_auth_offered():
        p, a = denied[0]
        offered = sorted({q.port for q in f.evidence.ports if q.auth_mechanisms})
        out.append(
            C.finding(
                C.RELAY_NEEDS_CREDENTIALS,
                f"Without a login the server refused a recipient in another domain on port "
                f"{p.port} ({describe(a)}). It offers a login (AUTH) on port "
                f"{', '.join(map(str, offered))}, which is how it lets its users send anywhere; "
                f"no user name was given to the probe, so the login was not tried.{_same_note(a)}",
                "Turn on 'My outgoing server (SMTP) requires authentication' in the mail client; "
                "then test again with your user name and password (the wizard's login step, "
                "or --user on the command line) to confirm the login works.",
                evidence=(reply_text(a.reply),),
                port=p.port,
                outlook_error=for_attempt(a.outcome, a.stage, a.reply),
            )
        )
    out.extend(_denied_with_auth(attempts))
    out.extend(_pop(f, denied))
    out.extend(_accepted_without_auth(f, attempts))
    return out


def _needs_auth(
    denied: list[tuple[PortResult, Attempt]], auth_ok: list[tuple[PortResult, Attempt]]
) -> Finding:
    ok_ports = {p.port for p, _ in auth_ok}
    same_port = [(p, a) for p, a in denied if p.port in ok_ports]
    p, a = (same_port or denied)[0]
    q, b = next(((q, b) for q, b in auth_ok if q.port == p.port), auth_ok[0])
    number = for_attempt(a.outcome, a.stage, a.reply)
    where = "the sender (MAIL FROM)" if a.stage is Stage.MAIL else "the recipient"
    return C.finding(
        C.RELAY_NEEDS_AUTH,
        f"Without a login the server refused {where} on port {p.port} ({describe(a)}); with "
        f"the login it accepted a recipient in another domain on port {q.port} "
        f"({describe(b)}). The server relays only for clients that log in: a client that does "
        f"not is refused (Outlook {number}).{_same_note(a)}",
        "Turn on 'My outgoing server (SMTP) requires authentication' (Outlook) / set "
        "'Authentication method: Normal password' (Thunderbird), as in the recommendation.",
        evidence=(reply_text(a.reply), _other_reply(b)),
        port=p.port,
        outlook_error=number,
    )


def _same_note(a: Attempt) -> str:
    if a.same is not None and a.same.accepted:
        return (
            f" Mail to {a.same.address}, in the server's own domain, was accepted without a "
            "login: that is local delivery, not relay."
        )
    return ""


def _denied_with_auth(attempts: list[tuple[PortResult, Attempt]]) -> list[Finding]:
    bad = [(p, a) for p, a in attempts if a.auth and a.outcome in REFUSED_AS_RELAY]
    if not bad:
        return []
    if any(a.auth and a.outcome is Outcome.OK for _, a in attempts):
        return []
    p = bad[0][0]
    return [
        C.finding(
            C.RELAY_DENIED_WITH_AUTH,
            f"The login succeeded on port {p.port}, yet the server still refused a recipient "
            "in another domain. This account is not allowed to send to other domains through "
            "this server, or the server is not the one meant for this account (for example "
            "the home ISP's server with a work account).",
            "Use the outgoing server that belongs to the account you log in with; if it is, "
            "ask its administrator whether the account may send to other domains.",
            evidence=tuple(reply_text(x.reply) for _, x in bad),
            port=p.port,
        )
    ]


def _pop(f: Facts, denied: list[tuple[PortResult, Attempt]]) -> list[Finding]:
    pop = f.evidence.pop_before_smtp
    if pop is None:
        if denied and not f.any_auth_offered():
            p, a = denied[0]
            return [
                C.finding(
                    C.RELAY_POP_BEFORE_SMTP_LIKELY,
                    "The server refused a recipient in another domain, and no port offers a "
                    "login (AUTH) at all. Such a server trusts clients by network, or by "
                    "POP-before-SMTP: it relays for an address that has just logged in to the "
                    f"incoming (POP3) server.{_same_note(a)}",
                    "Confirm it with `relaywiz --probe "
                    f"{f.host} --user YOU --pop-before-smtp` (logs in over POP3 first). If "
                    "that works, turn on 'Log on to incoming mail server before sending mail' "
                    "(Outlook). Otherwise send through the server of the network you are on.",
                    evidence=(reply_text(a.reply),),
                    port=p.port,
                    outlook_error=for_attempt(a.outcome, a.stage, a.reply),
                )
            ]
        return []
    detail = (pop.detail,)
    if not pop.logged_in:
        return [
            C.finding(
                C.RELAY_POP_LOGIN_FAILED,
                f"The POP3 login to {pop.host}:{pop.port} failed, so POP-before-SMTP could "
                "not be tested.",
                "Check the user name and password of the incoming server.",
                evidence=detail,
            )
        ]
    pop_ok = [(p, a) for p, a in f.attempts() if a.pop_before_smtp and a.outcome is Outcome.OK]
    if pop.changed_answer or pop_ok:
        return [
            C.finding(
                C.RELAY_POP_BEFORE_SMTP_WORKS,
                "After a POP3 login the server accepted a recipient in another domain that it "
                "had refused before: it trusts POP-before-SMTP.",
                "Turn on 'Log on to incoming mail server before sending mail' (Outlook), or "
                "check for new mail just before sending.",
                evidence=detail + tuple(_other_reply(a) for _, a in pop_ok[:1]),
                port=pop_ok[0][0].port if pop_ok else None,
            )
        ]
    if pop.changed_answer is False:
        return [
            C.finding(
                C.RELAY_POP_BEFORE_SMTP_NO_EFFECT,
                "The POP3 login worked, but the server still refused to relay afterwards: it "
                "does not use POP-before-SMTP.",
                "Send through the outgoing server of the network you are on, or ask the "
                "provider how its customers send when away.",
                evidence=detail,
            )
        ]
    return []


def _accepted_without_auth(f: Facts, attempts: list[tuple[PortResult, Attempt]]) -> list[Finding]:
    ok = [
        (p, a)
        for p, a in attempts
        if not a.auth and not a.pop_before_smtp and a.outcome is Outcome.OK
    ]
    if not ok:
        return []
    p, a = ok[0]
    ev = (_other_reply(a),)
    rcpt = f.evidence.rcpt_other
    row = scenarios.verdict(f.situation)
    if row.on_server_network is True:
        return [
            C.finding(
                C.RELAY_TRUSTED_NETWORK,
                f"On port {p.port} the server accepted {rcpt} without a login: it trusts the "
                "network you are on (the provider's own network or an allowed range). Away "
                "from this network the same setting will be refused as relay.",
                "Turn on authentication anyway if the server offers it, so sending keeps "
                "working from other networks.",
                evidence=ev,
                port=p.port,
            )
        ]
    if row.on_server_network is False:
        return [
            C.finding(
                C.RELAY_OPEN,
                f"On port {p.port} the server accepted {rcpt} without a login although you are "
                "not on its network: it appears to relay for anyone. Spammers find such "
                "servers within hours, and the server's address then lands on blocklists.",
                "For the server's administrator: allow relay only after SMTP authentication "
                "(Postfix: smtpd_relay_restrictions = permit_mynetworks, "
                "permit_sasl_authenticated, reject_unauth_destination).",
                evidence=ev,
                port=p.port,
            )
        ]
    return [
        C.finding(
            C.RELAY_UNAUTHENTICATED_ACCEPTED,
            f"On port {p.port} the server accepted {rcpt} without a login. Either your "
            "network is in the range it trusts, or it relays for anyone (an open relay).",
            "Say where you are (--location, --account-type) or run the probe from another "
            "network: if it is accepted from there too, the server is an open relay and its "
            "administrator should require authentication.",
            evidence=ev,
            port=p.port,
        )
    ]
