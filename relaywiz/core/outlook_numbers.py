"""What Outlook's error numbers (the Windows mail transport's table) mean, in one list.

Two faces use them in opposite directions: the diagnosis names the number a
failure would have shown in Outlook (`diagnose/outlook.py`, from probe outcomes),
and explain reads a number a person saw (`bounce/outlook.py`, to a bounce
category). Both take their words from here, so one number never reads two ways.
Kept free of imports: the probe's start-up loads it.
"""

from __future__ import annotations

MEANINGS: dict[str, str] = {
    "0x800CCC0B": "the server is busy",
    "0x800CCC0D": "cannot find the server (its name does not resolve)",
    "0x800CCC0E": "cannot connect to the server (port blocked, wrong port or server down)",
    "0x800CCC0F": "the connection to the server was interrupted",
    "0x800CCC13": "cannot connect to the network",
    "0x800CCC18": "Secure Password Authentication (SPA) logon failed",
    "0x800CCC19": "time-out communicating with the server",
    "0x800CCC1A": "the secure (SSL/TLS) connection could not be made",
    "0x800CCC60": "the server answered with an error",
    "0x800CCC61": "the server sent a reply Outlook does not understand",
    "0x800CCC62": "the server answered 500: syntax error",
    "0x800CCC63": "the server answered 501: syntax error in parameters",
    "0x800CCC64": "the server answered 502: command not implemented",
    "0x800CCC65": "the server answered 503: bad sequence of commands",
    "0x800CCC67": "the server answered 421: service not available",
    "0x800CCC68": "the server answered 450: mailbox unavailable",
    "0x800CCC69": "the server answered 550: mailbox unavailable",
    "0x800CCC6A": "the server answered 451: local error in processing",
    "0x800CCC6B": "the server answered 551: user not local",
    "0x800CCC6C": "the server answered 452: insufficient system storage",
    "0x800CCC6D": "the server answered 552: storage allocation exceeded",
    "0x800CCC6E": "the server answered 553: mailbox name not allowed",
    "0x800CCC6F": "the server answered 554: transaction failed",
    "0x800CCC78": "the server rejected the sender address",
    "0x800CCC79": "the server rejected one or more recipients (usually: relaying denied)",
    "0x800CCC7A": "no sender address is set in the account",
    "0x800CCC7B": "the message has no recipients",
    "0x800CCC7C": "the server requires STARTTLS before this command",
    "0x800CCC7D": "the server does not support secure connections (STARTTLS)",
    "0x800CCC7F": "the server answered 454: TLS not available",
    "0x800CCC80": "none of Outlook's authentication methods is supported by the server",
    "0x800CCC90": "the POP3 server answered with an error",
    "0x800CCC91": "the POP3 server refused the user name",
    "0x800CCC92": "the POP3 server refused the password",
    "0x80042108": "Outlook cannot connect to the incoming (POP3) server",
    "0x80042109": "Outlook cannot connect to the outgoing (SMTP) server",
    "0x8004210A": "the operation timed out waiting for the incoming (POP3) server",
    "0x8004210B": "the operation timed out waiting for the outgoing (SMTP) server",
}
