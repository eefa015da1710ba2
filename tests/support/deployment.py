"""`Deployment`: a sandbox server on a database file that can go away and come back.

Stopping it is the network going down; starting it again serves the same data on the same
port, as a real server would after an outage. The offline tests of the sync, the outbox and
the editors all need that round trip."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from viva_desktop.sandbox import SandboxConfig, SandboxServer


@dataclass
class Deployment:
    path: Path
    scale: int = 0
    defects: bool = False
    server: SandboxServer | None = None
    port: int = 0

    def start(self) -> SandboxServer:
        config = SandboxConfig(
            database_url=f"sqlite:///{self.path}",
            scale=self.scale,
            defects=self.defects,
            port=self.port,
        )
        self.server = SandboxServer(config).start()
        self.port = self.server.port
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Deployment:
        """Started for the `with` block, stopped (if still running) at its end."""
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
