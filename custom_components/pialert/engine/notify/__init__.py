"""Notification rules: who hears about which alert, when, and through what."""
