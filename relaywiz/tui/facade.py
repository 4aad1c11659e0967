"""The wizard's only door into the core: a small object with the core's async API.

Screens never import core modules that do I/O; they ask this facade. Tests and
the screenshot gallery replace it with `RecordedCore`, which replays a recorded
Report, so the whole flow can be driven without a network. Capabilities that
have not landed in the core (bounce explanations, domain checks, provider
discovery) are reported as absent instead of being imitated.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import time
from dataclasses import dataclass
from typing import Any

from relaywiz.core import secrets
from relaywiz.core.model import Evidence, Report, Situation
from relaywiz.core.smtp.request import ProbeListener, ProbeRequest


@dataclass(frozen=True)
class ServerSuggestion:
    """An outgoing server the core suggests for an address, and where it came from."""

    host: str
    source: str  # "provider table", "SRV record", "MX record", ...
    port: int | None = None
    security: str | None = None
    note: str = ""
    is_provider: bool = False


@dataclass(frozen=True)
class RelayVerdict:
    """The relay table's answer for a situation, in plain words, before any probe."""

    level: str  # "ok" | "warning" | "problem" | "unknown"
    text: str


@dataclass(frozen=True)
class ClientErrorReading:
    """What the core makes of an error number or dialog text the user or caller reports."""

    code: str | None
    meaning: str


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _attr(module: str, name: str) -> Any:
    """`module.name`, or None when the module or the name does not exist (yet)."""
    if not _has(module):
        return None
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


class CoreFacade:
    """The real core, reached only through the functions the faces share."""

    # -- what is available ---------------------------------------------------
    def can_explain(self) -> bool:
        """The "I have an error message or a bounce" path exists."""
        return _has("relaywiz.core.bounce")  # a package beside us: found, not imported

    def can_check_domain(self) -> bool:
        """The "Check my sending domain" path exists."""
        return _has("relaywiz.core.checks")

    # -- before the probe ----------------------------------------------------
    def has_discovery(self) -> bool:
        """Whether the core can suggest a server for an address."""
        return _has("relaywiz.core.providers")

    async def discover(self, address: str) -> ServerSuggestion | None:
        """The best outgoing server for `address` (provider table, SRV, MX), None if none."""
        from relaywiz.core.providers import AddressError, discover

        try:
            found = await discover(address)
        except AddressError:
            return None
        if not found:
            return None
        best = found[0]
        return ServerSuggestion(
            host=best.host,
            source=best.source_words,
            port=best.port,
            security=best.security.value,
            note=best.note,
            is_provider=best.provider is not None,
        )

    def relay_verdict(self, situation: Situation) -> RelayVerdict | None:
        """The relay table's verdict for `situation`, None if the table is not available."""
        verdict = _attr("relaywiz.core.scenarios", "verdict")
        if verdict is None:
            return None
        return _verdict(verdict(situation))

    def read_client_error(self, text: str) -> ClientErrorReading | None:
        """What an Outlook error number or dialog text means, None if not recognised."""
        lookup = _attr("relaywiz.core.diagnose.outlook", "lookup")
        if lookup is None or not text.strip():
            return None
        found = lookup(text)
        if found is not None:
            return ClientErrorReading(code=found.code, meaning=found.meaning)
        return self._read_with_explainer(text)

    def explainer_ready(self) -> bool:
        """The bounce explainer is loaded (it is slow to import: load it off the UI loop)."""
        return "relaywiz.core.bounce.explain" in sys.modules

    def load_explainer(self) -> None:
        """Import the bounce explainer (call from a thread)."""
        if _has("relaywiz.core.bounce"):
            importlib.import_module("relaywiz.core.bounce.explain")

    def _read_with_explainer(self, text: str) -> ClientErrorReading | None:
        """Dialog words or a server reply ("Relay access denied"), read by the explainer."""
        if not self.explainer_ready():
            return None
        from relaywiz.core.bounce import explain

        candidates = [text]
        if not re.match(r"\s*[2-5]\d\d[ -]", text):
            candidates.append("550 " + text)  # words read out from a dialog, without a code
        for candidate in candidates:
            try:
                found = explain(candidate.encode("utf-8"))
            except Exception:
                continue
            for recipient in found.recipients:
                meaning = recipient.category.value.replace("_", " ")
                if meaning not in ("not a bounce", "unknown"):
                    return ClientErrorReading(code=recipient.outlook_error, meaning=meaning)
        return None

    # -- the probe and its judgement -------------------------------------------
    def clock(self) -> float:
        """Seconds on a monotonic clock, for the probe screen's running time."""
        return time.monotonic()

    async def probe(self, request: ProbeRequest, listener: ProbeListener | None) -> Evidence:
        """Run the probe; `listener` receives progress events on the caller's loop."""
        from relaywiz.core.smtp.probe import run_probe

        return await run_probe(request, listener)

    def diagnose(self, evidence: Evidence, situation: Situation) -> Report:
        """Findings and a recommendation for `evidence` in `situation`."""
        from relaywiz.core.diagnose import diagnose

        return diagnose(evidence, situation)

    def report_formats(self) -> tuple[str, ...]:
        """The report formats the core can render."""
        if not _has("relaywiz.core.report"):
            return ()
        return ("markdown", "json", "text")

    def render(self, report: Report, fmt: str) -> str:
        """`report` rendered by the core as markdown, json or text."""
        from relaywiz.core import report as rendering

        if fmt == "markdown":
            return str(rendering.render_markdown(report))
        if fmt == "json":
            return str(rendering.render_json(report))
        return str(rendering.render_text(report))

    # -- the other two paths ----------------------------------------------------
    async def explain(self, text: str) -> str:
        """A plain-words explanation of a bounce, error dialog or log line (the core's text)."""
        from relaywiz.core.bounce import explain
        from relaywiz.core.bounce.render import render_text

        return str(render_text(explain(text.encode("utf-8"))))

    async def check_domain(self, domain: str) -> str:
        """The sending-domain checks for `domain`, rendered as text by the core."""
        from relaywiz.core.checks import CheckRequest, run_check
        from relaywiz.core.checks.render import render_text

        return str(render_text(await run_check(CheckRequest(domain=domain))))

    # -- the keyring (through relaywiz.core.secrets, the only place it is read) -----
    def keyring_backend(self) -> str | None:
        """The keyring backend's name, None when there is none."""
        return secrets.backend_name()

    def stored_password(self, username: str) -> str | None:
        """The password stored for `username`, None if none (or no keyring)."""
        try:
            return secrets.get_password(username)
        except secrets.SecretsUnavailable:
            return None

    def save_password(self, username: str, password: str) -> str | None:
        """Store the password; returns None on success or a one-line reason it failed."""
        try:
            secrets.set_password(username, password)
        except secrets.SecretsUnavailable as exc:
            return str(exc)
        return None


def _verdict(found: Any) -> RelayVerdict | None:
    """The relay table's row (relaywiz.core.scenarios.Verdict) in the wizard's terms."""
    if found is None:
        return None
    refused = getattr(found, "refused_by_network_trust", None)
    level = "ok" if refused is False else "problem" if refused is True else "warning"
    text = str(getattr(found, "why", "") or "")
    remedies = tuple(getattr(found, "remedies", ()) or ())
    if remedies:
        text += "\n\u2192 " + remedies[0]
    return RelayVerdict(level=level, text=text)
