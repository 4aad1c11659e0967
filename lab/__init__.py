"""relaywiz's mail-server lab: real Postfix and Dovecot instances on loopback.

The probe's classifier is only as good as the replies it has seen. This package
starts real Debian MTAs, one instance per scenario on its own 127.x.y.z address,
so the end-to-end tests and the benchmarks read replies we did not type.
Entry point: `lab.labctl` (`Lab`, `start`, `stop_all`).
"""
