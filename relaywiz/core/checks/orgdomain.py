"""The organizational domain (the registrable part, by the Public Suffix List).

DMARC alignment, the Received-chain reader and lint's From check all ask "do these
two names belong to the same organization?"; this is the one answer.
"""

from __future__ import annotations

from functools import lru_cache

from publicsuffixlist import PublicSuffixList


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


def org_domain(domain: str) -> str:
    """The organizational domain of `domain` (itself when it is a public suffix or unknown)."""
    domain = domain.rstrip(".").lower()
    return str(_psl().privatesuffix(domain) or domain)
