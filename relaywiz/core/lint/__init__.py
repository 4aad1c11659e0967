"""`relaywiz lint MESSAGE.eml`: the content rules that decide between inbox and spam folder.

Offline and pure: a raw message goes in (`lint_message(bytes)`), a `LintReport` of
rule results comes out, each saying what was found, why it matters and how to fix
it. No DNS, no network.
"""

from relaywiz.core.lint.model import LintInputError, LintReport, LintResult, LintStatus
from relaywiz.core.lint.rules import lint_message

__all__ = ["LintInputError", "LintReport", "LintResult", "LintStatus", "lint_message"]
