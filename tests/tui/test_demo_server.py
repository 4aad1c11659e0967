"""The practice server behaves like a typical ISP, on loopback only (real aiosmtplib client)."""

from __future__ import annotations

import ssl
import sys
from pathlib import Path

import aiosmtplib
import pytest

from relaywiz.demo import DemoInfo, practice_server


def _ctx(info: DemoInfo) -> ssl.SSLContext:
    assert info.cafile
    return ssl.create_default_context(cafile=info.cafile)


def _port(info: DemoInfo, standard: int) -> int:
    return next(p for p in info.ports if info.standard_port(p) == standard)


async def test_submission_port_wants_starttls_then_auth() -> None:
    async with practice_server() as info:
        assert info.host == "127.0.0.1"
        port = _port(info, 587)
        assert port >= 1024
        smtp = aiosmtplib.SMTP(
            hostname=info.host, port=port, start_tls=False, tls_context=_ctx(info), timeout=5
        )
        await smtp.connect()
        await smtp.ehlo()
        assert smtp.supports_extension("starttls")
        assert not smtp.supports_extension("auth")
        code, text = await smtp.execute_command(b"MAIL", b"FROM:<" + info.mail_from.encode() + b">")
        assert code == 530 and "STARTTLS" in text
        await smtp.starttls()  # the certificate verifies against the demo CA
        await smtp.ehlo()
        assert "PLAIN" in smtp.esmtp_extensions.get("auth", "").upper()
        code, _ = await smtp.execute_command(b"MAIL", b"FROM:<" + info.mail_from.encode() + b">")
        assert code == 530
        with pytest.raises(aiosmtplib.SMTPAuthenticationError):
            await smtp.login(info.username, "not-the-password")
        await smtp.login(info.username, info.password)
        await smtp.mail(info.mail_from)
        code, _ = await smtp.rcpt(info.rcpt_other)
        assert code == 250
        await smtp.quit()


async def test_relay_port_relays_only_for_its_own_network() -> None:
    async with practice_server() as info:
        port = _port(info, 25)
        smtp = aiosmtplib.SMTP(hostname=info.host, port=port, start_tls=False, timeout=5)
        await smtp.connect()
        await smtp.ehlo()
        assert not smtp.supports_extension("auth")
        await smtp.mail(info.mail_from)
        code, _ = await smtp.rcpt("postmaster@isp.test")
        assert code == 250
        with pytest.raises(aiosmtplib.SMTPRecipientRefused) as refused:
            await smtp.rcpt(info.rcpt_other)
        assert refused.value.code == 554 and "Relay access denied" in refused.value.message
        await smtp.quit()
        if info.source_inside is None:
            pytest.skip("this system cannot bind a second loopback address")
        inside = aiosmtplib.SMTP(
            hostname=info.host,
            port=port,
            start_tls=False,
            timeout=5,
            source_address=(info.source_inside, 0),
        )
        await inside.connect()
        await inside.ehlo()
        await inside.mail(info.mail_from)
        code, _ = await inside.rcpt(info.rcpt_other)
        assert code == 250
        await inside.quit()


async def test_port_465_is_absent_and_everything_is_gone_afterwards() -> None:
    async with practice_server() as info:
        port = _port(info, 465)
        assert port in info.implicit_tls_ports
        smtp = aiosmtplib.SMTP(hostname=info.host, port=port, use_tls=True, timeout=5)
        with pytest.raises(aiosmtplib.SMTPConnectError):
            await smtp.connect()
        cafile = Path(info.cafile or "")
        assert cafile.exists()
        listening = _listening_addresses({_port(info, 587), _port(info, 25)})
    assert not cafile.exists()
    if sys.platform.startswith("linux"):
        assert listening and all(addr == "0100007F" for addr in listening), listening
    async with practice_server():
        pass  # the ports were released: a second demo starts cleanly


def _listening_addresses(ports: set[int]) -> list[str]:
    """Local addresses (hex, from /proc/net/tcp*) listening on `ports`."""
    found: list[str] = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            addr, port_hex = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(port_hex, 16) in ports:
                found.append(addr)
    return found
