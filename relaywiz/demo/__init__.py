"""The practice server for `relaywiz --demo` (see `relaywiz.demo.server`)."""

from relaywiz.demo.server import DemoInfo, practice_server

__all__ = ["DemoInfo", "practice_server"]
