"""Checks only the caller's own network can answer, and what their answers mean.

The helpdesk probes from its own network. Whether port 25 or 587 is blocked
where the caller sits can only be seen from there, so the wizard hands out one
command per system and reads back whatever the caller reads out. Pure text
functions: no UI, no network.
"""

from __future__ import annotations

import re

from relaywiz.tui.state import CallerCheck


def caller_commands(host: str, port: int) -> tuple[tuple[str, str], ...]:
    """(system, command) pairs that test a TCP connection to host:port from the caller's side."""
    return (
        ("Windows (PowerShell)", f"Test-NetConnection -ComputerName {host} -Port {port}"),
        ("macOS / Linux (Terminal)", f"nc -vz {host} {port}"),
    )


_OPEN = (
    r"tcptestsucceeded\s*:\s*true",
    r"\bsucceeded\b",
    r"\bopen\b",
    r"connected to",
    r"^\s*(true|yes|ok)\s*$",
)
_REFUSED = (r"refused", r"actively refused")
_BLOCKED = (
    r"tcptestsucceeded\s*:\s*false",
    r"timed? ?out",
    r"tcp connect to .* failed",
    r"no route to host",
    r"network is unreachable",
    r"^\s*(false|no)\s*$",
)
_NAME = (
    r"name resolution .* failed",
    r"could not resolve",
    r"name or service not known",
    r"nodename nor servname",
    r"no such host",
    r"unknown host",
)


def _matches(patterns: tuple[str, ...], text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE | re.MULTILINE) for p in patterns)


def interpret(
    port: int, said: str, open_from_here: bool | None, alternatives: tuple[str, ...] = ()
) -> CallerCheck:
    """What the caller's answer `said` means for `port`.

    `open_from_here` is what our own probe saw on that port (None: not probed),
    which tells a block on the caller's network apart from a server that is down;
    `alternatives` names the other ports that worked from here, best first.
    """
    if alternatives:
        instead = f"Use port {alternatives[0]} instead (check it the same way)."
    else:
        instead = (
            "No other port worked from here either: the caller needs another network "
            "(a phone hotspot) or their provider must unblock it."
        )
    text = said.strip()
    if not text:
        return CallerCheck(port, said, "unclear", "Nothing read back yet.")
    if _matches(_NAME, text):
        return CallerCheck(
            port,
            said,
            "unclear",
            "The caller's computer cannot find the server's name: check the spelling of "
            "the server name, or the caller's DNS.",
        )
    if _matches(_REFUSED, text):
        return CallerCheck(
            port,
            said,
            "refused",
            f"Port {port} answers with a refusal from the caller's side: nothing listens "
            f"there, or a firewall on the way rejects it. {instead}",
        )
    if _matches(_BLOCKED, text) and not re.search(r"tcptestsucceeded\s*:\s*true", text, re.I):
        if open_from_here:
            meaning = (
                f"Port {port} works from here but not from the caller's network: their "
                f"provider, hotel or firewall blocks it. {instead}"
            )
        else:
            meaning = (
                f"Port {port} does not answer from the caller's network, nor from here: the "
                f"server does not offer it, or both networks block it. {instead}"
            )
        return CallerCheck(port, said, "blocked", meaning)
    if _matches(_OPEN, text):
        return CallerCheck(
            port,
            said,
            "open",
            f"Port {port} is reachable from the caller's network: the setting will work there too.",
        )
    return CallerCheck(
        port,
        said,
        "unclear",
        "That answer is not one relaywiz recognises; ask the caller to read the last "
        "lines again (look for TcpTestSucceeded, succeeded, refused or timed out).",
    )
