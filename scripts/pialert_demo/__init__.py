"""Run a real Home Assistant with the PiAlert integration, ready to click through.

``scripts/demo`` runs ``python -m scripts.pialert_demo``. Start-up, in order:
  1. write .demo/config/configuration.yaml (when missing or written by this script),
     the HTTP settings (127.0.0.1 and the port) in .demo/config/.storage/http, and
     link .demo/config/custom_components/pialert to this repository's integration
     (``config``);
  2. start ``hass -c .demo/config`` in its own process group, logging to
     .demo/home-assistant.log, and wait until its HTTP API answers (``process``,
     ``client``);
  3. onboard through the onboarding REST API (user "demo" with a random password kept
     in .demo/credentials.json), or log in with the saved credentials when the
     instance was onboarded on an earlier run (``onboarding``);
  4. add the PiAlert hub through the config-flow REST API and check it is loaded
     (``client``);
  5. run ``after_hub`` and print what to open (``showcase``). It adds demo targets
     through the target subentry flow's REST API (``targets``: three watch a small
     site this script serves on 127.0.0.1 (``site``), one of them always failing,
     one flapping; a heartbeat; an entity target on
     ``input_boolean.demo_server_online``), pings the heartbeat, creates a read API
     key ("Demo key", kept in .demo/api-key) and calls ``/api/v1/alert-status``
     with it.

Then it keeps Home Assistant (and the demo site) running until Ctrl-C or SIGTERM,
or with ``--check`` waits (at most a minute) for the expected states, stops and
exits 0 when everything worked, 1 otherwise.
"""

from __future__ import annotations


class DemoError(Exception):
    """A step failed; the message says why."""


def say(message: str) -> None:
    """Print a progress line."""
    print(f"[demo] {message}", flush=True)
