"""The headless core: evidence collection and pure judgement, no UI or CLI imports."""
