"""From what a parser found to what it means: category, permanence, status, remedy.

Every input kind (DSN, bounce text, log line, Outlook dialog, SMTP reply) ends
here, so one recipient is judged the same way whatever it arrived in.
"""

from __future__ import annotations

from relaywiz.core.bounce.categories import default_status
from relaywiz.core.bounce.model import (
    NOT_FAILURES,
    BounceStage,
    Category,
    RawFailure,
    RecipientExplanation,
)
from relaywiz.core.bounce.remedies import provider_of, remedy_for
from relaywiz.core.bounce.replies import best_status
from relaywiz.core.bounce.rules import EXPIRES_INTO, classify

_SUCCESS_ACTIONS = frozenset({"delivered", "relayed", "expanded"})

#: category -> the Outlook number a client would show had it met this reply itself.
_OUTLOOK_BY_CATEGORY: dict[Category, str] = {
    Category.RELAY_DENIED: "0x800CCC79",
    Category.AUTH_REQUIRED: "0x800CCC79",
    Category.SENDER_REJECTED: "0x800CCC78",
    Category.SENDER_MISMATCH: "0x800CCC78",
    Category.NETWORK_ERROR: "0x800CCC0E",
    Category.NETWORK_TIMEOUT: "0x8004210B",
    Category.STARTTLS_FAILED: "0x800CCC1A",
}


def _temporary_reply(raw: RawFailure) -> bool:
    if raw.reply_code is not None:
        return 400 <= raw.reply_code < 500
    status = best_status(raw.diagnostic, raw.status)
    return bool(status and status.startswith("4."))


def _permanent(raw: RawFailure, temporary_hint: bool) -> bool | None:
    if raw.permanent is not None:
        return raw.permanent
    if raw.action == "failed":
        return True
    if raw.action == "delayed":
        return False
    if raw.reply_code is not None:
        return raw.reply_code >= 500
    status = best_status(raw.diagnostic, raw.status)
    if status:
        return status.startswith("5")
    return not temporary_hint


def outlook_for(category: Category, stage: BounceStage | None) -> str | None:
    """The Outlook error number for a reply the client itself received, if one applies."""
    if category in (Category.AUTH_REQUIRED,) and stage is BounceStage.MAIL:
        return "0x800CCC78"
    if category is Category.USER_UNKNOWN and stage is BounceStage.RCPT:
        return "0x800CCC79"
    return _OUTLOOK_BY_CATEGORY.get(category)


def judge(
    raw: RawFailure,
    *,
    provider_hint: str | None = None,
    temporary_hint: bool = False,
    russian_ui: bool = False,
    client_side: bool = False,
    forced: Category | None = None,
) -> RecipientExplanation:
    """The explanation of one recipient.

    `provider_hint` names the server that wrote the bounce (kept for callers, not
    used for the provider's pages). `client_side` means the reply was seen by the
    mail client itself (a pasted reply or an Outlook dialog), so an Outlook error
    number applies; `forced` is a category already known without reading the text
    (a bare Outlook number).
    """
    if raw.action in _SUCCESS_ACTIONS or forced is not None:
        category = forced or Category.DELIVERED
        verdict_note = None
    else:
        verdict = classify(raw.diagnostic, raw.status, raw.reply_code, raw.stage)
        category, verdict_note = verdict.category, verdict.note
        if raw.action == "failed" and category in EXPIRES_INTO and _temporary_reply(raw):
            # given up after retrying a temporary failure: the queue lifetime ran out
            category, verdict_note = Category.EXPIRED, None
    permanent = None if category in NOT_FAILURES else _permanent(raw, temporary_hint)
    status = best_status(raw.diagnostic, raw.status)
    inferred = False
    if category in NOT_FAILURES and category is not Category.DELIVERED:
        status = None
    elif forced is None and (status is None or status.endswith(".0.0")):
        guess = default_status(category, permanent)
        if guess is not None:
            status, inferred = guess, True
    domain = raw.address.rpartition("@")[2] if raw.address else None
    # the *receiving* side's provider: its pages are the ones that help; the reporting
    # server (provider_hint) is the sender's own side and is not used for them
    provider = provider_of(raw.remote_mta, raw.diagnostic, domain)
    outlook = raw.outlook_error
    if outlook is None and client_side:
        outlook = outlook_for(category, raw.stage)
    return RecipientExplanation(
        address=raw.address,
        category=category,
        status=status,
        reply_code=raw.reply_code,
        remote_mta=raw.remote_mta,
        diagnostic=raw.diagnostic,
        stage=raw.stage,
        permanent=permanent,
        outlook_error=outlook,
        remedy=remedy_for(
            category, raw.diagnostic, provider, verdict_note, raw.stage, russian_ui, client_side
        ),
        status_inferred=inferred,
        action=raw.action,
        provider=provider,
    )


def summary_category(recipients: tuple[RecipientExplanation, ...], default: Category) -> Category:
    """The category that describes a whole input: its first permanent failure, else first."""
    failed = [r for r in recipients if r.category not in NOT_FAILURES]
    for r in failed:
        if r.permanent is not False:
            return r.category
    if failed:
        return failed[0].category
    if recipients and all(r.category is Category.DELIVERED for r in recipients):
        return Category.DELIVERED
    return default
