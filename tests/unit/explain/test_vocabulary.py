"""The category vocabulary is stable, complete and documented where the issue asks."""

from __future__ import annotations

from pathlib import Path

from relaywiz.core.bounce import Category
from relaywiz.core.bounce.categories import MEANING
from relaywiz.core.bounce.remedies import REMEDY

ROOT = Path(__file__).resolve().parents[3]

ISSUE_VOCABULARY = [
    "user_unknown",
    "mailbox_full",
    "mailbox_disabled",
    "address_moved",
    "recipient_filtered",
    "message_too_big",
    "host_unknown",
    "domain_not_accepting_mail",
    "network_error",
    "network_timeout",
    "expired",
    "starttls_failed",
    "sender_rejected",
    "sender_mismatch",
    "relay_denied",
    "ip_blocklisted",
    "bad_reputation",
    "ptr_required",
    "auth_failure",
    "auth_required",
    "security_error",
    "policy_violation",
    "rate_limited",
    "too_many_connections",
    "too_many_recipients",
    "spam_detected",
    "content_rejected",
    "virus_detected",
    "not_rfc_compliant",
    "system_error",
    "system_full",
    "mailer_error",
    "syntax_error",
    "suppressed",
    "delivered",
    "auto_reply",
    "feedback_report",
    "not_a_bounce",
    "unknown",
]


def test_vocabulary_is_the_issues() -> None:
    assert [c.value for c in Category] == ISSUE_VOCABULARY


def test_every_category_has_a_meaning_and_a_remedy() -> None:
    assert set(MEANING) == set(Category) == set(REMEDY)


def test_readme_and_docs_document_every_category() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "explain.md").read_text(encoding="utf-8")
    for c in Category:
        assert f"`{c.value}`" in readme, c
        assert f"`{c.value}`" in docs, c


def test_corpus_covers_every_category_and_family() -> None:
    from tests.unit.explain.corpus import samples

    seen: set[str] = set()
    families: set[str] = set()
    for s in samples():
        families.add(s.path.parent.name)
        if "category" in s.expect:
            seen.add(s.expect["category"])
        seen.update(r["category"] for r in s.expect.get("recipients", []) if "category" in r)
    assert seen >= set(ISSUE_VOCABULARY), set(ISSUE_VOCABULARY) - seen
    assert families >= {
        "postfix",
        "exim",
        "sendmail",
        "qmail",
        "exchange",
        "gmail",
        "yahoo",
        "mailru",
        "yandex",
        "courier",
        "generic",
        "outlook",
        "logs",
    }
