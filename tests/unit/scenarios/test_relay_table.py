"""The relay table: every row checked against a table written out by hand, and against evidence.

The expected verdicts below are typed in (not computed), so the table in
`relaywiz.core.scenarios` is held to the classic one: at home on the ISP
account anything goes; away from the ISP's network, other-domain mail is relay
and a server that trusts only its own network refuses it.
"""

from __future__ import annotations

import pytest

import tests.unit.diagnose.recorded_replies as R
from relaywiz.core import scenarios
from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose import diagnose
from relaywiz.core.model import (
    AccountType,
    Location,
    Outcome,
    RecipientDomain,
    Situation,
    TlsMode,
)
from tests.unit.diagnose.diagnose_builders import evidence, fail, ok, port

# location, account -> verdict for an OTHER-domain recipient through the account's server.
# "normal": even a server that trusts only its own network relays it;
# "refused": relay, and such a server refuses it; "depends": cannot tell from the situation.
# A SAME-domain recipient is never relay: always "normal".
EXPECTED_OTHER = """
home      isp         normal
home      employer    refused
home      provider    refused
home      own_domain  refused
work      isp         refused
work      employer    normal
work      provider    refused
work      own_domain  refused
travel    isp         refused
travel    employer    refused
travel    provider    refused
travel    own_domain  refused
mobile    isp         refused
mobile    employer    refused
mobile    provider    refused
mobile    own_domain  refused
other     isp         depends
other     employer    depends
other     provider    refused
other     own_domain  refused
"""

ROWS = [line.split() for line in EXPECTED_OTHER.strip().splitlines()]
_VERDICT = {"normal": False, "refused": True, "depends": None}


def test_the_table_has_every_known_combination() -> None:
    assert len(scenarios.TABLE) == 5 * 4 * 2
    keys = {(v.location, v.account_type, v.recipient_domain) for v in scenarios.TABLE}
    assert len(keys) == 40
    assert len(ROWS) == 20


@pytest.mark.parametrize(("loc", "acct", "expected"), ROWS)
def test_row(loc: str, acct: str, expected: str) -> None:
    location, account = Location(loc), AccountType(acct)
    other = scenarios.verdict(Situation(location, account, RecipientDomain.OTHER))
    same = scenarios.verdict(Situation(location, account, RecipientDomain.SAME))
    assert other.relay is True
    assert other.refused_by_network_trust is _VERDICT[expected]
    assert same.relay is False and same.refused_by_network_trust is False and same.normal
    assert other.why and same.why
    if expected == "refused":
        assert "refuses" in other.why
        assert any("587" in r for r in other.remedies)
    if expected == "normal":
        assert other.normal and other.remedies == ()
    assert other in scenarios.TABLE and same in scenarios.TABLE


def test_the_classic_rows() -> None:
    def v(loc: Location, rcpt: RecipientDomain) -> scenarios.Verdict:
        return scenarios.verdict(Situation(loc, AccountType.ISP, rcpt))

    # at home with the ISP account: same or other domain, normal
    assert v(Location.HOME, RecipientDomain.SAME).normal
    assert v(Location.HOME, RecipientDomain.OTHER).normal
    # at work through the home ISP's server: same normal, other is relay and may be blocked
    assert v(Location.WORK, RecipientDomain.SAME).normal
    assert v(Location.WORK, RecipientDomain.OTHER).refused_by_network_trust is True
    # hotel or airport with the home ISP account: the same
    assert v(Location.TRAVEL, RecipientDomain.SAME).normal
    assert v(Location.TRAVEL, RecipientDomain.OTHER).refused_by_network_trust is True


def test_unknowns_give_no_verdict() -> None:
    row = scenarios.verdict(Situation())
    assert row.relay is None and row.refused_by_network_trust is None
    row = scenarios.verdict(Situation(Location.WORK, AccountType.ISP))
    assert row.relay is None and "depends on the recipient" in row.why


