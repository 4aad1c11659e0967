"""The big mail providers' submission settings, written from their public help pages.

Each entry says which mail domains the provider hosts, which MX host names give
away a domain hosted there, the submission servers to use, and the kind of
login it demands today: many no longer accept the account's normal password
from mail programs (app passwords, OAuth2 only). Checked against the providers'
help pages in 2025-2026; `docs` names the page to re-check.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from relaywiz.core.model import Security


class AuthPolicy(StrEnum):
    """What a provider accepts as the SMTP login from a mail program."""

    PASSWORD = "password"  # the account's normal password
    APP_PASSWORD = "app_password"  # a separate password made for the mail program
    APP_PASSWORD_OR_OAUTH2 = "app_password_or_oauth2"
    OAUTH2_ONLY = "oauth2_only"  # "sign in with ..." in the client; no password at all
    BRIDGE = "bridge"  # a local bridge program does the SMTP


@dataclass(frozen=True)
class Endpoint:
    """One submission server setting."""

    host: str
    port: int
    security: Security


@dataclass(frozen=True)
class Provider:
    """A mail provider and how its users send."""

    id: str
    name: str
    domains: tuple[str, ...]
    mx_suffixes: tuple[str, ...]
    submission: tuple[Endpoint, ...]
    auth: AuthPolicy
    username: str  # what goes in the user-name field
    notes: str
    docs: str
    host_suffixes: tuple[str, ...] = ()  # submission host names that identify it

    def matches_host(self, host: str) -> bool:
        h = host.lower().rstrip(".")
        names = {e.host for e in self.submission} | set(self.host_suffixes)
        return any(h == n or h.endswith("." + n) for n in names)

    def matches_mx(self, mx_host: str) -> bool:
        h = mx_host.lower().rstrip(".")
        return any(h == s or h.endswith("." + s) for s in self.mx_suffixes)


_SSL, _STARTTLS = Security.SSL_TLS, Security.STARTTLS

PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "gmail",
        "Gmail / Google Workspace",
        ("gmail.com", "googlemail.com"),
        ("google.com", "googlemail.com"),
        (Endpoint("smtp.gmail.com", 465, _SSL), Endpoint("smtp.gmail.com", 587, _STARTTLS)),
        AuthPolicy.APP_PASSWORD_OR_OAUTH2,
        "the full Gmail address",
        "Google no longer accepts the account's normal password from mail programs: sign in "
        "with Google (OAuth2) in the client, or turn on 2-Step Verification and create an "
        "app password.",
        "https://support.google.com/mail/answer/7126229",
        ("gmail.com", "googlemail.com"),
    ),
    Provider(
        "outlook_com",
        "Outlook.com / Hotmail",
        (
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "hotmail.co.uk",
            "hotmail.de",
            "hotmail.fr",
            "outlook.de",
            "outlook.fr",
            "live.co.uk",
        ),
        ("olc.protection.outlook.com", "hotmail.com"),
        (Endpoint("smtp-mail.outlook.com", 587, _STARTTLS),),
        AuthPolicy.OAUTH2_ONLY,
        "the full Outlook.com address",
        "Microsoft turned off password (basic) authentication for Outlook.com accounts in "
        "2024: the client must sign in with Microsoft (OAuth2 / modern authentication).",
        "https://support.microsoft.com/office/pop-imap-and-smtp-settings-for-outlook-com-"
        "d088b986-291d-42b8-9564-9c414e2aa040",
    ),
    Provider(
        "microsoft365",
        "Microsoft 365 (Exchange Online)",
        (),
        ("mail.protection.outlook.com",),
        (Endpoint("smtp.office365.com", 587, _STARTTLS),),
        AuthPolicy.OAUTH2_ONLY,
        "the full work address (user principal name)",
        "SMTP AUTH must be allowed for the mailbox by the organisation's admin (it is off in "
        "many tenants: 5.7.139), and Microsoft is retiring password (basic) authentication "
        "for it: use a client that signs in with Microsoft (OAuth2).",
        "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/"
        "authenticated-client-smtp-submission",
        ("office365.com",),
    ),
    Provider(
        "yahoo",
        "Yahoo Mail",
        ("yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.de", "yahoo.fr"),
        ("yahoodns.net",),
        (
            Endpoint("smtp.mail.yahoo.com", 465, _SSL),
            Endpoint("smtp.mail.yahoo.com", 587, _STARTTLS),
        ),
        AuthPolicy.APP_PASSWORD,
        "the full Yahoo address",
        "Yahoo wants an app password for mail programs (Account security > Generate app "
        "password); the normal password is refused.",
        "https://help.yahoo.com/kb/SLN4075.html",
        ("mail.yahoo.com",),
    ),
    Provider(
        "icloud",
        "iCloud Mail",
        ("icloud.com", "me.com", "mac.com"),
        ("mail.icloud.com",),
        (Endpoint("smtp.mail.me.com", 587, _STARTTLS),),
        AuthPolicy.APP_PASSWORD,
        "the full iCloud address",
        "Apple requires two-factor authentication and an app-specific password "
        "(account.apple.com > Sign-In and Security) for mail programs.",
        "https://support.apple.com/102525",
        ("mail.me.com",),
    ),
    Provider(
        "mailru",
        "Mail.ru",
        ("mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru"),
        ("mail.ru",),
        (Endpoint("smtp.mail.ru", 465, _SSL),),
        AuthPolicy.APP_PASSWORD,
        "the full Mail.ru address",
        "Mail.ru accepts only a password for external applications (Settings > Security > "
        "Passwords for external applications); the From: address must be the account's own.",
        "https://help.mail.ru/mail/mailer/popsmtp",
        ("mail.ru",),
    ),
    Provider(
        "yandex",
        "Yandex Mail",
        ("yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz", "narod.ru"),
        ("yandex.ru", "yandex.net"),
        (Endpoint("smtp.yandex.com", 465, _SSL),),
        AuthPolicy.APP_PASSWORD_OR_OAUTH2,
        "the full Yandex address",
        "Yandex accepts an app password (Yandex ID > Security > App passwords) or OAuth2, "
        "and mail-client access must be enabled in the mail settings.",
        "https://yandex.com/support/yandex-360/customers/mail/en/mail-clients/others",
        ("yandex.ru", "yandex.com"),
    ),
    Provider(
        "gmx",
        "GMX",
        ("gmx.net", "gmx.de", "gmx.at", "gmx.ch", "gmx.com", "gmx.us", "gmx.co.uk"),
        ("gmx.net", "gmx.com"),
        (Endpoint("mail.gmx.net", 587, _STARTTLS), Endpoint("mail.gmx.net", 465, _SSL)),
        AuthPolicy.PASSWORD,
        "the full GMX address",
        "POP3/IMAP access must first be switched on in the GMX web mail settings; with "
        "two-factor authentication an app password is needed. gmx.com accounts use "
        "mail.gmx.com.",
        "https://support.gmx.com/pop-imap/toggle.html",
        ("gmx.net", "gmx.com"),
    ),
    Provider(
        "zoho",
        "Zoho Mail",
        ("zoho.com", "zohomail.com"),
        ("zoho.com", "zoho.eu", "zoho.in", "zoho.com.au"),
        (Endpoint("smtp.zoho.com", 465, _SSL), Endpoint("smtp.zoho.com", 587, _STARTTLS)),
        AuthPolicy.APP_PASSWORD_OR_OAUTH2,
        "the full Zoho address",
        "Accounts with two-factor authentication need an app-specific password; "
        "organisation (own-domain) accounts use smtppro.zoho.com, and accounts in the EU or "
        "India data centres smtp.zoho.eu / smtp.zoho.in.",
        "https://www.zoho.com/mail/help/zoho-smtp.html",
        ("zoho.com", "zoho.eu", "zoho.in"),
    ),
    Provider(
        "fastmail",
        "Fastmail",
        ("fastmail.com", "fastmail.fm"),
        ("messagingengine.com",),
        (Endpoint("smtp.fastmail.com", 465, _SSL), Endpoint("smtp.fastmail.com", 587, _STARTTLS)),
        AuthPolicy.APP_PASSWORD_OR_OAUTH2,
        "the full Fastmail address",
        "Mail programs need an app password (Settings > Privacy & Security > App "
        "passwords) unless they sign in with Fastmail (OAuth2).",
        "https://www.fastmail.help/hc/en-us/articles/1500000278342",
        ("fastmail.com",),
    ),
    Provider(
        "aol",
        "AOL Mail",
        ("aol.com",),
        ("yahoodns.net",),
        (Endpoint("smtp.aol.com", 465, _SSL),),
        AuthPolicy.APP_PASSWORD,
        "the full AOL address",
        "AOL wants an app password for mail programs (Account Security > Generate app password).",
        "https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-"
        "receive-my-aol-mail",
        ("aol.com",),
    ),
    Provider(
        "proton",
        "Proton Mail",
        ("proton.me", "protonmail.com", "pm.me"),
        ("protonmail.ch",),
        (Endpoint("127.0.0.1", 1025, _STARTTLS),),
        AuthPolicy.BRIDGE,
        "the address shown in Proton Mail Bridge",
        "Proton Mail does not accept SMTP logins from mail programs directly: run Proton "
        "Mail Bridge, which listens on this computer (127.0.0.1:1025) with its own password; "
        "paid plans with an own domain may use an SMTP token at smtp.protonmail.ch:587.",
        "https://proton.me/support/protonmail-bridge-clients",
        ("protonmail.ch",),
    ),
)


def by_domain(domain: str) -> Provider | None:
    """The provider hosting this mail domain by name (gmail.com -> Gmail), if known."""
    d = domain.lower().rstrip(".")
    for p in PROVIDERS:
        if d in p.domains:
            return p
    return None


def by_host(host: str) -> Provider | None:
    """The provider whose submission server this is (smtp.gmail.com -> Gmail), if known."""
    for p in PROVIDERS:
        if p.matches_host(host):
            return p
    return None


def by_mx(mx_host: str) -> Provider | None:
    """The provider an MX host name gives away (aspmx.l.google.com -> Gmail), if known."""
    for p in PROVIDERS:
        if p.matches_mx(mx_host):
            return p
    return None
