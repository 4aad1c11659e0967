"""Findings about the envelope and the dialogue: sender, recipients, HELO, temporary failures."""

from __future__ import annotations

from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose.facts import Facts, reply_text
from relaywiz.core.diagnose.outlook import for_attempt
from relaywiz.core.model import Attempt, Finding, Outcome, PortResult, Reply, Stage
from relaywiz.core.scenarios import ANTI_SPOOFING

_HELO_MARKERS = (
    "fully-qualified",
    "helo name",
    "helo command rejected",
    "need fully-qualified hostname",
    "invalid helo",
    "helo/ehlo",
    "bad helo",
    "syntactically invalid helo",
    "ehlo rejected",
)


def rules(f: Facts) -> list[Finding]:
    out: list[Finding] = []
    attempts = list(f.attempts())
    out.extend(_sender(f, attempts))
    out.extend(_helo(attempts))
    out.extend(_recipients(f, attempts))
    out.extend(_transient(attempts))
    out.extend(_send_test(f))
    proto = [
        (p, a)
        for p, a in attempts
        if a.outcome is Outcome.PROTOCOL_ERROR and not is_helo_rejection(a.reply)
    ]
    if proto:
        p, a = proto[0]
        out.append(
            C.finding(
                C.SMTP_PROTOCOL_ERROR,
                f"On port {p.port} the server answered something that is not SMTP at the "
                f"{a.stage.value} stage ({a.detail or reply_text(a.reply)}). A proxy, an "
                "antivirus program or a different service may be listening there.",
                "Use another port; check for mail scanning on this computer or network.",
                evidence=(reply_text(a.reply) or a.detail,),
                port=p.port,
            )
        )
    return out


def _sender(f: Facts, attempts: list[tuple[PortResult, Attempt]]) -> list[Finding]:
    replies: list[tuple[int | None, Reply]] = [
        (p.port, a.reply)
        for p, a in attempts
        if a.reply is not None
        and (a.outcome is Outcome.SENDER_REJECTED or ANTI_SPOOFING.matches(a.reply.text))
    ]
    st = f.evidence.send_test
    if (
        st is not None
        and st.reply is not None
        and not st.accepted
        and ANTI_SPOOFING.matches(st.reply.text)
    ):
        replies.append((st.port, st.reply))
    if not replies:
        return []
    owned = [(port, r) for port, r in replies if ANTI_SPOOFING.matches(r.text)]
    if owned:
        port = owned[0][0]
        return [
            C.finding(
                C.SENDER_NOT_OWNED,
                f"The server refused the sender address {f.evidence.mail_from}: it does not "
                f"belong to the account{_user(f)}. {ANTI_SPOOFING.statement}",
                ANTI_SPOOFING.remedy,
                evidence=tuple(str(x) for _, x in owned),
                port=port,
            )
        ]
    port = replies[0][0]
    return [
        C.finding(
            C.SENDER_REJECTED,
            f"The server refused the sender address {f.evidence.mail_from} at MAIL FROM. "
            "Common reasons: the address's domain does not exist in DNS, the server wants a "
            "login before any MAIL FROM, or the address is not one it accepts.",
            "Check the sender address (the account's e-mail address) for typing errors and "
            "send with authentication on.",
            evidence=tuple(str(x) for _, x in replies),
            port=port,
        )
    ]


def _user(f: Facts) -> str:
    return f" {f.evidence.username}" if f.evidence.username else ""


def is_helo_rejection(reply: Reply | None) -> bool:
    """Whether a reply refuses the client's HELO/EHLO name (whatever stage it came at)."""
    return (
        reply is not None
        and reply.code >= 400
        and any(m in reply.text.lower() for m in _HELO_MARKERS)
    )


