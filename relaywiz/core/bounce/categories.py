"""What each category means, in one sentence, and the RFC 3463 status it usually carries.

The README's table of categories and the text output both read from here, so
the wording a user sees is the wording that is documented.
"""

from __future__ import annotations

from relaywiz.core.bounce.model import Category

C = Category

#: category -> one sentence a person can read aloud.
MEANING: dict[Category, str] = {
    C.USER_UNKNOWN: "the receiving server has no mailbox at this address",
    C.MAILBOX_FULL: "the recipient's mailbox is over its storage quota",
    C.MAILBOX_DISABLED: "the mailbox exists but is disabled, suspended or closed",
    C.ADDRESS_MOVED: "the recipient has moved to another address",
    C.RECIPIENT_FILTERED: "the recipient (or their organisation) does not accept mail from you",
    C.MESSAGE_TOO_BIG: "the message is larger than the receiving server accepts",
    C.HOST_UNKNOWN: "the recipient's domain or mail server name does not exist in DNS",
    C.DOMAIN_NOT_ACCEPTING_MAIL: (
        "the recipient's domain publishes that it receives no mail (null MX)"
    ),
    C.NETWORK_ERROR: "the receiving server could not be reached (refused, unreachable, dropped)",
    C.NETWORK_TIMEOUT: "the receiving server stopped answering in time",
    C.EXPIRED: "the sending server retried for days and gave up",
    C.STARTTLS_FAILED: "the encrypted (TLS) connection could not be set up",
    C.SENDER_REJECTED: "the server refused the sender (envelope) address",
    C.SENDER_MISMATCH: "the From address is not one the logged-in account may use",
    C.RELAY_DENIED: "the server refused to pass the mail on to another domain (relaying)",
    C.IP_BLOCKLISTED: "the sending server's IP address is on a blocklist",
    C.BAD_REPUTATION: "the receiving provider distrusts the sending IP or domain",
    C.PTR_REQUIRED: "the sending host has no valid reverse DNS (PTR) or HELO name",
    C.AUTH_FAILURE: "the message failed SPF, DKIM or DMARC checks",
    C.AUTH_REQUIRED: "the server wants SMTP authentication (or TLS first), or refused the login",
    C.SECURITY_ERROR: "a security feature (encryption, signature) was missing or failed",
    C.POLICY_VIOLATION: "the receiving server's local policy refused (or deferred) the message",
    C.RATE_LIMITED: "too many messages in too short a time",
    C.TOO_MANY_CONNECTIONS: "too many simultaneous connections from the sending host",
    C.TOO_MANY_RECIPIENTS: "too many recipients in one message",
    C.SPAM_DETECTED: "the receiving server's filter judged the message to be spam",
    C.CONTENT_REJECTED: "a content filter refused the message (attachment, words, links)",
    C.VIRUS_DETECTED: "a virus or malware scanner refused the message",
    C.NOT_RFC_COMPLIANT: "the message is malformed (missing or broken headers, bare LF ...)",
    C.SYSTEM_ERROR: "the receiving system had an internal or configuration error",
    C.SYSTEM_FULL: "the receiving system is out of disk space or resources",
    C.MAILER_ERROR: "the local delivery program (procmail, LMTP, pipe) failed",
    C.SYNTAX_ERROR: "a command or address was syntactically invalid",
    C.SUPPRESSED: "the sending service refused because the address is on a suppression list",
    C.DELIVERED: "the message was delivered (a success notice)",
    C.AUTO_REPLY: "an automatic reply (out of office, vacation), not a failure",
    C.FEEDBACK_REPORT: "a spam complaint / feedback report (ARF), not a failure",
    C.NOT_A_BOUNCE: "an ordinary message or text with no delivery failure in it",
    C.UNKNOWN: "a delivery failure whose cause relaywiz could not determine",
}

#: category -> the status a mail administrator would assign when none was reported
#: (permanent, temporary). None where no single code fits.
DEFAULT_STATUS: dict[Category, tuple[str | None, str | None]] = {
    C.USER_UNKNOWN: ("5.1.1", None),
    C.MAILBOX_FULL: ("5.2.2", "4.2.2"),
    C.MAILBOX_DISABLED: ("5.2.1", "4.2.1"),
    C.ADDRESS_MOVED: ("5.1.6", None),
    C.MESSAGE_TOO_BIG: ("5.3.4", "4.3.4"),
    C.HOST_UNKNOWN: ("5.1.2", "4.4.3"),
    C.DOMAIN_NOT_ACCEPTING_MAIL: ("5.1.10", None),
    C.NETWORK_ERROR: ("5.4.1", "4.4.1"),
    C.NETWORK_TIMEOUT: ("5.4.1", "4.4.1"),
    C.EXPIRED: ("5.4.7", "4.4.7"),
    C.SENDER_MISMATCH: ("5.7.1", None),
    C.RELAY_DENIED: ("5.7.1", None),
    C.PTR_REQUIRED: ("5.7.25", "4.7.25"),
    C.IP_BLOCKLISTED: ("5.7.1", "4.7.1"),
    C.SPAM_DETECTED: ("5.7.1", None),
    C.TOO_MANY_RECIPIENTS: ("5.5.3", "4.5.3"),
    C.SYSTEM_FULL: ("5.3.1", "4.3.1"),
    C.MAILER_ERROR: ("5.3.0", "4.3.0"),
    C.DELIVERED: ("2.0.0", "2.0.0"),
}

