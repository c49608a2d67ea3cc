"""A tour of the Clarity client, run against the local Clarity emulator.

    python examples/clarity_demo.py

It authorizes an application with the OAuth code flow, looks around (profile,
organizations, messages, an expert search), then asks an expert for a call, has the
expert connect it, and follows the call until it completes. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import aiohttp

from aioclubhouse.clarity import ClaritySession, authorize_url
from aioclubhouse.emulator.clarity import ClarityEmulator

EXPERT = "danmartell"


async def approve_in_browser(emu: ClarityEmulator) -> str:
    """What a member's browser does: open the authorize URL and land on the callback."""
    url = authorize_url(emu.client_id, emu.redirect_uri, base=emu.oauth_url)
    async with (
        aiohttp.ClientSession() as http,
        http.get(url, allow_redirects=False) as response,
    ):
        callback = response.headers["Location"]
    return parse_qs(urlsplit(callback).query)["code"][0]


async def main() -> None:
    async with ClarityEmulator() as emu:
        code = await approve_in_browser(emu)
        async with ClaritySession(base_url=emu.base_url) as clarity:
            await clarity.authorize_with_code(
                emu.client_id, emu.client_secret, code, oauth_base=emu.oauth_url
            )
            print(clarity)

            me = await clarity.me()
            print(f"Signed in as {me.name} (@{me.screen_name}), ${me.hourly_rate:.2f}/h")
            for organization in await clarity.organizations():
                print(f"Member of {organization.name} ({len(organization.member_ids)} members)")
            for conversation in await clarity.messages():
                other = conversation.other_member
                last = conversation.last_message
                if other is not None and last is not None:
                    print(
                        f"{conversation.unread_message_count} unread from {other.name}: "
                        f"{last.message!r}"
                    )

            experts = [member async for member in clarity.search("moncton", limit=12)]
            print(
                f"Search 'moncton': first {len(experts)} of the experts, e.g. "
                + ", ".join(member.name or "?" for member in experts[:3])
            )

            expert = await clarity.get_member(EXPERT)
            assert expert.id is not None, "a member fetched by name has an id"
            call = await clarity.request_call(expert.id, dt.timedelta(days=1), "Advice on pricing")
            print(f"Requested call {call.id} with {expert.name}")

            # The expert, signed in on their own device, connects the call.
            expert_token = emu.issue_token(expert.id)
            async with ClaritySession(expert_token, base_url=emu.base_url) as expert_side:
                await expert_side.connect_call(call.id)

            # Poll until the call ends, giving up after a minute if it never does.
            watch = clarity.watch_call(call.id, interval=0.05, timeout=dt.timedelta(minutes=1))
            async for update in watch:
                print(f"  call {update.id}: {update.status}")
            finished = await clarity.get_call(call.id)
            print(f"Call finished after {finished.duration} s")


if __name__ == "__main__":
    asyncio.run(main())
