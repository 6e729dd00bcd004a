"""Local fakes of the signal sources, for tests and the demo: ``FakeSignalServer``."""

from unsilo.signals.fakes.data import FakeShare, FakeSignals
from unsilo.signals.fakes.server import FakeSignalServer

__all__ = ["FakeShare", "FakeSignalServer", "FakeSignals"]
