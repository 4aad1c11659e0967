"""Property: over any combination of port outcomes, the judgement never contradicts the evidence.

Hypothesis walks ports x attempts x outcomes (plus credentials, certificates,
POP-before-SMTP and the user's situation); for each, the recommendation must be
an attempt that was seen to work, the exit code must follow from it, and the
findings that claim something about the evidence must have it to rest on.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from relaywiz.core.diagnose import CATALOGUE, diagnose
from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose.facts import reachable
from relaywiz.core.diagnose.outlook import TABLE as OUTLOOK
from relaywiz.core.model import (
    AccountType,
    Attempt,
    Evidence,
    Location,
    Outcome,
    PopResult,
    PortResult,
    RecipientDomain,
    RecipientResult,
    Report,
    Security,
    Situation,
    Stage,
    TlsMode,
)
from relaywiz.core.scenarios import ANTI_SPOOFING
from tests.unit.diagnose.diagnose_builders import bad_cert, evidence, good_cert, reply

_STAGE = {
    Outcome.OK: Stage.RCPT_OTHER,
    Outcome.DNS_ERROR: Stage.RESOLVE,
    Outcome.REFUSED: Stage.CONNECT,
    Outcome.FILTERED: Stage.CONNECT,
    Outcome.NO_BANNER: Stage.BANNER,
    Outcome.REJECTED_AT_BANNER: Stage.BANNER,
    Outcome.TIMEOUT: Stage.MAIL,
    Outcome.TLS_ERROR: Stage.TLS_HANDSHAKE,
    Outcome.TLS_REQUIRED: Stage.MAIL,
    Outcome.STARTTLS_UNAVAILABLE: Stage.STARTTLS,
    Outcome.AUTH_UNAVAILABLE: Stage.AUTH,
    Outcome.AUTH_FAILED: Stage.AUTH,
    Outcome.AUTH_REQUIRED: Stage.MAIL,
    Outcome.RELAY_DENIED: Stage.RCPT_OTHER,
    Outcome.SENDER_REJECTED: Stage.MAIL,
    Outcome.RECIPIENT_REJECTED: Stage.RCPT_SAME,
    Outcome.GREYLISTED: Stage.RCPT_OTHER,
    Outcome.TEMPORARY_FAILURE: Stage.MAIL,
    Outcome.PROTOCOL_ERROR: Stage.EHLO,
}
_REPLY = {
    Outcome.OK: "250 2.1.5 Ok",
    Outcome.REJECTED_AT_BANNER: "554 5.7.1 Service unavailable; blocked using zen.spamhaus.org",
    Outcome.TLS_REQUIRED: "530 5.7.0 Must issue a STARTTLS command first",
    Outcome.AUTH_FAILED: "535 5.7.8 Error: authentication failed: authentication failure",
    Outcome.AUTH_REQUIRED: "530 5.7.0 Authentication required",
    Outcome.RELAY_DENIED: "554 5.7.1 <postmaster@gmail.com>: Relay access denied",
    Outcome.SENDER_REJECTED: "553 5.7.1 <a@b>: Sender address rejected: not owned by user x",
    Outcome.RECIPIENT_REJECTED: "550 5.1.1 <postmaster@example.net>: User unknown",
    Outcome.GREYLISTED: "450 4.2.0 <postmaster@gmail.com>: Recipient address rejected: Greylisted",
    Outcome.TEMPORARY_FAILURE: "421 4.7.0 Error: too many connections",
}
_DETAIL = {
    Outcome.FILTERED: "connect timed out",
    Outcome.REFUSED: "connection refused",
    Outcome.DNS_ERROR: "NXDOMAIN",
    Outcome.NO_BANNER: "no greeting",
    Outcome.TIMEOUT: "timed out",
    Outcome.TLS_ERROR: "certificate verify failed: self-signed certificate",
}
_CONNECT_LEVEL = {
    Outcome.DNS_ERROR,
    Outcome.REFUSED,
    Outcome.FILTERED,
    Outcome.NO_BANNER,
    Outcome.REJECTED_AT_BANNER,
}
outcomes = st.sampled_from(list(Outcome))


def _attempt(tls: TlsMode, auth: bool, outcome: Outcome, pop: bool = False) -> Attempt:
    line = _REPLY.get(outcome)
    r = reply(line) if line else None
    stage = _STAGE[outcome]
    other = (
        RecipientResult("postmaster@gmail.com", outcome is Outcome.OK, r)
        if (stage is Stage.RCPT_OTHER)
        else None
    )
    return Attempt(
        tls,
        auth,
        outcome,
        stage,
        r,
        other=other,
        pop_before_smtp=pop,
        detail=_DETAIL.get(outcome, ""),
    )


@st.composite
def port_results(draw: st.DrawFn, number: int, credentials: bool) -> PortResult:
    implicit = number == 465
    first = draw(outcomes)
    if first in _CONNECT_LEVEL:
        a = _attempt(TlsMode.IMPLICIT if implicit else TlsMode.NONE, False, first)
        banner = reply(_REPLY[first]) if first is Outcome.REJECTED_AT_BANNER else None
        return PortResult(
            number, first, a.stage, a.reply, 5.0, a.detail, implicit, banner, attempts=(a,)
        )
    starttls = (not implicit) and draw(st.booleans())
    plan: list[tuple[TlsMode, bool]]
    if implicit:
        plan = [(TlsMode.IMPLICIT, False)] + ([(TlsMode.IMPLICIT, True)] if credentials else [])
    else:
        plan = [(TlsMode.NONE, False)]
        if starttls:
            plan.append((TlsMode.STARTTLS, False))
            if credentials:
                plan.append((TlsMode.STARTTLS, True))
        elif credentials:
            plan.append((TlsMode.NONE, True))
    attempts = [_attempt(mode, auth, outcomes_ok(draw)) for mode, auth in plan]
    if draw(st.booleans()) and credentials:
        attempts.append(_attempt(TlsMode.NONE, False, outcomes_ok(draw), pop=True))
    auth_plain = draw(st.sampled_from([(), ("PLAIN", "LOGIN")])) if not implicit else ()
    auth_tls = draw(st.sampled_from([(), ("PLAIN", "LOGIN")])) if (starttls or implicit) else ()
    tls = None
    if starttls or implicit:
        tls = draw(
            st.sampled_from(
                [
                    good_cert(),
                    good_cert(days_left=3),
                    bad_cert("self-signed certificate"),
                    bad_cert("certificate has expired", days_left=-1),
                    None,
                ]
            )
        )
    chosen = attempts[-1]
    return PortResult(
        number,
        chosen.outcome,
        chosen.stage,
        chosen.reply,
        20.0,
        chosen.detail,
        implicit,
        reply("220 mail.example.net ESMTP Postfix"),
        ("PIPELINING", "STARTTLS") if starttls else ("PIPELINING",),
        starttls,
        auth_plain,
        auth_tls,
        None,
        tls,
        tuple(attempts),
    )


def outcomes_ok(draw: st.DrawFn) -> Outcome:
    """Outcomes after the greeting (weighted towards the interesting ones)."""
    return draw(
        st.sampled_from(
            [
                Outcome.OK,
                Outcome.OK,
                Outcome.RELAY_DENIED,
                Outcome.AUTH_REQUIRED,
                Outcome.AUTH_FAILED,
                Outcome.TLS_REQUIRED,
                Outcome.TLS_ERROR,
                Outcome.SENDER_REJECTED,
                Outcome.GREYLISTED,
                Outcome.TEMPORARY_FAILURE,
                Outcome.RECIPIENT_REJECTED,
                Outcome.AUTH_UNAVAILABLE,
                Outcome.TIMEOUT,
                Outcome.PROTOCOL_ERROR,
                Outcome.STARTTLS_UNAVAILABLE,
            ]
        )
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Evidence, Situation]:
    credentials = draw(st.booleans())
    numbers = draw(
        st.lists(st.sampled_from([587, 465, 25, 2525]), min_size=1, max_size=4, unique=True)
    )
    ports = [draw(port_results(n, credentials)) for n in numbers]
    pop = None
    if draw(st.booleans()):
        pop = PopResult(
            "pop.example.net",
            110,
            TlsMode.NONE,
            draw(st.booleans()),
            "+OK",
            5.0,
            draw(st.sampled_from([True, False, None])),
        )
    ev = evidence(*ports, credentials=credentials, insecure=draw(st.booleans()), pop=pop)
    situation = Situation(
        draw(st.sampled_from(list(Location))),
        draw(st.sampled_from(list(AccountType))),
        draw(st.sampled_from(list(RecipientDomain))),
        draw(st.sampled_from([None, "0x800CCC79", "nonsense"])),
    )
    return ev, situation


_SECURITY = {
    Security.SSL_TLS: TlsMode.IMPLICIT,
    Security.STARTTLS: TlsMode.STARTTLS,
    Security.NONE: TlsMode.NONE,
}


def _check(ev: Evidence, report: Report) -> None:
    working = [(p, a) for p in ev.ports for a in p.attempts if a.outcome is Outcome.OK]
    rec = report.recommendation
    if rec is None:
        assert not working
        assert report.exit_code == 2
        assert report.no_recommendation_reason
    else:
        match = [
            (p, a)
            for p, a in working
            if p.port == rec.port
            and a.tls is _SECURITY[rec.security]
            and a.auth == rec.auth
            and a.pop_before_smtp == rec.pop_before_smtp
        ]
        assert match, f"recommended {rec} was never seen to work"
        assert rec.host == ev.target.host
        assert (rec.username is not None) == (rec.auth and ev.username is not None)
        warns = any(CATALOGUE[f.id].warns for f in report.findings)
        assert report.exit_code == (1 if warns else 0)
        assert report.no_recommendation_reason is None
        # a login that works over TLS with a good certificate always wins
        best = [
            (p, a)
            for p, a in working
            if a.auth and a.tls is not TlsMode.NONE and (p.tls is None or p.tls.verified)
        ]
        if best:
            assert rec.auth and rec.security is not Security.NONE
        if rec.security is Security.NONE:
            assert C.SECURITY_NO_TLS in {f.id for f in report.findings}
    ports = {p.port for p in ev.ports}
    attempts = [a for p in ev.ports for a in p.attempts]
    ids = {f.id for f in report.findings}
    for f in report.findings:
        entry = CATALOGUE[f.id]
        assert f.severity is entry.severity and f.title == entry.title
        assert f.port is None or f.port in ports
        assert all(isinstance(e, str) and e for e in f.evidence)
    if C.RELAY_NEEDS_AUTH in ids:
        assert any(a.auth and a.outcome is Outcome.OK for a in attempts)
        assert any(
            not a.auth and a.outcome in (Outcome.RELAY_DENIED, Outcome.AUTH_REQUIRED)
            for a in attempts
        )
    if ids & {C.RELAY_OPEN, C.RELAY_TRUSTED_NETWORK, C.RELAY_UNAUTHENTICATED_ACCEPTED}:
        assert any(
            not a.auth and not a.pop_before_smtp and a.outcome is Outcome.OK for a in attempts
        )
    if C.RELAY_POP_BEFORE_SMTP_LIKELY in ids:
        assert not any(p.auth_mechanisms for p in ev.ports)
    if C.AUTH_FAILED in ids:
        assert any(a.outcome is Outcome.AUTH_FAILED for a in attempts)
    if C.RELAY_NEEDS_CREDENTIALS in ids:
        assert not ev.credentials_given
    if C.CONNECT_PORT25_BLOCKED in ids:
        p25 = next(p for p in ev.ports if p.port == 25)
        assert p25.outcome is Outcome.FILTERED
        assert any(reachable(p) for p in ev.ports if p.port in (587, 465, 2525))
    if C.CONNECT_UNREACHABLE in ids:
        assert rec is None
    if C.RELAY_NEEDS_CREDENTIALS in ids:
        assert any(p.auth_mechanisms for p in ev.ports)
        assert any(
            not a.auth and a.outcome in (Outcome.RELAY_DENIED, Outcome.AUTH_REQUIRED)
            for a in attempts
        )
    if C.SMTP_GREYLISTED in ids:
        assert any(a.outcome is Outcome.GREYLISTED for a in attempts)
    if C.SENDER_NOT_OWNED in ids:
        assert any(a.reply is not None and ANTI_SPOOFING.matches(a.reply.text) for a in attempts)
    assert (C.TLS_CHECKS_DISABLED in ids) == ev.insecure
    for f in report.findings:
        assert f.outlook_error is None or f.outlook_error in OUTLOOK


@settings(max_examples=400, deadline=None)
@given(cases())
def test_judgement_never_contradicts_the_evidence(case: tuple[Evidence, Situation]) -> None:
    ev, situation = case
    _check(ev, diagnose(ev, situation))


@settings(max_examples=100, deadline=None)
@given(cases())
def test_diagnose_is_pure(case: tuple[Evidence, Situation]) -> None:
    ev, situation = case
    assert diagnose(ev, situation) == diagnose(ev, situation)