#: RFC 3463 status (class digit dropped) -> category, for when the text says nothing.
STATUS_CATEGORY: dict[str, Category] = {
    "1.1": C.USER_UNKNOWN,
    "1.2": C.HOST_UNKNOWN,
    "1.3": C.SYNTAX_ERROR,
    "1.4": C.USER_UNKNOWN,
    "1.6": C.ADDRESS_MOVED,
    "1.7": C.SENDER_REJECTED,
    "1.8": C.SENDER_REJECTED,
    "1.10": C.DOMAIN_NOT_ACCEPTING_MAIL,
    "2.1": C.MAILBOX_DISABLED,
    "2.2": C.MAILBOX_FULL,
    "2.3": C.MESSAGE_TOO_BIG,
    "2.4": C.MAILER_ERROR,
    "3.0": C.SYSTEM_ERROR,
    "3.1": C.SYSTEM_FULL,
    "3.2": C.SYSTEM_ERROR,
    "3.3": C.SYSTEM_ERROR,
    "3.4": C.MESSAGE_TOO_BIG,
    "3.5": C.SYSTEM_ERROR,
    "4.1": C.NETWORK_ERROR,
    "4.2": C.NETWORK_ERROR,
    "4.3": C.NETWORK_ERROR,
    "4.4": C.HOST_UNKNOWN,
    "4.5": C.SYSTEM_ERROR,
    "4.6": C.SYSTEM_ERROR,
    "4.7": C.EXPIRED,
    "5.1": C.SYNTAX_ERROR,
    "5.2": C.SYNTAX_ERROR,
    "5.3": C.TOO_MANY_RECIPIENTS,
    "5.4": C.SYNTAX_ERROR,
    "5.5": C.SYNTAX_ERROR,
    "6.0": C.CONTENT_REJECTED,
    "6.1": C.CONTENT_REJECTED,
    "6.2": C.CONTENT_REJECTED,
    "6.3": C.CONTENT_REJECTED,
    "6.7": C.NOT_RFC_COMPLIANT,
    "6.8": C.NOT_RFC_COMPLIANT,
    "6.9": C.NOT_RFC_COMPLIANT,
    "7.0": C.POLICY_VIOLATION,
    "7.1": C.POLICY_VIOLATION,
    "7.2": C.POLICY_VIOLATION,
    "7.3": C.SECURITY_ERROR,
    "7.4": C.SECURITY_ERROR,
    "7.5": C.SECURITY_ERROR,
    "7.6": C.SECURITY_ERROR,
    "7.7": C.SECURITY_ERROR,
    "7.8": C.AUTH_REQUIRED,
    "7.9": C.AUTH_REQUIRED,
    "7.10": C.AUTH_REQUIRED,
    "7.11": C.AUTH_REQUIRED,
    "7.13": C.MAILBOX_DISABLED,
    "7.14": C.AUTH_REQUIRED,
    "7.15": C.AUTH_REQUIRED,
    "7.20": C.AUTH_FAILURE,
    "7.21": C.AUTH_FAILURE,
    "7.22": C.AUTH_FAILURE,
    "7.23": C.AUTH_FAILURE,
    "7.24": C.AUTH_FAILURE,
    "7.25": C.PTR_REQUIRED,
    "7.26": C.AUTH_FAILURE,
    "7.27": C.SENDER_REJECTED,
    "7.28": C.RATE_LIMITED,
    "7.29": C.AUTH_FAILURE,
    "7.30": C.SECURITY_ERROR,
}

#: statuses whose detail is so generic that the reply code or text must decide.
GENERIC_STATUS_DETAIL = frozenset({"0.0", "7.0", "7.1"})

#: SMTP reply code -> category, the weakest evidence of all.
REPLY_CATEGORY: dict[int, Category] = {
    421: C.SYSTEM_ERROR,
    451: C.SYSTEM_ERROR,
    452: C.SYSTEM_FULL,
    500: C.SYNTAX_ERROR,
    501: C.SYNTAX_ERROR,
    502: C.SYNTAX_ERROR,
    503: C.SYNTAX_ERROR,
    504: C.SYNTAX_ERROR,
    530: C.AUTH_REQUIRED,
    535: C.AUTH_REQUIRED,
    538: C.AUTH_REQUIRED,
    551: C.ADDRESS_MOVED,
    552: C.MAILBOX_FULL,
    553: C.SYNTAX_ERROR,
    556: C.DOMAIN_NOT_ACCEPTING_MAIL,
}


def status_category(status: str | None) -> Category | None:
    """The category an RFC 3463 status implies on its own, if it is specific enough."""
    if not status:
        return None
    _cls, _, detail = status.partition(".")
    if detail in GENERIC_STATUS_DETAIL:
        return None
    return STATUS_CATEGORY.get(detail)


def default_status(category: Category, permanent: bool | None) -> str | None:
    """The status to report when the server gave none."""
    perm, temp = DEFAULT_STATUS.get(category, (None, None))
    return temp if permanent is False else perm