def test_the_four_ways_of_trust() -> None:
    ways = {t.way for t in scenarios.TRUST_WAYS}
    assert ways == set(scenarios.TrustWay)
    anywhere = {t.way for t in scenarios.TRUST_WAYS if t.works_from_anywhere}
    assert anywhere == {scenarios.TrustWay.SMTP_AUTH, scenarios.TrustWay.POP_BEFORE_SMTP}


@pytest.mark.parametrize(
    "text",
    [
        R.POSTFIX_NOT_OWNED,
        R.MAILRU_INVALID_HEADERS,
        R.M365_SEND_AS,
        "553 5.7.1 Mail from must equal authorized user",
    ],
)
def test_anti_spoofing_recognises_the_refusals(text: str) -> None:
    assert scenarios.ANTI_SPOOFING.matches(text)


@pytest.mark.parametrize(
    "text",
    [R.POSTFIX_RELAY, R.QMAIL_RELAY, R.POSTFIX_SENDER_DOMAIN, R.GMAIL_BAD_CREDENTIALS],
)
def test_anti_spoofing_ignores_other_refusals(text: str) -> None:
    assert not scenarios.ANTI_SPOOFING.matches(text)


def _network_trusting_server(relay_allowed: bool, credentials: bool):  # type: ignore[no-untyped-def]
    """What a server that trusts its own network, and offers AUTH on 587, tells this client."""
    on_25 = (
        ok(TlsMode.STARTTLS, False)
        if relay_allowed
        else fail(Outcome.RELAY_DENIED, R.POSTFIX_RELAY, TlsMode.STARTTLS)
    )
    sub = [
        fail(Outcome.RELAY_DENIED, R.POSTFIX_RELAY, TlsMode.STARTTLS)
        if not relay_allowed
        else ok(TlsMode.STARTTLS, False)
    ]
    if credentials:
        sub.append(ok(TlsMode.STARTTLS, True))
    return evidence(
        port(25, on_25, credentials=credentials),
        port(587, *sub, credentials=credentials),
        credentials=credentials,
    )


@pytest.mark.parametrize("credentials", [True, False], ids=["with-login", "no-login"])
@pytest.mark.parametrize(("loc", "acct", "expected"), ROWS)
def test_every_row_against_recorded_evidence(
    loc: str, acct: str, expected: str, credentials: bool
) -> None:
    """A network-trusting server answers as the row says; diagnosis must agree with the row."""
    situation = Situation(Location(loc), AccountType(acct), RecipientDomain.OTHER)
    relay_allowed = expected == "normal"
    report = diagnose(_network_trusting_server(relay_allowed, credentials), situation)
    ids = {f.id for f in report.findings}
    row = next(f for f in report.findings if f.id == C.SITUATION_RELAY)
    if expected == "refused":
        assert row.outlook_error == "0x800CCC79"
    else:
        assert row.outlook_error is None
    if relay_allowed:
        assert C.RELAY_TRUSTED_NETWORK in ids
        assert C.RELAY_OPEN not in ids
        assert report.recommendation is not None
        assert report.recommendation.auth is credentials
    elif credentials:
        assert C.RELAY_NEEDS_AUTH in ids
        assert report.recommendation is not None and report.recommendation.auth
        assert report.recommendation.port == 587
        assert report.exit_code == 0
    else:
        assert C.RELAY_NEEDS_CREDENTIALS in ids
        assert report.recommendation is None and report.exit_code == 2


@pytest.mark.parametrize(("loc", "acct", "expected"), [r for r in ROWS if r[2] == "refused"])
def test_accepted_where_the_table_says_refused_is_an_open_relay(
    loc: str, acct: str, expected: str
) -> None:
    situation = Situation(Location(loc), AccountType(acct), RecipientDomain.OTHER)
    report = diagnose(_network_trusting_server(True, False), situation)
    assert C.RELAY_OPEN in {f.id for f in report.findings}
    assert report.exit_code == 1
