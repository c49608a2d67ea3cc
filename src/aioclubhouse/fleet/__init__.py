"""A listener fleet: many accounts over many processes share the live rooms through NATS JetStream.

* :mod:`.discovery`: one account watches the hallway and queues one *watch*
  assignment per room on a work-queue stream;
* :mod:`.worker`: a process with several accounts takes assignments, one room per
  free account, and bridges each room's events to the JetStream events stream,
  holding the assignment as a lease and keeping a resume cursor per room in a
  key-value bucket; a worker that dies loses its leases and others take over;
* :mod:`.status`: which rooms are covered, by whom, and how far behind.

Clustering and replicas are NATS's job (``docs/fleet.md``).  Needs
``aioclubhouse[nats]``; :mod:`.local_nats` runs a local ``nats-server`` for
development and tests.
"""

from .command import discover, status, work
from .discovery import Discoverer, RoomFilter
from .local_nats import LocalNatsServer, local_cluster
from .records import Assignment, RoomRecord
from .settings import FleetSettings
from .status import FleetStatus, fleet_status
from .worker import Worker, WorkerOptions

__all__ = [
    "Assignment",
    "Discoverer",
    "FleetSettings",
    "FleetStatus",
    "LocalNatsServer",
    "RoomFilter",
    "RoomRecord",
    "Worker",
    "WorkerOptions",
    "discover",
    "fleet_status",
    "local_cluster",
    "status",
    "work",
]
