"""Discovery against a real local DNS server (unbound on loopback, our own zones)."""

from __future__ import annotations

import json

import pytest

from relaywiz.cli.main import main
from relaywiz.core.dns import DnsClient
from relaywiz.core.model import Security
from relaywiz.core.providers import Source, discover, discover_all

pytestmark = pytest.mark.dns


async def test_srv_records_come_first(discovery_dns: str) -> None:
    found = await discover_all("bob@srv.test", DnsClient(discovery_dns, timeout=2))
    got = [(s.host, s.port, s.source) for s in found.suggestions]
    assert got[:3] == [
        ("mail.srv.test", 465, Source.SRV_SUBMISSIONS),
        ("submit.srv.test", 587, Source.SRV_SUBMISSION),
        ("backup.srv.test", 587, Source.SRV_SUBMISSION),
    ]
    # mail.srv.test resolves and is already listed; smtp.srv.test and srv.test do not exist
    assert [s for s in found.suggestions if s.source is Source.GUESS] == []
    assert found.problems == ()


async def test_dot_srv_and_a_guess(discovery_dns: str) -> None:
    found = await discover_all("bob@dot.test", DnsClient(discovery_dns, timeout=2))
    assert [(s.host, s.port, s.source) for s in found.suggestions] == [
        ("smtp.dot.test", 587, Source.SRV_SUBMISSION),
    ]


async def test_mx_at_google_and_microsoft(discovery_dns: str) -> None:
    google = await discover("bob@hosted.test", nameserver=discovery_dns)
    assert google[0].host == "smtp.gmail.com" and google[0].source is Source.MX_PROVIDER
    assert google[0].security is Security.SSL_TLS
    ms = await discover("bob@m365.test", nameserver=discovery_dns)
    assert ms[0].host == "smtp.office365.com" and "OAuth2" in ms[0].note


async def test_guesses_that_resolve(discovery_dns: str) -> None:
    found = await discover_all("bob@guess.test", DnsClient(discovery_dns, timeout=2))
    assert [(s.host, s.source) for s in found.suggestions] == [
        ("smtp.guess.test", Source.GUESS),
        ("guess.test", Source.GUESS),
    ]


async def test_dns_failure_is_reported_not_raised(discovery_dns: str) -> None:
    found = await discover_all("bob@broken.test", DnsClient(discovery_dns, timeout=2))
    assert found.problems and all("SERVFAIL" in p for p in found.problems)
    # the guesses could not be checked: kept, and marked so
    assert found.suggestions and all("could not be checked" in s.detail for s in found.suggestions)


def test_cli_text_json_and_exit_codes(
    discovery_dns: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["settings", "bob@srv.test", "--nameserver", discovery_dns]) == 0
    out = capsys.readouterr().out
    assert "mail.srv.test" in out and "_submissions._tcp SRV record" in out
    assert "relaywiz --probe mail.srv.test" in out

    assert main(["settings", "bob@hosted.test", "--nameserver", discovery_dns, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc)[0] == "schema_version"
    assert doc["provider"]["id"] == "gmail"
    assert doc["suggestions"][0]["source"] == "mx_provider"

    assert main(["settings", "bob@none.test", "--nameserver", discovery_dns]) == 2
    assert "no server found" in capsys.readouterr().out


def test_cli_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "not-an-address", "--offline"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("relaywiz: ") and err.count("\n") == 1
    assert main(["settings", "bob@example.org", "--nameserver", "dns.example:53"]) == 3
    err = capsys.readouterr().err
    assert "nameserver" in err and "Traceback" not in err
