"""Widgets only: they show state and call into `core`; no HTTP, no zip files here."""
