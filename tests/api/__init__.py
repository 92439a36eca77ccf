"""Tests of PiAlert's v1 HTTP API."""
