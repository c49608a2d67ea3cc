"""A local Clubhouse service: the HTTP API and the PubNub realtime protocol, in one process.

Example::

    async with Emulator(seed=1) as emu:
        credentials = emu.login()
        # an SDK session goes to emu.base_url, PubNub clients to emu.origin
"""

from aioclubhouse.emulator.app import Emulator
from aioclubhouse.emulator.config import EmulatorConfig
from aioclubhouse.emulator.faults import Faults
from aioclubhouse.emulator.pubnub import PubNubHub
from aioclubhouse.emulator.request_log import ReceivedRequest, RequestLog
from aioclubhouse.emulator.state import STATE_VERSION, StateFileError
from aioclubhouse.emulator.world import World

__all__ = [
    "STATE_VERSION",
    "Emulator",
    "EmulatorConfig",
    "Faults",
    "PubNubHub",
    "ReceivedRequest",
    "RequestLog",
    "StateFileError",
    "World",
]
