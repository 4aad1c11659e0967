"""The probe against hostile servers: each one probed beside a well-behaved server.

For every hostile server the probe (run in a child process, with diagnosis and
every renderer) must: end within its configured timeouts plus a margin, keep its
peak RSS under 100 MB, name the hostile port's outcome and explain it, leave the
good port's result exactly as when that port is probed alone, never send DATA,
and never crash. Bounds are correctness bounds against the configured timeouts,
not speed benchmarks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from relaywiz.core.model import Outcome
from relaywiz.core.smtp.probe import port_budget, run_probe
from relaywiz.core.smtp.request import ProbeRequest
from tests.hostile.harness import (
    BUDGET,
    EXPECT,
    MARGIN,
    MAX_RSS_KB,
    TIMEOUTS,
    Expect,
    probe_spec,
    report_of,
    run_driver,
)
from tests.hostile.measure import Measured
from tests.hostile.servers import NAMES, Hostile, has_ipv6_loopback, hostile
from tests.support.servers import OTHER, USER, Certs, Policy, smtp_server

# A traveller with an ISP account: an accepted other-domain recipient without a
# login can only mean an open relay (see the relay table).
TRAVELLER = {"location": "travel", "account_type": "isp", "recipient_domain": "other"}


def _port(report: dict[str, Any], port: int) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in report["ports"] if p["port"] == port)
    return found


def _summary(port: dict[str, Any]) -> tuple[object, ...]:
    """What must not change about a port when a hostile neighbour is probed with it."""
    return (
        port["outcome"],
        port["stage"],
        port["reply"],
        port["starttls_offered"],
        port["auth_mechanisms"],
        (port["tls"] or {}).get("verified"),
        tuple((a["tls"], a["auth"], a["outcome"], a["stage"]) for a in port["attempts"]),
    )


@pytest.fixture(scope="module")
def good_alone(certs: Certs) -> tuple[object, ...]:
    """The good server's port probed on its own, in a child process like the rest."""
    with smtp_server(Policy(), starttls=certs.server_context(certs.good)) as (port, _):
        run = run_driver(probe_spec("127.0.0.1", [port], str(certs.cafile), situation=TRAVELLER))
    assert run.returncode == 0, run.stderr
    return _summary(report_of(run)["ports"][0])


def check_run(run: Measured, h: Hostile, good: int, expect: Expect) -> dict[str, Any]:
    """The checks every hostile probe must pass; returns the report."""
    budget = port_budget(ProbeRequest("x", USER, timeouts=h.timeouts or TIMEOUTS))
    assert run.returncode == 0, f"probe crashed:\n{run.stderr[-3000:]}"
    assert "Traceback" not in run.stderr
    assert run.max_rss_kb < MAX_RSS_KB, f"peak RSS {run.max_rss_kb} kB"
    report = report_of(run)
    assert report["elapsed_ms"] / 1000 < budget + MARGIN
    port = _port(report, h.port)
    bound = budget if expect.bound is None else expect.bound
    assert port["elapsed_ms"] / 1000 < bound + MARGIN, port["elapsed_ms"]
    assert port["outcome"] == expect.outcome.value, port
    if expect.stage is not None:
        assert port["stage"] == expect.stage.value, port
    else:  # cut off by the port's total budget, and its elapsed time says so
        assert "in all" in port["detail"], port["detail"]
        assert port["elapsed_ms"] / 1000 >= budget - 0.5, port["elapsed_ms"]
    if expect.outcome is not Outcome.OK:
        assert port["detail"].strip(), "outcome not explained"
    ids = {(f["id"], f["port"]) for f in report["findings"]}
    if expect.finding is not None:
        assert (expect.finding, h.port) in ids, sorted(map(str, ids))
        finding = next(f for f in report["findings"] if f["id"] == expect.finding)
        assert finding["explanation"].strip() and finding["remedy"].strip()
    assert h.data_sent() == 0
    return report


@pytest.mark.parametrize("name", NAMES)
def test_hostile_server_beside_a_good_one(
    name: str, certs: Certs, good_alone: tuple[object, ...]
) -> None:
    expect = EXPECT[name]
    policy = Policy()
    with (
        hostile(name, certs) as h,
        smtp_server(policy, starttls=certs.server_context(certs.good)) as (good, handler),
    ):
        spec = probe_spec(
            "127.0.0.1",
            [h.port, good],
            str(certs.cafile),
            h.implicit,
            situation=TRAVELLER,
            timeouts=h.timeouts or TIMEOUTS,
        )
        run = run_driver(spec)
    report = check_run(run, h, good, expect)
    assert _summary(_port(report, good)) == good_alone
    assert handler.log.data_sent == 0


