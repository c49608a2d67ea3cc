"""A local Clarity.fm service: the v1 API and its OAuth provider, over real HTTP.

Example::

    async with ClarityEmulator() as emu:
        async with ClaritySession(emu.issue_token(), base_url=emu.base_url) as clarity:
            print(await clarity.me())
"""

from aioclubhouse.emulator.clarity.app import ClarityEmulator, RecordedRequest
from aioclubhouse.emulator.clarity.oauth import OAuthApp, OAuthProvider
from aioclubhouse.emulator.clarity.world import ClarityWorld, Refusal

__all__ = [
    "ClarityEmulator",
    "ClarityWorld",
    "OAuthApp",
    "OAuthProvider",
    "RecordedRequest",
    "Refusal",
]
