"""What the sender should do, per category, with the receiving provider's own page.

A remedy is advice for the person holding the bounce. Where the receiving
provider publishes a postmaster, delisting or sender-support page, the remedy
names it; a URL the server itself gave in its reply comes first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from relaywiz.core.bounce.model import BounceStage, Category

C = Category

_CHECK = "run 'relaywiz check YOUR-DOMAIN' (PTR, blocklists, SPF, DKIM, DMARC)"

REMEDY: dict[Category, str] = {
    C.USER_UNKNOWN: "Check the address for typos and ask the recipient for the right one; "
    "do not resend to this address as it is.",
    C.MAILBOX_FULL: "Wait and resend later, or reach the recipient another way so they can "
    "empty their mailbox; if it keeps happening the mailbox may be abandoned.",
    C.MAILBOX_DISABLED: "The account is switched off; ask the recipient (by another channel) "
    "for a current address and remove this one from your lists.",
    C.ADDRESS_MOVED: "Send to the new address the server names, and update your address book.",
    C.RECIPIENT_FILTERED: "The recipient's side refuses you on purpose (block list, group "
    "restriction, rule); ask the recipient or their administrator to allow your address.",
    C.MESSAGE_TOO_BIG: "Shrink the attachment (compress, resize images) or share it through a "
    "link; base64 makes attachments about a third larger than the file.",
    C.HOST_UNKNOWN: "Check the part after @ for typos; if it is right, the recipient's domain "
    "has no working DNS (MX/A records) and its owner must fix it.",
    C.DOMAIN_NOT_ACCEPTING_MAIL: "The domain publishes a null MX: it never receives mail. Use "
    "another address for this recipient.",
    C.NETWORK_ERROR: "The receiving server was unreachable; usually temporary and retried "
    "automatically. If it persists, the recipient's mail server or a firewall is at fault.",
    C.NETWORK_TIMEOUT: "The receiving server did not answer in time; the sending server retries "
    "by itself. If it lasts for days, tell the recipient their mail server is unreachable.",
    C.EXPIRED: "Your server retried for days and gave up; resend later, and tell the recipient "
    "by another channel that their mail server is not reachable.",
    C.STARTTLS_FAILED: "The encrypted connection failed (certificate, protocol or cipher "
    "mismatch, or TLS required but not offered); the server's administrator must fix TLS.",
    C.SENDER_REJECTED: "Your sender (return) address was refused: make sure its domain exists in "
    "DNS, the address is spelled right and really receives mail.",
    C.SENDER_MISMATCH: "Make the From address match the account you log in with (or add it as "
    "an allowed alias / 'send as' address in the provider's settings).",
    C.RELAY_DENIED: "Turn on SMTP authentication in the mail client ('My outgoing server (SMTP) "
    "requires authentication') and send through port 587 with STARTTLS, or use the outgoing "
    "server of the network you are on.",
    C.IP_BLOCKLISTED: "The sending server's IP is on a blocklist: " + _CHECK + ", fix the cause "
    "(infected PC, open relay, spam), then request delisting.",
    C.BAD_REPUTATION: "The receiving provider distrusts your IP or domain: " + _CHECK + ", send "
    "less and only to people who asked, and use the provider's postmaster tools.",
    C.PTR_REQUIRED: "Give the sending IP a PTR record naming a host whose A record points back, "
    "and use that name in HELO; " + _CHECK + ".",
    C.AUTH_FAILURE: "Publish SPF for every server that sends for your domain, sign with DKIM, "
    "and align them with a DMARC record; " + _CHECK + ".",
    C.AUTH_REQUIRED: "Turn on SMTP authentication with your full address and password (an "
    "app password where the provider requires one) and use STARTTLS on 587 or SSL/TLS on 465.",
    C.SECURITY_ERROR: "A required security feature (encryption, signature) was missing or "
    "broken; check the client's or server's TLS and signing settings.",
    C.POLICY_VIOLATION: "The receiving server's local policy refused the message; read the "
    "diagnostic for the rule, and contact the recipient's postmaster if it is not clear.",
    C.RATE_LIMITED: "You sent too much too fast; wait, then send in smaller batches spread "
    "over time.",
    C.TOO_MANY_CONNECTIONS: "Too many parallel connections from your server; lower its "
    "concurrency for that destination. The mail is retried automatically.",
    C.TOO_MANY_RECIPIENTS: "Split the recipient list into several messages (or use a mailing "
    "list) and resend to those who did not get it.",
    C.SPAM_DETECTED: "The filter judged the message spam: remove link shorteners, image-only "
    "content and spammy wording, add a text part, " + _CHECK + ", then ask the provider to "
    "review (see the page below).",
    C.CONTENT_REJECTED: "A content filter refused the message: remove or zip the attachment "
    "type it objects to, or the link or words it names, and resend.",
    C.VIRUS_DETECTED: "A virus scanner refused the message: scan the sending computer and the "
    "attachment; if it is a false alarm, share the file another way.",
    C.NOT_RFC_COMPLIANT: "The message itself is malformed (missing From/Date/Message-ID, bare "
    "LF, broken MIME); fix the program or script that builds it.",
    C.SYSTEM_ERROR: "A fault on the receiving system; usually temporary. If it persists, "
    "contact the recipient's postmaster.",
    C.SYSTEM_FULL: "The receiving system is out of space; it is retried automatically. Tell "
    "the recipient's postmaster if it persists.",
    C.MAILER_ERROR: "The final delivery program on the recipient's server failed (procmail, "
    "LMTP, a pipe); only that server's administrator can fix it.",
    C.SYNTAX_ERROR: "An address or command was malformed: check the address for spaces, "
    "missing parts or odd characters.",
    C.SUPPRESSED: "Your sending service refuses this address because it bounced or complained "
    "before; remove it from the suppression list only if you know it now works.",
    C.DELIVERED: "Nothing to do: the message was delivered.",
    C.AUTO_REPLY: "Nothing to do: this is an automatic reply, the message was delivered.",
    C.FEEDBACK_REPORT: "A recipient marked your message as spam: remove them from your list "
    "and check why they did not expect the message.",
    C.NOT_A_BOUNCE: "Nothing to do: this is not a delivery failure.",
    C.UNKNOWN: "Read the server's words in the diagnostic; if they do not say, contact the "
    "receiving side's postmaster with the full bounce.",
}

#: advice when the mail client itself met the error (Outlook dialog, pasted reply).
CLIENT_REMEDY: dict[Category, str] = {
    C.NETWORK_ERROR: "The mail client could not reach its outgoing server: the network (ISP, "
    "hotel, office firewall) may block port 25. Use port 587 with STARTTLS or 465 with "
    "SSL/TLS, check the server name, and run 'relaywiz probe SERVER' to see which port works.",
    C.NETWORK_TIMEOUT: "The outgoing server stopped answering: try port 587 (STARTTLS) or 465 "
    "(SSL/TLS), raise the client's server timeout, and run 'relaywiz probe SERVER'.",
    C.HOST_UNKNOWN: "The outgoing server's name does not resolve: check its spelling in the "
    "account settings (e.g. smtp.provider.com) and that you are online.",
    C.STARTTLS_FAILED: "The encryption setting does not match the port: use STARTTLS on 587 "
    "(or 25), SSL/TLS on 465; run 'relaywiz probe SERVER' to see what each port offers.",
    C.SYSTEM_ERROR: "The outgoing server is temporarily unavailable; wait a few minutes and "
    "send again. If it persists, contact your provider.",
    C.TOO_MANY_CONNECTIONS: "The outgoing server is busy or limits connections; wait and send "
    "again.",
}

NOTES: dict[str, str] = {
    "greylisting": "Greylisting: the server asks unknown senders to come back later. A real "
    "mail server retries by itself within minutes; nothing to do unless it lasts for hours.",
    "unknown_after_data": "The server said 'unknown' only after receiving the whole message: "
    "that is a content filter's refusal, not a missing mailbox. Resend without the suspect "
    "content, or ask the recipient's postmaster.",
}


# provider -> (hosts/domains that identify it, {category: page})
_PROVIDERS: tuple[tuple[str, tuple[str, ...], dict[Category | None, str]], ...] = (
    (
        "gmail",
        ("google.com", "gmail.com", "googlemail.com", "gsmtp"),
        {
            None: "https://support.google.com/mail/answer/81126",
            C.BAD_REPUTATION: "https://postmaster.google.com/",
            C.USER_UNKNOWN: "https://support.google.com/mail/?p=NoSuchUser",
        },
    ),
    (
        "microsoft",
        (
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "protection.outlook",
            "prod.outlook",
            "exchangelabs.com",
        ),
        {
            None: "https://olcsupport.office.com/",
            C.IP_BLOCKLISTED: "https://sender.office.com/",
            C.BAD_REPUTATION: "https://sendersupport.olc.protection.outlook.com/snds/",
        },
    ),
    (
        "yahoo",
        ("yahoo.com", "yahoodns.net", "aol.com", "yahoo.net", "yahooinc"),
        {
            None: "https://senders.yahooinc.com/smtp-error-codes/",
            C.BAD_REPUTATION: "https://senders.yahooinc.com/contact",
            C.IP_BLOCKLISTED: "https://senders.yahooinc.com/contact",
        },
    ),
    (
        "mailru",
        ("mail.ru", "list.ru", "bk.ru", "inbox.ru", "internet.ru"),
        {
            None: "https://postmaster.mail.ru/",
            C.SPAM_DETECTED: "https://help.mail.ru/notspam-support",
            C.BAD_REPUTATION: "https://help.mail.ru/notspam-support",
            C.IP_BLOCKLISTED: "https://help.mail.ru/notspam-support",
        },
    ),
    (
        "yandex",
        ("yandex.ru", "yandex.net", "yandex.com", "ya.ru", "ya.cc"),
        {
            None: "https://postoffice.yandex.ru/",
            C.SPAM_DETECTED: "https://yandex.ru/support/mail/spam/honest-mailers.html",
        },
    ),
)

_LISTS: tuple[tuple[str, str], ...] = (
    ("spamhaus", "https://check.spamhaus.org/"),
    ("spamcop", "https://www.spamcop.net/bl.shtml"),
    ("barracuda", "https://www.barracudacentral.org/rbl/removal-request"),
    ("uceprotect", "https://www.uceprotect.net/en/rblcheck.php"),
    ("abuseat", "https://check.spamhaus.org/"),
)
_PAGE_CATEGORIES = frozenset(
    {
        C.IP_BLOCKLISTED,
        C.BAD_REPUTATION,
        C.SPAM_DETECTED,
        C.AUTH_FAILURE,
        C.PTR_REQUIRED,
        C.POLICY_VIOLATION,
        C.RATE_LIMITED,
        C.CONTENT_REJECTED,
        C.USER_UNKNOWN,
        C.UNKNOWN,
    }
)
_URL = re.compile(r"https?://[^\s'\"<>)\]]+")


_PROVIDER_RE = re.compile(
    "|".join(
        f"(?P<{name}>" + "|".join(re.escape(m) for m in marks) + ")"
        for name, marks, _pages in _PROVIDERS
    ),
    re.IGNORECASE,
)


def provider_of(*hints: str | None) -> str | None:
    """The big provider the remote host, reporting host or diagnostic points to (first wins)."""
    for hint in hints:
        if hint:
            found = _provider_in(hint[:600])
            if found:
                return found
    return None


@lru_cache(maxsize=8192)
def _provider_in(hint: str) -> str | None:
    m = _PROVIDER_RE.search(hint)
    return m.lastgroup if m else None


def remedy_for(
    category: Category,
    diagnostic: str,
    provider: str | None,
    note: str | None = None,
    stage: BounceStage | None = None,
    russian_ui: bool = False,
    client_side: bool = False,
) -> str:
    """The advice for one failed recipient, ending with the most useful page to visit."""
    base = CLIENT_REMEDY.get(category) if client_side else None
    parts = [NOTES[note] if note else base or REMEDY[category]]
    low = diagnostic.lower()
    if category is C.IP_BLOCKLISTED and "sorbs" in low:
        parts.append(
            "SORBS closed in 2024: a listing there is stale, and the receiving server "
            "should stop querying it; tell its postmaster."
        )
    if russian_ui and category in (C.RELAY_DENIED, C.AUTH_REQUIRED):
        parts.append(
            "In the Russian Outlook: 'Сервер исходящей почты (SMTP) требует проверки "
            "подлинности' (Другие настройки -> Сервер исходящей почты)."
        )
    pages: list[str] = []
    given = [u.rstrip(".,;") for u in _URL.findall(diagnostic)]
    if category not in (C.DELIVERED, C.AUTO_REPLY, C.NOT_A_BOUNCE):
        pages.extend(given)
    if category in (C.IP_BLOCKLISTED, C.BAD_REPUTATION):
        pages.extend(url for key, url in _LISTS if key in low)
    if provider and category in _PAGE_CATEGORIES:
        for name, _marks, table in _PROVIDERS:
            if name == provider:
                page = table.get(category) or table[None]
                pages.append(page)
    seen = list(dict.fromkeys(pages))
    if seen:
        parts.append("See " + ", ".join(seen[:3]) + ".")
    return " ".join(parts)
