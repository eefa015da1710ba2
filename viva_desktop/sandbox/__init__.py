"""A stand-in for the Comunidad Viva backend that follows the HTTP contract, quirks included.

Used by the demo (`viva-desktop --sandbox`), by training and by the tests::

    from viva_desktop.sandbox import SandboxServer, SandboxConfig, Faults
    with SandboxServer(SandboxConfig(defects=False)) as server:
        ...  # server.url, server.set_faults(latency_ms=200), server.clear_faults()

It imports nothing from the rest of viva_desktop: it plays the server, not the client.
"""

from viva_desktop.sandbox.config import Faults, SandboxConfig
from viva_desktop.sandbox.server import SandboxServer

__all__ = ["Faults", "SandboxConfig", "SandboxServer"]
