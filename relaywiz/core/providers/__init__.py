"""Known submission settings of the big mail providers, and discovery for any address."""

from relaywiz.core.providers.discover import (
    AddressError,
    Discovery,
    Source,
    Suggestion,
    discover,
    discover_all,
    from_records,
    split_address,
)
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
