"""explain asks no network: the whole corpus is explained with sockets and DNS forbidden."""

from __future__ import annotations

import socket

import pytest

from relaywiz.core.bounce import explain
from tests.unit.explain.corpus import samples


def test_whole_corpus_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("explain tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    done = 0
    for s in samples():
        explain(s.path.read_bytes())
        done += 1
    assert done >= 150
