"""The relay table, as data: who may send through whom, and why a server says no.

A server relays when it accepts mail for a domain it does not host. It does so
only for clients it trusts, and it has four ways to decide that (SMTP AUTH,
POP-before-SMTP, the client being on the provider's own network, an allowed
address range). This module states, for every combination of where the user
is, which account they send from and where the recipient is, whether the
message is relay and whether a server that trusts only its own network would
refuse it. It also states the anti-spoofing rule that refuses a sender address
the authenticated account does not own. Pure data and pure functions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum

from relaywiz.core.model import AccountType, Location, RecipientDomain, Situation


class TrustWay(StrEnum):
    """The ways an outgoing server decides to relay for a client."""

    SMTP_AUTH = "smtp_auth"
    POP_BEFORE_SMTP = "pop_before_smtp"
    PROVIDER_NETWORK = "provider_network"
    ALLOWED_RANGE = "allowed_range"


@dataclass(frozen=True)
class Trust:
    """One way of being trusted: what it is, how a user gets it, how relaywiz sees it."""

    way: TrustWay
    name: str
    how_it_works: str
    how_to_use: str
    how_relaywiz_sees_it: str
    works_from_anywhere: bool


TRUST_WAYS: tuple[Trust, ...] = (
    Trust(
        TrustWay.SMTP_AUTH,
        "SMTP authentication",
        "The client logs in with the account's user name and password (AUTH) before "
        "giving the recipients; the server then relays for it from any network.",
        "Turn on 'My outgoing server (SMTP) requires authentication' (Outlook) or choose "
        "'Normal password' (Thunderbird); use port 587 (STARTTLS) or 465 (SSL/TLS).",
        "An attempt with login gets the other-domain recipient accepted where the same "
        "attempt without login was refused.",
        True,
    ),
    Trust(
        TrustWay.POP_BEFORE_SMTP,
        "POP-before-SMTP",
        "The server remembers the address of a client that logged in to the incoming "
        "(POP3) server and relays for that address for a few minutes. Older ISPs use it "
        "instead of SMTP authentication.",
        "Turn on 'Log on to incoming mail server before sending mail' (Outlook), or check "
        "for new mail just before sending.",
        "No port offers AUTH, relay is refused, and `--pop-before-smtp` (a POP3 login "
        "first) turns the refusal into acceptance.",
        True,
    ),
    Trust(
        TrustWay.PROVIDER_NETWORK,
        "the provider's own network",
        "An ISP relays for its own customers' addresses without a login: connected through "
        "that ISP, you are trusted; from anywhere else, you are a stranger.",
        "Send through the outgoing server of the network you are connected to, or log in.",
        "Mail to another domain is accepted without login from here; the situation says "
        "you are on the provider's network.",
        False,
    ),
    Trust(
        TrustWay.ALLOWED_RANGE,
        "an allowed address range",
        "A company server relays for the office's address range (and its VPN), and for "
        "nobody else.",
        "Connect to the company network or its VPN, or use the company's submission port "
        "with a login if it has one.",
        "Mail to another domain is accepted without login from here only; the same probe "
        "from another network is refused.",
        False,
    ),
)

_PLACES = {
    Location.HOME: "at home",
    Location.WORK: "at work, on the company network",
    Location.TRAVEL: "on a hotel, airport or café network",
    Location.MOBILE: "on a mobile hotspot",
    Location.OTHER: "on some other network",
}
_ACCOUNTS = {
    AccountType.ISP: "your home internet provider's (ISP) account and server",
    AccountType.EMPLOYER: "your employer's account and server",
    AccountType.PROVIDER: "a mail provider's account and server (Gmail, mail.ru and the like)",
    AccountType.OWN_DOMAIN: "your own domain's account, on its hosting company's server",
}


@dataclass(frozen=True)
class Verdict:
    """One row of the relay table.

    `relay`: the server would accept mail for a domain it does not host.
    `on_server_network`: the client connects from the network the server trusts
    (None: cannot tell from the situation). `refused_by_network_trust`: a server
    that trusts only its own network refuses this (None: cannot tell).
    """

    location: Location
    account_type: AccountType
    recipient_domain: RecipientDomain
    relay: bool | None
    on_server_network: bool | None
    refused_by_network_trust: bool | None
    why: str
    remedies: tuple[str, ...]

    @property
    def normal(self) -> bool:
        """The classic table's "normal": even a network-trust-only server accepts it."""
        return self.refused_by_network_trust is False


def on_server_network(location: Location, account: AccountType) -> bool | None:
    """Whether a client here is on the network the account's server trusts without a login."""
    if Location.UNKNOWN in (location, account) or account is AccountType.UNKNOWN:
        return None
    if (location, account) in (
        (Location.HOME, AccountType.ISP),
        (Location.WORK, AccountType.EMPLOYER),
    ):
        return True
    if location is Location.OTHER and account in (AccountType.ISP, AccountType.EMPLOYER):
        return None
    return False


