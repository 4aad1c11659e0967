"""relaywiz, installed, against real Postfix/Dovecot: every scenario, with and without a login.

Each case runs `relaywiz --probe HOST … --json` as a subprocess against one lab
scenario, from the server's own network or from outside, with the right
password, a wrong one, or none, and checks what a user would rely on: the
outcome per port, the findings (ids from relaywiz.core.diagnose.catalogue), the
recommended setting and the exit code. Every case also checks the server's own
log and queue: the probe reached it, and no message was queued (no DATA without
--send-test).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from lab.exim import exim_missing
from lab.labctl import Lab
from lab.scenarios import SCENARIOS
from tests.lab.conftest import ProbeRun, run_probe, settle

ALL = (587, 465, 25, 2525)


@dataclass(frozen=True)
class Case:
    """One probe and what it must find."""

    id: str
    scenario: str
    outcomes: dict[int, str]
    findings: tuple[tuple[str, int | None], ...]
    recommendation: tuple[int, str, bool, bool] | None  # port, security, auth, pop
    exit_code: int
    source: str = "outside"  # "inside" = the ISP's own network
    login: str | None = None  # None, "right", "wrong"
    mail_from: str | None = None  # default alice@<scenario domain>
    extra: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()  # finding ids that must not appear
    tags: frozenset[str] = field(default_factory=frozenset)
    known_bug: str | None = None  # a strict xfail: the test turns red once it is fixed


R = "refused"
CASES = [
    # --- ISP: 25 for its own network, 587 STARTTLS + AUTH, sender must be the login's
    Case(
        "isp-outside-nologin",
        "isp",
        {587: "relay_denied", 465: R, 25: "relay_denied", 2525: R},
        (
            ("relay.needs_credentials", 587),
            ("tls.required", 587),
            ("auth.only_after_starttls", 587),
            ("connect.refused", 465),
        ),
        None,
        2,
        absent=("relay.open", "relay.trusted_network"),
    ),
    Case(
        "isp-outside-login",
        "isp",
        {587: "ok", 465: R, 25: "auth_unavailable", 2525: R},
        (("relay.needs_auth", 587), ("auth.unavailable", 25)),
        (587, "starttls", True, False),
        0,
        login="right",
    ),
    Case(
        "isp-outside-wrong-password",
        "isp",
        {587: "auth_failed", 465: R, 25: "auth_unavailable", 2525: R},
        (("auth.failed", 587),),
        None,
        2,
        login="wrong",
        absent=("relay.needs_auth",),
        # Dovecot slows down logins from an address that just failed one: keep it apart.
        tags=frozenset({"fresh-source"}),
    ),
    Case(
        "isp-inside-nologin-home",
        "isp",
        {587: "relay_denied", 465: R, 25: "ok", 2525: R},
        (("relay.trusted_network", 25),),
        (25, "starttls", False, False),
        0,
        source="inside",
        extra=("--location", "home", "--account-type", "isp"),
        absent=("relay.open",),
    ),
    Case(
        "isp-inside-nologin",
        "isp",
        {587: "relay_denied", 465: R, 25: "ok", 2525: R},
        (("relay.unauthenticated_accepted", 25),),
        (25, "starttls", False, False),
        1,
        source="inside",
    ),
    Case(
        "isp-inside-login",
        "isp",
        {587: "ok", 465: R, 25: "auth_unavailable", 2525: R},
        (("relay.needs_auth", 587), ("relay.unauthenticated_accepted", 25)),
        (587, "starttls", True, False),
        1,  # 25 relays without a login from here: a warning
        source="inside",
        login="right",
        absent=("relay.open",),
    ),
    Case(
        "isp-outside-nologin-travel",
        "isp",
        {25: "relay_denied"},
        (("situation.relay", None),),
        None,
        2,
        extra=("--port", "25", "--location", "travel", "--account-type", "isp"),
        absent=("relay.open",),
    ),
    Case(
        "isp-sender-not-owned",
        "isp",
        {587: "sender_rejected", 465: R, 25: "auth_unavailable", 2525: R},
        (("sender.not_owned", 587),),
        None,
        2,
        login="right",
        mail_from="bob@isp.test",
    ),
    # --- implicit TLS only, AUTH required
    Case(
        "implicit-nologin",
        "implicit",
        {587: R, 465: "auth_required", 25: R, 2525: R},
        (("relay.needs_credentials", 465),),
        None,
        2,
    ),
    Case(
        "implicit-login",
        "implicit",
        {587: R, 465: "ok", 25: R, 2525: R},
        (("relay.needs_auth", 465),),
        (465, "ssl_tls", True, False),
        0,
        login="right",
    ),
    # --- port 25 unavailable three ways, 587 works
    Case(
        "p25-refused",
        "p25_refused",
        {587: "ok", 465: R, 25: R, 2525: R},
        (("connect.refused", 25), ("relay.needs_auth", 587)),
        (587, "starttls", True, False),
        0,
        login="right",
    ),
    Case(
        "p25-filtered",
        "p25_filtered",
        {587: "ok", 465: R, 25: "filtered", 2525: R},
        (("connect.port25_blocked", 25),),
        (587, "starttls", True, False),
        0,
        login="right",
    ),
    Case(
        "p25-silent",
        "p25_silent",
        {587: "ok", 465: R, 25: "no_banner", 2525: R},
        (("connect.no_banner", 25),),
        (587, "starttls", True, False),
        0,
        login="right",
    ),
    # --- greylisting at RCPT on 25 (inside the network), 587 with AUTH unaffected
    Case(
        "greylist-inside-nologin",
        "greylist",
        {587: "relay_denied", 465: R, 25: "greylisted", 2525: R},
        (("smtp.greylisted", 25),),
        None,
        2,
        source="inside",
        tags=frozenset({"fresh-sender"}),
    ),
    Case(
        "greylist-inside-login",
        "greylist",
        {587: "ok", 465: R, 25: "auth_unavailable", 2525: R},
        (("smtp.greylisted", 25), ("relay.needs_auth", 587)),
        (587, "starttls", True, False),
        0,
        source="inside",
        login="right",
        tags=frozenset({"fresh-sender"}),
    ),
    # --- AUTH in clear text on 2525, relay refused without it
    Case(
        "cleartext-nologin",
        "cleartext",
        {587: R, 465: R, 25: R, 2525: "relay_denied"},
        (
            ("relay.needs_credentials", 2525),
            ("auth.offered_in_clear", 2525),
            ("tls.starttls_unavailable", 2525),
        ),
        None,
        2,
    ),
    Case(
        "cleartext-login",
        "cleartext",
        {587: R, 465: R, 25: R, 2525: "ok"},
        (("relay.needs_auth", 2525), ("security.no_tls", 2525), ("auth.offered_in_clear", 2525)),
        (2525, "none", True, False),
        1,
        login="right",
    ),
    # --- POP-before-SMTP
    Case(
        "popauth-no-pop",
        "popauth",
        {25: "relay_denied"},
        (("relay.pop_before_smtp_likely", 25),),
        None,
        2,
        extra=("--port", "25"),
        tags=frozenset({"fresh-source"}),
    ),
    Case(
        "popauth-pop-login",
        "popauth",
        {25: "ok"},
        (("relay.pop_before_smtp_works", 25),),
        (25, "starttls", False, True),
        0,
        login="right",
        extra=("--port", "25", "--pop-before-smtp"),
        tags=frozenset({"fresh-source"}),
    ),
    Case(
        "popauth-pop-110-stls",
        "popauth",
        {25: "ok"},
        (("relay.pop_before_smtp_works", 25),),
        (25, "starttls", False, True),
        0,
        login="right",
        extra=("--port", "25", "--pop-before-smtp", "--pop-port", "110"),
        tags=frozenset({"fresh-source"}),
    ),
    Case(
        "popauth-pop-wrong-password",
        "popauth",
        {25: "auth_unavailable"},
        (("relay.pop_login_failed", None),),
        None,
        2,
        login="wrong",
        extra=("--port", "25", "--pop-before-smtp"),
        absent=("relay.pop_before_smtp_works",),
        tags=frozenset({"fresh-source"}),
    ),
    # --- an open relay
    Case(
        "open-relay-travel",
        "open_relay",
        {587: R, 465: R, 25: "ok", 2525: R},
        (("relay.open", 25),),
        (25, "starttls", False, False),
        1,
        extra=("--location", "travel", "--account-type", "isp"),
    ),
    Case(
        "open-relay-unknown-situation",
        "open_relay",
        {587: R, 465: R, 25: "ok", 2525: R},
        (("relay.unauthenticated_accepted", 25),),
        (25, "starttls", False, False),
        1,
    ),
    # --- a certificate for another name
    Case(
        "wrong-cert",
        "wrong_cert",
        {587: "tls_error", 465: "tls_error", 25: R, 2525: R},
        (("tls.certificate_name_mismatch", 587), ("tls.certificate_name_mismatch", 465)),
        None,
        2,
        login="right",
    ),
    Case(
        "wrong-cert-insecure",
        "wrong_cert",
        {587: "ok", 465: "ok", 25: R, 2525: R},
        (("tls.checks_disabled", None),),
        (-1, "", True, False),
        1,
        login="right",
        extra=("--insecure",),
    ),
    # --- Exim as an ISP (Debian's Exim unpacked into its own root)
    Case(
        "exim-outside-nologin",
        "exim_isp",
        {587: "relay_denied", 465: R, 25: "relay_denied", 2525: R},
        (
            ("relay.needs_credentials", 587),
            ("tls.required", 587),
            ("auth.only_after_starttls", 587),
        ),
        None,
        2,
        mail_from="alice@eximisp.test",
        absent=("relay.open",),
    ),
    Case(
        "exim-outside-login",
        "exim_isp",
        {587: "ok", 465: R, 25: "auth_unavailable", 2525: R},
        (("relay.needs_auth", 587),),
        (587, "starttls", True, False),
        0,
        login="right",
        mail_from="alice@eximisp.test",
    ),
    Case(
        "exim-wrong-password",
        "exim_isp",
        {587: "auth_failed", 465: R, 25: "auth_unavailable", 2525: R},
        (("auth.failed", 587),),
        None,
        2,
        login="wrong",
        mail_from="alice@eximisp.test",
        tags=frozenset({"fresh-source"}),
    ),
    Case(
        "exim-inside-nologin-home",
        "exim_isp",
        {587: "relay_denied", 465: R, 25: "ok", 2525: R},
        (("relay.trusted_network", 25),),
        (25, "starttls", False, False),
        0,
        source="inside",
        mail_from="alice@eximisp.test",
        extra=("--location", "home", "--account-type", "isp"),
    ),
]

_fresh = iter(range(50))


def scenario_mta(case: Case) -> str:
    return SCENARIOS[case.scenario].mta


def _probe(relaywiz: str, lab: Lab, case: Case) -> tuple[ProbeRun, list[str], str]:
    scenario = SCENARIOS[case.scenario]
    if scenario.mta == "exim" and exim_missing():
        pytest.skip(f"lab Exim unavailable: {exim_missing()}")
    run = lab.running[case.scenario]
    source = lab.inside if case.source == "inside" else lab.outside
    if "fresh-source" in case.tags:
        source = lab.client(next(_fresh))
    mail_from = case.mail_from or f"alice@{scenario.domain}"
    if "fresh-sender" in case.tags:  # a greylisting triplet nobody has used yet
        mail_from = f"alice+{case.id}@{scenario.domain}"
    password = {None: None, "right": lab.passwords["alice"], "wrong": "not-the-password"}
    mark = run.server.log_size()
    result = run_probe(
        relaywiz,
        lab,
        run.address,
        mail_from,
        source=source,
        password=password[case.login],
        extra=case.extra,
    )
    settle()
    return result, run.server.queued_since(mark), run.server.log_since(mark)


PARAMS = [
    pytest.param(
        c,
        id=c.id,
        marks=[pytest.mark.xfail(strict=True, reason=c.known_bug)] if c.known_bug else [],
    )
    for c in CASES
]


@pytest.mark.parametrize("case", PARAMS)
def test_probe_scenario(relaywiz_bin: str, lab: Lab, case: Case) -> None:
    result, queued, log = _probe(relaywiz_bin, lab, case)
    report = result.report
    assert result.returncode == report["exit_code"], result.stderr

    # The outcome per port, first: what the server did.
    got = {port: result.outcomes.get(port) for port in case.outcomes}
    assert got == case.outcomes, f"{case.id}: outcomes {result.outcomes}"

    # The findings relaywiz drew from it.
    missing = [f for f in case.findings if f not in result.findings]
    assert not missing, f"{case.id}: missing {missing}; got {sorted(result.findings, key=str)}"
    unwanted = set(case.absent) & result.finding_ids
    assert not unwanted, f"{case.id}: unexpected {unwanted}"

    # The one recommended setting (or the reason there is none).
    rec = report["recommendation"]
    if case.recommendation is None:
        assert rec is None, f"{case.id}: unexpected recommendation {rec}"
        assert report["no_recommendation_reason"]
    else:
        port, security, auth, pop = case.recommendation
        assert rec is not None, (
            f"{case.id}: no recommendation: {report['no_recommendation_reason']}"
        )
        if port != -1:
            assert (rec["port"], rec["security"]) == (port, security)
            assert result.outcomes[rec["port"]] == "ok"
        assert (rec["auth"], rec["pop_before_smtp"]) == (auth, pop)
    if case.exit_code != -1:
        assert report["exit_code"] == case.exit_code

    # POP-before-SMTP: the login went where it was asked, and worked only with the password.
    if "--pop-before-smtp" in case.extra:
        pop = report["pop_before_smtp"]
        assert pop is not None
        assert pop["logged_in"] is (case.login == "right")
        if "--pop-port" in case.extra:
            assert pop["port"] == int(case.extra[case.extra.index("--pop-port") + 1])
    else:
        assert report["pop_before_smtp"] is None

    # The password never shows, and the server queued nothing.
    assert lab.passwords["alice"] not in result.stdout + result.stderr
    assert "not-the-password" not in result.stdout + result.stderr
    assert report["send_test"] is None
    assert queued == [], f"{case.id}: a probe without --send-test queued {queued}"
    assert lab.running[case.scenario].server.queue_files() == []
    reached = any(case.outcomes.get(p) not in (None, R, "filtered", "no_banner") for p in ALL)
    if reached and scenario_mta(case) == "postfix":
        assert "connect from" in log, f"{case.id}: the server's log shows no probe connection"
    if reached and scenario_mta(case) == "exim" and case.login != "right":
        assert "rejected" in log, f"{case.id}: the server's log shows no refusal"


def test_wrong_cert_shows_the_mismatch(relaywiz_bin: str, lab: Lab) -> None:
    case = next(c for c in CASES if c.id == "wrong-cert")
    result, queued, _ = _probe(relaywiz_bin, lab, case)
    assert queued == []
    for port in (587, 465):
        tls = result.port(port)["tls"]
        assert tls is not None, f"port {port}: no certificate facts"
        assert tls["hostname_match"] is False and tls["verified"] is False
        assert tls["san"] == ["wrong-name.invalid"]
        assert tls["insecure"] is False


def test_no_password_over_an_unverified_certificate(relaywiz_bin: str, lab: Lab) -> None:
    case = next(c for c in CASES if c.id == "wrong-cert")
    result, _, log = _probe(relaywiz_bin, lab, case)
    for port in (587, 465):
        for attempt in result.port(port)["attempts"]:
            stages = [step["stage"] for step in attempt["transcript"]]
            assert "auth" not in stages, f"port {port}: AUTH sent over {attempt['tls']}"
    assert "sasl_username=alice" not in log


def test_greylisted_triplet_passes_after_the_delay(relaywiz_bin: str, lab: Lab) -> None:
    from lab.labctl import GREYLIST_DELAY

    run = lab.running["greylist"]
    args = dict(source=lab.inside, extra=("--port", "25"))
    sender = "alice+retry@grey.test"
    first = run_probe(relaywiz_bin, lab, run.address, sender, **args)  # type: ignore[arg-type]
    assert first.outcomes == {25: "greylisted"}
    assert first.port(25)["reply"]["code"] == 450
    import time

    time.sleep(GREYLIST_DELAY + 0.5)
    second = run_probe(relaywiz_bin, lab, run.address, sender, **args)  # type: ignore[arg-type]
    assert second.outcomes == {25: "ok"}


def test_send_test_queues_exactly_one_message(relaywiz_bin: str, lab: Lab) -> None:
    run = lab.running["isp"]
    mark = run.postfix.log_size()
    result = run_probe(
        relaywiz_bin,
        lab,
        run.address,
        "alice@isp.test",
        source=lab.outside,
        password=lab.passwords["alice"],
        extra=("--port", "587", "--send-test", "bob@isp.test"),
    )
    report = result.report
    assert report["send_test"]["accepted"] is True, report["send_test"]
    message_id = report["send_test"]["message_id"]
    deadline = __import__("time").monotonic() + 10
    while __import__("time").monotonic() < deadline:
        settle()
        if "status=sent" in run.postfix.log_since(mark):
            break
    queued = run.postfix.queued_since(mark)
    assert len(queued) == 1, f"--send-test queued {queued}"
    log = run.postfix.log_since(mark)
    assert f"message-id=<{message_id}>" in log
    assert f"{queued[0]}: to=<bob@isp.test>" in log and "status=sent" in log
    mbox = run.postfix.mailbox("bob").read_text(errors="replace")
    assert message_id in mbox
    assert lab.passwords["alice"] not in mbox


def test_send_test_through_exim_queues_exactly_one_message(relaywiz_bin: str, lab: Lab) -> None:
    if exim_missing():
        pytest.skip(f"lab Exim unavailable: {exim_missing()}")
    run = lab.running["exim_isp"]
    mark = run.server.log_size()
    result = run_probe(
        relaywiz_bin,
        lab,
        run.address,
        "alice@eximisp.test",
        source=lab.outside,
        password=lab.passwords["alice"],
        extra=("--port", "587", "--send-test", "bob@eximisp.test"),
    )
    assert result.report["send_test"]["accepted"] is True, result.report["send_test"]
    message_id = result.report["send_test"]["message_id"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "=> bob" not in run.server.log_since(mark):
        settle()
    queued = run.server.queued_since(mark)
    assert len(queued) == 1, f"--send-test queued {queued}"
    assert f"{queued[0]} => bob <bob@eximisp.test>" in run.server.log_since(mark)
    assert message_id in run.server.mailbox("bob").read_text(errors="replace")
