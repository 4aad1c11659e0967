"""The wizard shows the same outcomes for hostile servers as the probe's report.

A real probe runs against hostile servers on loopback; its evidence is replayed
through the wizard's recorded core (`RecordedCore`, the TUI tests' fake core) and
the probe screen must name every port's outcome in the wizard's words, then the
diagnosis must open, without a crash and without a control character on screen.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("textual")

from relaywiz.core.model import AccountType, Evidence, Location, RecipientDomain, Situation
from relaywiz.core.smtp.probe import run_probe
from relaywiz.core.smtp.request import DEFAULT_PORTS, ProbeRequest
from relaywiz.tui import drive
from relaywiz.tui.app import RelayWizApp
from relaywiz.tui.recorded import ADDRESS, HOST, RecordedCore, Scenario
from relaywiz.tui.screens.diagnosis import DiagnosisScreen
from relaywiz.tui.screens.probe import ProbeScreen
from relaywiz.tui.ticket import OUTCOME_WORDS
from tests.hostile.harness import EXPECT, TIMEOUTS
from tests.hostile.servers import hostile
from tests.support.servers import OTHER, USER, Certs
from tests.tui.conftest import no_keyring, screen_text  # noqa: F401

# The wizard probes the default ports, so each set of four hostile servers is
# recorded on free ports and then filed under 587, 465, 25 and 2525 (the implicit
# TLS one under 465), as the recorded core's own scenarios are.
SETS = (
    ("bad_bytes", "tls_reset_implicit", "open_relay", "silent"),
    ("endless_multiline", "plain_on_implicit_port", "close_after_rcpt", "drip_banner"),
)
TRAVELLER = Situation(Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER)


def _as_default_ports(evidence: Evidence) -> Evidence:
    ports = tuple(replace(p, port=d) for p, d in zip(evidence.ports, DEFAULT_PORTS, strict=True))
    return replace(evidence, ports=ports, target=replace(evidence.target, ports=DEFAULT_PORTS))


@pytest.mark.usefixtures("no_keyring")
@pytest.mark.parametrize("shown", SETS)
async def test_wizard_names_each_hostile_ports_outcome(
    shown: tuple[str, ...], certs: Certs, tmp_path: Path
) -> None:
    assert DEFAULT_PORTS == (587, 465, 25, 2525)
    with ExitStack() as stack:
        servers = [stack.enter_context(hostile(n, certs)) for n in shown]
        evidence = await run_probe(
            ProbeRequest(
                host="127.0.0.1",
                mail_from=USER,
                ports=tuple(h.port for h in servers),
                rcpt_other=OTHER,
                timeouts=TIMEOUTS,
                cafile=str(certs.cafile),
                implicit_tls_ports=frozenset().union(*(h.implicit for h in servers)),
            )
        )
    outcomes = {h.name: p.outcome for h, p in zip(servers, evidence.ports, strict=True)}
    assert outcomes == {n: EXPECT[n].outcome for n in shown}  # the same as the report's
    evidence = _as_default_ports(evidence)
    scenario = Scenario("hostile", "hostile servers", evidence, TRAVELLER, False)
    app = RelayWizApp(RecordedCore(scenario), helpdesk=False, report_dir=tmp_path)
    async with app.run_test(size=(140, 60)) as pilot:
        await drive.start_wizard(pilot)
        await drive.account(pilot, ADDRESS, HOST)
        await drive.situation(
            pilot, TRAVELLER.location, TRAVELLER.account_type, TRAVELLER.recipient_domain
        )
        await drive.credentials(pilot, None)
        assert isinstance(app.screen, ProbeScreen)
        await drive.probe_done(pilot)
        text = screen_text(app)  # type: ignore[arg-type]
        for port in evidence.ports:
            assert str(port.port) in text
            assert OUTCOME_WORDS[port.outcome] in text, (port.port, port.outcome)
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiagnosisScreen)
        assert screen_text(app).strip()