_REMEDY_AUTH = "Log in: turn on SMTP authentication and use port 587 (STARTTLS) or 465 (SSL/TLS)."
_REMEDY_LOCAL = "Or send through the outgoing server of the network you are on."
_REMEDY_POP = (
    "If the server offers no login at all, it may trust POP-before-SMTP: collect mail first "
    "(Outlook: 'Log on to incoming mail server before sending mail')."
)


def verdict(situation: Situation) -> Verdict:
    """The relay table's row for this situation (fields are None where it cannot tell)."""
    loc, acct, rcpt = situation.location, situation.account_type, situation.recipient_domain
    relay = None if rcpt is RecipientDomain.UNKNOWN else rcpt is RecipientDomain.OTHER
    trusted = on_server_network(loc, acct)
    if relay is False:
        refused: bool | None = False
    elif relay is None or trusted is None:
        refused = None
    else:
        refused = not trusted
    return Verdict(
        loc,
        acct,
        rcpt,
        relay,
        trusted,
        refused,
        _why(loc, acct, relay, trusted, refused),
        _remedies(acct, refused),
    )


def _why(
    loc: Location,
    acct: AccountType,
    relay: bool | None,
    trusted: bool | None,
    refused: bool | None,
) -> str:
    where = _PLACES.get(loc, "somewhere not stated")
    account = _ACCOUNTS.get(acct, "an account not stated")
    head = f"You are {where} and send with {account}."
    if relay is None:
        return head + (
            " Whether this is relay depends on the recipient: mail to the server's own domain "
            "is delivered locally; mail to any other domain is relay."
        )
    if not relay:
        return head + (
            " The recipient is in the server's own domain, so the server delivers it itself: "
            "this is not relay, and a server accepts it from anywhere."
        )
    rel = " The recipient is in another domain, so the server would be relaying it."
    if trusted is True:
        return (
            head
            + rel
            + (
                " You are on the network the server trusts, so even a server that trusts only its "
                "own network relays it: normal."
            )
        )
    if trusted is False:
        tail = (
            " The server does not know your network, so unless you log in (or it trusts "
            "POP-before-SMTP), a server that trusts only its own network refuses it "
            '("Relaying denied", Outlook 0x800CCC79).'
        )
        if acct is AccountType.PROVIDER:
            tail += " Mail providers never trust a network: they always want a login."
        return head + rel + tail
    return (
        head
        + rel
        + (
            " Whether the server trusts the network you are on cannot be told from here: it may "
            "be refused as relay."
        )
    )


def _remedies(acct: AccountType, refused: bool | None) -> tuple[str, ...]:
    if refused is False:
        return ()
    if acct is AccountType.PROVIDER:
        return (_REMEDY_AUTH,)
    return (_REMEDY_AUTH, _REMEDY_LOCAL, _REMEDY_POP)


KNOWN_LOCATIONS = tuple(loc for loc in Location if loc is not Location.UNKNOWN)
KNOWN_ACCOUNTS = tuple(a for a in AccountType if a is not AccountType.UNKNOWN)
KNOWN_RECIPIENTS = tuple(r for r in RecipientDomain if r is not RecipientDomain.UNKNOWN)

TABLE: tuple[Verdict, ...] = tuple(
    verdict(Situation(loc, acct, rcpt))
    for loc, acct, rcpt in itertools.product(KNOWN_LOCATIONS, KNOWN_ACCOUNTS, KNOWN_RECIPIENTS)
)
"""Every row of the relay table for the known values (5 places x 4 accounts x 2 recipients)."""


@dataclass(frozen=True)
class AntiSpoofingRule:
    """The rule that the envelope sender and From: must belong to the logged-in account."""

    statement: str
    remedy: str
    markers: tuple[str, ...]

    def matches(self, text: str) -> bool:
        """Whether a server reply (or bounce text) is this rule's refusal."""
        low = text.lower()
        return any(m in low for m in self.markers)


ANTI_SPOOFING = AntiSpoofingRule(
    statement=(
        "After a login, most servers accept only sender addresses that belong to the "
        "account: the MAIL FROM address and the From: header must be the account's own "
        "address (or an alias it owns). Another address is refused as forgery, at MAIL FROM "
        "or only after the message was sent."
    ),
    remedy=(
        "Send from the address of the account you log in with (in Outlook the account's "
        "'Email Address', in Thunderbird the identity's address), or add the other address "
        "as an alias or 'send as' address at the provider."
    ),
    markers=(
        "not owned by user",
        "not owned by",
        "from: header must match",
        "header must match user",
        "contains invalid headers",
        "does not have permissions to send as",
        "sendasdenied",
        "send as denied",
        "sender is not same as",
        "must equal authorized user",
        "sender address does not match",
        "not authorized to send as",
        "not allowed to send as",
        "mail from address must be same as authorization user",
    ),
)
