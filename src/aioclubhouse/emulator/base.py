"""What every part of the world shares: a way back to the world and its state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aioclubhouse.emulator.models import WorldState

if TYPE_CHECKING:
    from aioclubhouse.emulator.world import World


class WorldPart:
    """One area of the world's rules; reads and writes the shared `WorldState`."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.reindex()

    @property
    def state(self) -> WorldState:
        return self.world.state

    def reindex(self) -> None:
        """Rebuild this part's lookup indexes from the state (after a load)."""
