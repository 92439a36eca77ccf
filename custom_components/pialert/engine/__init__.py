"""PiAlert's monitoring core.

Nothing in this package imports Home Assistant: it holds the models, the alert
state machine, the probes and the history, and is tested on its own.
"""
