"""Every sentence the wizard says, in the two voices it speaks.

The end user reads the first form; the helpdesk reads the second aloud to a
caller (questions start with "Ask the caller"). Kept in one table so the two
voices stay parallel and the screens stay free of prose.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "title": ("relaywiz: why can't I send mail?", "relaywiz helpdesk: a caller cannot send mail"),
    "welcome": (
        "relaywiz talks to your outgoing mail server the way Outlook or Thunderbird would, "
        "from this computer's network, and tells you exactly what to change. "
        "It never sends an email: every test stops before a message would go out.",
        "Guide the caller step by step: lines starting with \u201cAsk\u201d are for reading "
        "aloud. The tests run from your network, not the caller's; where that matters, "
        "relaywiz gives you a command for the caller to run. No email is ever sent.",
    ),
    "path_wizard": ("I can't send mail", "The caller can't send mail"),
    "path_explain": ("I have an error message or a bounce", "The caller has an error or a bounce"),
    "path_check": ("Check my sending domain", "Check the caller's sending domain"),
    "account_q": (
        "Which email address do you send from?",
        "Ask the caller: \u201cWhich email address are you sending from? Please spell it.\u201d",
    ),
    "server_q": (
        "Outgoing (SMTP) server. Change it if your mail program says otherwise.",
        "Outgoing server. Ask: \u201cIn your mail program's account settings, what does it "
        "say under outgoing server?\u201d",
    ),
    "where_q": (
        "Where are you connected to the internet right now?",
        "Ask the caller: \u201cWhere are you connected to the internet right now?\u201d",
    ),
    "whose_q": (
        "Whose mail account is it?",
        "Ask: \u201cWho gave you this address: your internet provider, your employer, "
        "a service like Gmail, or is it your own domain?\u201d",
    ),
    "recipient_q": (
        "Who are you writing to?",
        "Ask: \u201cDoes it fail for every recipient, or only for people outside your "
        "own domain?\u201d",
    ),
    "error_q": (
        "What error do you see? (optional)",
        "Ask the caller: \u201cWhat error do you see? Read me the number starting with 0x, "
        "or the text of the message.\u201d",
    ),
    "error_hint": (
        "Paste the Outlook error number (0x800CCC79) or the text of the message.",
        "Type the number (0x800CCC79, 0x800CCC0E\u2026) or the words the caller reads out "
        "(\u201cRelay access denied\u201d). Leave empty if there is no message.",
    ),
    "cred_q": (
        "Your mail password lets relaywiz test sending the way your mail program does "
        "(optional; without it only the server's answers to strangers are tested).",
        "Ask the caller for the mail password only if your policy allows it; otherwise leave "
        "it empty and relaywiz tests without logging in.",
    ),
    "probe_intro": (
        "Testing the server from this computer's network. Nothing is sent.",
        "Testing from YOUR network (the helpdesk's), not the caller's. Tell the caller: "
        "\u201cI'm testing the server now, it takes under a minute.\u201d",
    ),
    "diagnosis_intro": (
        "What relaywiz found, most important first.",
        "Read the recommendation to the caller, one field at a time.",
    ),
    "caller_intro": (
        "",
        "The probe ran from your network. Only the caller's network can show whether a port "
        "is blocked there. Ask the caller to run this command and read you the last lines:",
    ),
    "changed_q": (
        "What did you change? (optional, goes into the report)",
        "What did you change with the caller? (goes into the ticket)",
    ),
}


def say(key: str, helpdesk: bool) -> str:
    """The sentence `key` in the user's or the helpdesk's voice."""
    user, desk = TEXT[key]
    return desk if helpdesk and desk else user
