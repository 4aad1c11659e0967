"""`relaywiz explain`: bounces, Outlook error dialogs, SMTP replies and MTA log lines, explained.

Pure and offline: bytes in, frozen `Explanation`s out. Modules, by duty:
model (vocabulary), categories (meanings, status tables), wording (rules as
data, with literal prefilters), rules (the judgement of a diagnostic text),
remedies (advice and providers' pages), replies (reply code / status / stage /
host extraction), dsn (RFC 3464), textbounce (the MTAs' human-readable
bounces), mime (cheap MIME access), message (whole messages), logs
(Exim/Postfix), outlook (dialogs and numbers), detect (input kind), judge
(raw -> explained), explain (entry points), render (JSON and text).
"""

from relaywiz.core.bounce.explain import explain, explain_all, split_mbox
from relaywiz.core.bounce.model import (
    SCHEMA_VERSION,
    Category,
    ExplainError,
    Explanation,
    InputKind,
    Kind,
    RecipientExplanation,
)

__all__ = [
    "SCHEMA_VERSION",
    "Category",
    "ExplainError",
    "Explanation",
    "InputKind",
    "Kind",
    "RecipientExplanation",
    "explain",
    "explain_all",
    "split_mbox",
]
