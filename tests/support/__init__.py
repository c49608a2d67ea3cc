"""Test support shared by every test package (waiting for signals, and such)."""
