"""The only place relaywiz reads or stores a password.

Passwords come from the system keyring (service `relaywiz`), from a stream
(stdin) or from a prompt the face provides; never from argv. Keyring failures
become `SecretsUnavailable` with a message a person understands.
"""

from __future__ import annotations

from types import ModuleType
from typing import IO

SERVICE = "relaywiz"


class SecretsUnavailable(Exception):
    """No usable keyring backend (or it refused); the message says which and why."""


def _keyring() -> ModuleType:
    try:
        import keyring
        import keyring.errors
    except Exception as exc:  # pragma: no cover - keyring is a dependency
        raise SecretsUnavailable(
            f"the keyring library is not usable ({type(exc).__name__})"
        ) from None
    return keyring


def backend_name() -> str | None:
    """The active keyring backend's name, or None when there is no usable one."""
    try:
        kr = _keyring()
        backend = kr.get_keyring()
    except Exception:
        return None
    priority = getattr(backend, "priority", 1)
    name = type(backend).__name__
    if name in ("Keyring", "ChainerBackend") and not getattr(backend, "backends", True):
        return None
    if "fail" in type(backend).__module__ or (isinstance(priority, int | float) and priority < 0):
        return None
    return f"{type(backend).__module__}.{name}"


def get_password(username: str) -> str | None:
    """The stored password for `username`, None if none is stored.

    Raises SecretsUnavailable when no keyring backend can be used.
    """
    if backend_name() is None:
        raise SecretsUnavailable("no system keyring is available on this machine")
    kr = _keyring()
    try:
        value: str | None = kr.get_password(SERVICE, username)
    except Exception as exc:
        raise SecretsUnavailable(f"the keyring refused to answer ({type(exc).__name__})") from None
    return value


def set_password(username: str, password: str) -> None:
    """Store `password` for `username` in the keyring (raises SecretsUnavailable)."""
    if backend_name() is None:
        raise SecretsUnavailable("no system keyring is available on this machine")
    kr = _keyring()
    try:
        kr.set_password(SERVICE, username, password)
    except Exception as exc:
        raise SecretsUnavailable(
            f"the keyring refused to store it ({type(exc).__name__})"
        ) from None


def read_password_stream(stream: IO[str]) -> str:
    """The first line of `stream` without its line ending (for --password-stdin)."""
    line = stream.readline()
    return line.rstrip("\r\n")
