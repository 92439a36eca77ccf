"""PiAlert's development scripts; hass_process is shared with benchmarks/."""
