"""The live fault switches of one server and the seeded dice that decide each request's fate."""

from __future__ import annotations

import random
import threading

from viva_desktop.sandbox.config import Faults


class FaultState:
    """Thread-safe holder of the current `Faults` and of the random generator that applies them."""

    def __init__(self, faults: Faults) -> None:
        self._lock = threading.Lock()
        self._faults = faults
        self._random = random.Random(faults.seed)

    @property
    def current(self) -> Faults:
        return self._faults

    def replace(self, faults: Faults) -> Faults:
        with self._lock:
            self._faults = faults
        return faults

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._random.seed(seed)

    def roll(self, probability: float) -> bool:
        """True with the given probability; 0 and 1 never consume randomness."""
        if probability <= 0:
            return False
        if probability >= 1:
            return True
        with self._lock:
            return self._random.random() < probability
