"""What the person has entered so far, kept across steps so that going back loses nothing.

The one mutable object of the wizard; screens receive it to prefill their
fields and return frozen answers that the flow writes back here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from relaywiz.core.model import AccountType, Location, RecipientDomain, Report, Situation


class Back:
    """Returned by a step when the person pressed escape: go one step back."""

    _instance: Back | None = None

    def __new__(cls) -> Back:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "BACK"


BACK = Back()


@dataclass(frozen=True)
class AccountAnswer:
    address: str
    server: str
    server_source: str
    account_type: AccountType | None = None


@dataclass(frozen=True)
class SituationAnswer:
    location: Location
    account_type: AccountType
    recipient_domain: RecipientDomain


@dataclass(frozen=True)
class CredentialsAnswer:
    username: str
    password: str = field(repr=False)
    save: bool = False
    source: str = "typed"  # "typed" | "keyring"

    def __str__(self) -> str:
        return f"CredentialsAnswer({self.username!r}, password=***)"


@dataclass(frozen=True)
class CallerCheck:
    """One port check the caller ran on their own machine, and what we made of it."""

    port: int
    said: str
    verdict: str  # "open" | "refused" | "blocked" | "unclear"
    meaning: str


@dataclass
class WizardState:
    """Everything entered so far (the password is never part of any rendering)."""

    address: str = ""
    server: str = ""
    server_source: str = ""
    location: Location = Location.UNKNOWN
    account_type: AccountType = AccountType.UNKNOWN
    recipient_domain: RecipientDomain = RecipientDomain.UNKNOWN
    client_error: str = ""
    client_error_meaning: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    password_source: str = ""  # "typed", "keyring", ""
    save_password: bool = False
    report: Report | None = None
    cancelled_probe: bool = False
    caller_checks: list[CallerCheck] = field(default_factory=list)
    changed: str = ""
    saved_files: list[str] = field(default_factory=list)

    def situation(self) -> Situation:
        """The Situation the core judges, from what was entered."""
        return Situation(
            location=self.location,
            account_type=self.account_type,
            recipient_domain=self.recipient_domain,
            client_error=self.client_error.strip() or None,
        )

    def forget_password(self) -> None:
        self.password = ""
        self.password_source = ""
