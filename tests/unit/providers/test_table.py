"""The provider table and the pure part of discovery (records given as text)."""

from __future__ import annotations

import pytest

from relaywiz.core.model import Security
from relaywiz.core.providers import (
    PROVIDERS,
    AddressError,
    AuthPolicy,
    Source,
    by_domain,
    by_host,
    by_mx,
    from_records,
    split_address,
)

REQUIRED = (
    "gmail",
    "outlook_com",
    "microsoft365",
    "yahoo",
    "icloud",
    "mailru",
    "yandex",
    "gmx",
    "zoho",
    "fastmail",
)


def test_the_required_providers_are_there_with_a_login_policy() -> None:
    ids = {p.id for p in PROVIDERS}
    assert set(REQUIRED) <= ids
    for p in PROVIDERS:
        assert p.submission and p.docs.startswith("https://") and p.notes
        assert isinstance(p.auth, AuthPolicy)
        for e in p.submission:
            assert (e.port, e.security) in {
                (465, Security.SSL_TLS),
                (587, Security.STARTTLS),
                (1025, Security.STARTTLS),
            }


@pytest.mark.parametrize(
    ("domain", "provider", "host", "port"),
    [
        ("gmail.com", "gmail", "smtp.gmail.com", 465),
        ("hotmail.com", "outlook_com", "smtp-mail.outlook.com", 587),
        ("yahoo.com", "yahoo", "smtp.mail.yahoo.com", 465),
        ("icloud.com", "icloud", "smtp.mail.me.com", 587),
        ("mail.ru", "mailru", "smtp.mail.ru", 465),
        ("bk.ru", "mailru", "smtp.mail.ru", 465),
        ("yandex.ru", "yandex", "smtp.yandex.com", 465),
        ("gmx.de", "gmx", "mail.gmx.net", 587),
        ("zoho.com", "zoho", "smtp.zoho.com", 465),
        ("fastmail.com", "fastmail", "smtp.fastmail.com", 465),
    ],
)
def test_by_domain(domain: str, provider: str, host: str, port: int) -> None:
    p = by_domain(domain.upper())
    assert p is not None and p.id == provider
    found = from_records(f"someone@{domain}")
    first = found.suggestions[0]
    assert (first.host, first.port, first.source) == (host, port, Source.PROVIDER_TABLE)
    assert all(s.source is Source.PROVIDER_TABLE for s in found.suggestions), "no guesses"
    assert p.name in first.note


def test_oauth_and_app_password_policies() -> None:
    assert by_domain("outlook.com").auth is AuthPolicy.OAUTH2_ONLY  # type: ignore[union-attr]
    assert by_domain("icloud.com").auth is AuthPolicy.APP_PASSWORD  # type: ignore[union-attr]
    assert by_domain("gmail.com").auth is AuthPolicy.APP_PASSWORD_OR_OAUTH2  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("mx", "provider"),
    [
        ("aspmx.l.google.com.", "gmail"),
        ("contoso-com.mail.protection.outlook.com", "microsoft365"),
        ("eur.olc.protection.outlook.com", "outlook_com"),
        ("mx01.mail.icloud.com", "icloud"),
        ("mxs.mail.ru", "mailru"),
        ("mx.yandex.net", "yandex"),
        ("in1-smtp.messagingengine.com", "fastmail"),
        ("mx.zoho.eu", "zoho"),
    ],
)
def test_by_mx(mx: str, provider: str) -> None:
    p = by_mx(mx)
    assert p is not None and p.id == provider


def test_by_host_and_no_false_matches() -> None:
    assert by_host("smtp.gmail.com").id == "gmail"  # type: ignore[union-attr]
    assert by_host("SMTP.Office365.com.").id == "microsoft365"  # type: ignore[union-attr]
    assert by_host("notgmail.com") is None
    assert by_mx("google.com.evil.example") is None
    assert by_domain("example.org") is None


def test_srv_records_in_rfc_6186_order() -> None:
    found = from_records(
        "bob@example.org",
        srv_submissions=("0 1 465 mail.example.org.",),
        srv_submission=("20 1 587 backup.example.org.", "10 5 587 submit.example.org."),
        resolvable=frozenset(),
    )
    got = [(s.host, s.port, s.security, s.source) for s in found.suggestions]
    assert got == [
        ("mail.example.org", 465, Security.SSL_TLS, Source.SRV_SUBMISSIONS),
        ("submit.example.org", 587, Security.STARTTLS, Source.SRV_SUBMISSION),
        ("backup.example.org", 587, Security.STARTTLS, Source.SRV_SUBMISSION),
    ]
    assert "_submissions._tcp.example.org SRV 0 1 465" in found.suggestions[0].detail


def test_srv_dot_target_means_not_offered() -> None:
    found = from_records("bob@example.org", srv_submissions=("0 0 0 .",), resolvable=frozenset())
    assert found.suggestions == ()


def test_mx_maps_a_hosted_domain_to_its_provider() -> None:
    found = from_records(
        "bob@example.org",
        mx=("10 alt1.aspmx.l.google.com.", "1 aspmx.l.google.com."),
        resolvable=frozenset(),
    )
    assert found.provider is not None and found.provider.id == "gmail"
    assert found.suggestions[0].source is Source.MX_PROVIDER
    assert "aspmx.l.google.com" in found.suggestions[0].detail


def test_guesses_only_when_they_resolve_or_cannot_be_checked() -> None:
    found = from_records(
        "bob@example.org",
        resolvable=frozenset({"mail.example.org"}),
        unknown=frozenset({"example.org"}),
    )
    assert [s.host for s in found.suggestions] == ["mail.example.org", "example.org"]
    assert "could not be checked" in found.suggestions[1].detail
    assert [s.host for s in from_records("bob@example.org").suggestions] == [
        "smtp.example.org",
        "mail.example.org",
        "example.org",
    ]


@pytest.mark.parametrize(
    "bad",
    ["", "bob", "@example.org", "bob@", "bob@localhost", "bob@exa mple.org", "bob@example..org"],
)
def test_bad_addresses_are_one_line_errors(bad: str) -> None:
    with pytest.raises(AddressError) as err:
        split_address(bad)
    assert "\n" not in str(err.value)


def test_settings_offline_for_a_provider(capsys: pytest.CaptureFixture[str]) -> None:
    from relaywiz.cli.main import main

    assert main(["settings", "Alice@Mail.RU", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "Mail.ru" in out and "smtp.mail.ru" in out and "port 465" in out
    assert "external applications" in out  # the login it wants today
    assert "relaywiz --probe smtp.mail.ru --from Alice@Mail.RU" in out
