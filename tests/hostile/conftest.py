"""Fixtures for the hostile-server suite: one test CA and its certificates per module."""

from __future__ import annotations

import pytest

from tests.support.servers import Certs, make_certs


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("hostile-certs"))
