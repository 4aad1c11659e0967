"""`python -m relaywiz` runs the same entry point as the `relaywiz` command."""

from relaywiz.cli.main import main

raise SystemExit(main())