def test_bad_bytes_are_kept_readable_not_dropped(certs: Certs) -> None:
    with hostile("bad_bytes", certs) as h:
        run = run_driver(probe_spec("127.0.0.1", [h.port], str(certs.cafile), situation=TRAVELLER))
    # Alone, no port offers a login at all: the diagnosis suspects POP-before-SMTP.
    expect = replace(EXPECT["bad_bytes"], finding="relay.pop_before_smtp_likely")
    report = check_run(run, h, 0, expect)
    port = report["ports"][0]
    assert port["banner"]["text"].startswith("mx\ufffd.\ufffdtest ESMTP")
    assert "\x1b" not in run.stdout and "\\u001b" not in run.stdout
    assert "\\u0000" not in run.stdout
    assert port["reply"]["text"].startswith("5.7.1 <x>: Relay access denied \ufffd")
    assert port["size_limit"] is None  # "10\x00240000" is not a number


def test_endless_reply_is_cut_off_early_not_read_until_the_timeout(certs: Certs) -> None:
    """aiosmtplib stops at 32 KiB of one reply; the port ends long before its budget."""
    with hostile("endless_multiline", certs) as h:
        run = run_driver(probe_spec("127.0.0.1", [h.port], str(certs.cafile), situation=TRAVELLER))
    report = check_run(run, h, 0, EXPECT["endless_multiline"])
    port = report["ports"][0]
    assert port["reply"] is None  # no made-up reply code
    assert port["elapsed_ms"] / 1000 < TIMEOUTS.command


@pytest.mark.skipif(not has_ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")
@pytest.mark.parametrize("name", ["silent", "bad_bytes", "open_relay"])
def test_hostile_servers_listening_only_on_ipv6_loopback(
    name: str, certs: Certs, good_alone: tuple[object, ...]
) -> None:
    with (
        hostile(name, certs, host="::1") as h,
        smtp_server(Policy(), host="::1", starttls=certs.server_context(certs.good)) as (good, _),
    ):
        spec = probe_spec("::1", [h.port, good], str(certs.cafile), h.implicit, TRAVELLER)
        run = run_driver(spec)
    report = check_run(run, h, good, EXPECT[name])
    assert report["target"]["addresses"] == ["::1"]
    assert _summary(_port(report, good)) == good_alone


@pytest.mark.skipif(not has_ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")
async def test_ipv6_only_server_reached_through_its_second_address(certs: Certs) -> None:
    """A name whose first address (127.0.0.1) refuses: the probe goes on to ::1."""
    from relaywiz.core.smtp.port import PortProber, port_result

    with smtp_server(Policy(relay_needs_auth=False), host="::1") as (port, h):
        request = ProbeRequest(
            host="localhost", mail_from=USER, ports=(port,), rcpt_other=OTHER, timeouts=TIMEOUTS
        )
        prober = PortProber(request, ("127.0.0.1", "::1"), port, None)
        await prober.run()
        result = port_result(prober, 0.0)
    assert result.outcome is Outcome.OK and prober.address == "::1"
    assert h.log.data_sent == 0


async def test_probe_in_process_survives_every_hostile_server_at_once(certs: Certs) -> None:
    """All hostile servers in one probe: each port keeps its own named outcome."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        servers = [stack.enter_context(hostile(n, certs)) for n in NAMES]
        servers = [h for h in servers if h.timeouts is None]  # made for the suite's timeouts
        implicit = frozenset().union(*(h.implicit for h in servers))
        request = ProbeRequest(
            host="127.0.0.1",
            mail_from=USER,
            ports=tuple(h.port for h in servers),
            rcpt_other=OTHER,
            timeouts=TIMEOUTS,
            cafile=str(certs.cafile),
            implicit_tls_ports=implicit,
        )
        evidence = await run_probe(request)
    assert evidence.elapsed_ms / 1000 < BUDGET + MARGIN
    got = {h.name: (p.outcome, p.stage) for h, p in zip(servers, evidence.ports, strict=True)}
    want = {h.name: (EXPECT[h.name].outcome, EXPECT[h.name].stage) for h in servers}
    assert got == want