def _helo(attempts: list[tuple[PortResult, Attempt]]) -> list[Finding]:
    for p, a in attempts:
        replies = [a.reply] + [x.reply for x in a.transcript]
        for r in replies:
            if r is None or r.code < 400:
                continue
            low = r.text.lower()
            at_ehlo = any(x.stage is Stage.EHLO and x.reply is r for x in a.transcript)
            if any(m in low for m in _HELO_MARKERS) or (at_ehlo and r.code >= 500):
                return [
                    C.finding(
                        C.HELO_REJECTED,
                        f"On port {p.port} the server refused the name the computer introduced "
                        "itself with (HELO/EHLO). This is about the computer's name, not about "
                        "relay.",
                        "Give the computer a fully qualified name (name.domain), or, for "
                        "relaywiz, pass --helo with one; mail clients that send a bare "
                        "computer name hit this on servers that check it.",
                        evidence=(str(r),),
                        port=p.port,
                    )
                ]
    return []


def _recipients(f: Facts, attempts: list[tuple[PortResult, Attempt]]) -> list[Finding]:
    rej = [
        (p, a)
        for p, a in attempts
        if a.outcome is Outcome.RECIPIENT_REJECTED and not is_helo_rejection(a.reply)
    ]
    if not rej:
        return []
    p, a = rej[0]
    which = f.evidence.rcpt_other if a.stage is Stage.RCPT_OTHER else f.evidence.rcpt_same
    return [
        C.finding(
            C.RECIPIENT_REJECTED,
            f"The server refused the test recipient {which} for a reason other than relay "
            "(for example no such mailbox, or a domain that accepts no mail). This says "
            "nothing about whether your own mail is relayed.",
            "Run again with another test recipient (--to for another domain, --same-to for "
            "the server's own domain).",
            evidence=(reply_text(a.reply),),
            port=p.port,
        )
    ]


def _transient(attempts: list[tuple[PortResult, Attempt]]) -> list[Finding]:
    out: list[Finding] = []
    grey = [(p, a) for p, a in attempts if a.outcome is Outcome.GREYLISTED]
    if grey:
        p, a = grey[0]
        out.append(
            C.finding(
                C.SMTP_GREYLISTED,
                f"On port {p.port} the server answered 'try again later' at the "
                f"{a.stage.value} stage: greylisting. It turns away unknown senders once and "
                "accepts them when they retry after a few minutes. This is not a fault.",
                "Nothing to change: a mail client retries by itself. To check now, run the "
                "probe again in five minutes.",
                evidence=(reply_text(a.reply),),
                port=p.port,
                outlook_error=for_attempt(a.outcome, a.stage, a.reply),
            )
        )
    temp = [(p, a) for p, a in attempts if a.outcome is Outcome.TEMPORARY_FAILURE]
    if temp:
        p, a = temp[0]
        out.append(
            C.finding(
                C.SMTP_TEMPORARY_FAILURE,
                f"On port {p.port} the server reported a temporary failure at the "
                f"{a.stage.value} stage: it is overloaded, in maintenance, or limiting this "
                "address.",
                "Try again later; if it persists, tell the server's administrator the exact reply.",
                evidence=(reply_text(a.reply),),
                port=p.port,
                outlook_error=for_attempt(a.outcome, a.stage, a.reply),
            )
        )
    return out


def _send_test(f: Facts) -> list[Finding]:
    st = f.evidence.send_test
    if st is None:
        return []
    if st.accepted:
        return [
            C.finding(
                C.SEND_TEST_DELIVERED,
                f"The one test message (--send-test) to {st.recipient} was accepted on port "
                f"{st.port}: the whole way, content included, works.",
                "Check that it arrived (and not in the spam folder).",
                evidence=(reply_text(st.reply) or st.message_id,),
                port=st.port or None,
            )
        ]
    if st.reply is not None and ANTI_SPOOFING.matches(st.reply.text):
        return []  # sender.not_owned says it
    return [
        C.finding(
            C.SEND_TEST_REFUSED,
            f"The test message (--send-test) to {st.recipient} was not accepted"
            + (f" on port {st.port}" if st.port else "")
            + f": {st.detail or reply_text(st.reply) or 'no reply'}. Everything up to the "
            "recipients was accepted, so the refusal is about the message itself (a content "
            "or spam filter, a size limit) or about sending as this address.",
            "Read the server's words in the evidence; `relaywiz lint` checks a message for "
            "the usual content problems.",
            evidence=(reply_text(st.reply) or st.detail or "not sent",),
            port=st.port or None,
        )
    ]
