"""Known submission settings of the big mail providers, and discovery for any address."""

from relaywiz.core.providers.table import (
    PROVIDERS,
    AuthPolicy,
    Endpoint,
    Provider,
    by_domain,
    by_host,
    by_mx,
)

__all__ = ["PROVIDERS", "AuthPolicy", "Endpoint", "Provider", "by_domain", "by_host", "by_mx"]
