"""Tests for the PiAlert integration."""
