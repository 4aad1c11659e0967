"""Known submission settings of the big mail providers, and discovery for any address.

The table is imported at once (diagnosis needs it); discovery, which pulls in
dnspython, is imported on first use so that `relaywiz --probe` starts quickly.
"""

from typing import Any

from relaywiz.core.providers.table import (
    PROVIDERS,
    AuthPolicy,
    Endpoint,
    Provider,
    by_domain,
    by_host,
    by_mx,
)

__all__ = [
    "PROVIDERS",
    "AddressError",
    "AuthPolicy",
    "Discovery",
    "Endpoint",
    "Provider",
    "Source",
    "Suggestion",
    "by_domain",
    "by_host",
    "by_mx",
    "discover",
    "discover_all",
    "from_records",
    "split_address",
]

_LAZY = {
    "AddressError",
    "Discovery",
    "Source",
    "Suggestion",
    "discover",
    "discover_all",
    "from_records",
    "split_address",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from relaywiz.core.providers import discover as _discover

        return getattr(_discover, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
