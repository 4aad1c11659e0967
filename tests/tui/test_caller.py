"""What the caller reads back from Test-NetConnection or nc, interpreted."""

from __future__ import annotations

import pytest

from relaywiz.tui.caller import caller_commands, interpret

PS_OK = """ComputerName     : mail.example-isp.net
RemoteAddress    : 192.0.2.25
RemotePort       : 587
InterfaceAlias   : Wi-Fi
SourceAddress    : 10.0.0.23
TcpTestSucceeded : True"""
PS_FAIL = """WARNING: TCP connect to (192.0.2.25 : 25) failed
ComputerName           : mail.example-isp.net
RemoteAddress          : 192.0.2.25
RemotePort             : 25
InterfaceAlias         : Wi-Fi
SourceAddress          : 10.0.0.23
PingSucceeded          : True
TcpTestSucceeded       : False"""


def test_commands_name_host_and_port_for_each_system() -> None:
    assert caller_commands("mail.example-isp.net", 587) == (
        ("Windows (PowerShell)", "Test-NetConnection -ComputerName mail.example-isp.net -Port 587"),
        ("macOS / Linux (Terminal)", "nc -vz mail.example-isp.net 587"),
    )


@pytest.mark.parametrize(
    ("said", "verdict"),
    [
        (PS_OK, "open"),
        ("Connection to mail.example-isp.net port 587 [tcp/submission] succeeded!", "open"),
        ("Connection to mail.example-isp.net (192.0.2.25) 587 port [tcp/submission] open", "open"),
        ("true", "open"),
        (PS_FAIL, "blocked"),
        (
            "nc: connect to mail.example-isp.net port 25 (tcp) timed out: Operation now in progress",
            "blocked",
        ),
        (
            "nc: connectx to mail.example-isp.net port 25 (tcp) failed: Operation timed out",
            "blocked",
        ),
        ("false", "blocked"),
        (
            "nc: connect to mail.example-isp.net port 2525 (tcp) failed: Connection refused",
            "refused",
        ),
        (
            'nc: getaddrinfo for host "mial.example-isp.net" port 587: Name or service not known',
            "unclear",
        ),
        ("it shows a blue window", "unclear"),
        ("", "unclear"),
    ],
)
def test_answers_are_read(said: str, verdict: str) -> None:
    assert interpret(587, said, True, ("465",)).verdict == verdict


def test_a_block_on_the_callers_side_points_to_a_port_that_works() -> None:
    check = interpret(25, PS_FAIL, True, ("587", "465"))
    assert "caller's network" in check.meaning and "port 587" in check.meaning
    nothing = interpret(587, PS_FAIL, True, ())
    assert "No other port worked" in nothing.meaning
    both = interpret(25, PS_FAIL, False, ("587",))
    assert "nor from here" in both.meaning
