"""Per-run certificates for the lab: a test CA, server certificates, one wrong name.

Generated fresh for every lab run (nothing secret is committed); relaywiz is told
to trust the CA with `--cafile`, and the wrong-name certificate lets a scenario
show what a certificate for another host looks like to a client.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import trustme

WRONG_NAME = "wrong-name.invalid"


@dataclass(frozen=True)
class CertFiles:
    """One server certificate: chain (leaf first) and private key, as PEM files."""

    cert: Path
    key: Path


class LabCA:
    """A throw-away certificate authority writing its files into one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._ca = trustme.CA(organization_name="relaywiz lab CA")
        self.cafile = directory / "ca.pem"
        self._ca.cert_pem.write_to_path(str(self.cafile))
        os.chmod(self.cafile, 0o644)

    def issue(self, label: str, *names: str) -> CertFiles:
        """A certificate valid for `names` (host names or IP addresses)."""
        leaf = self._ca.issue_cert(*names)
        cert = self.directory / f"{label}.crt"
        key = self.directory / f"{label}.key"
        cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        key.write_bytes(leaf.private_key_pem.bytes())
        os.chmod(cert, 0o644)
        os.chmod(key, 0o600)
        return CertFiles(cert, key)

    def issue_wrong_name(self, label: str) -> CertFiles:
        """A certificate from the trusted CA that names a host nobody will connect to."""
        return self.issue(label, WRONG_NAME)
