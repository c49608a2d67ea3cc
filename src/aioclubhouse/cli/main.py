"""Argument parsing and the subcommands of the ``aioclubhouse`` command.

Every command talks to ``--base-url`` (default: the real service; point it at
``python -m aioclubhouse.emulator`` to work offline) with the credentials saved by
``aioclubhouse login``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import inspect
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..auth import Credentials, default_credentials_path
from ..dialect import DEFAULT_BASE_URL
from ..endpoints.registry import ENDPOINTS
from ..errors import ClubhouseError, InvalidArgumentError
from ..pagination import Pager
from ..session import ClubhouseSession
from .output import dumps

ENV_BASE_URL = "AIOCLUBHOUSE_BASE_URL"
ENV_CREDENTIALS = "AIOCLUBHOUSE_CREDENTIALS"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aioclubhouse", description="Use the Clubhouse API from the command line."
    )
    parser.add_argument(
        "--base-url",
        default=os.environ.get(ENV_BASE_URL, DEFAULT_BASE_URL),
        help=f"API base URL (env {ENV_BASE_URL}; default %(default)s)",
    )
    parser.add_argument(
        "--credentials",
        type=Path,
        default=Path(os.environ.get(ENV_CREDENTIALS, default_credentials_path())),
        help=f"credentials file (env {ENV_CREDENTIALS}; default %(default)s)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    login = commands.add_parser("login", help="log in with a phone number and a code")
    login.add_argument("phone_number", help="E.164, e.g. +14155550123")
    login.add_argument("--code", help="the verification code (asked for when omitted)")

    commands.add_parser("logout", help="log out and forget the saved tokens")
    commands.add_parser("me", help="show your own account")
    commands.add_parser("rooms", help="list the live rooms of your feed")

    room = commands.add_parser("room", help="show one room and who is in it")
    room.add_argument("channel")

    call = commands.add_parser("call", help="call any endpoint by name; prints its JSON")
    call.add_argument("endpoint", choices=sorted(ENDPOINTS), metavar="ENDPOINT")
    call.add_argument("--json", default="{}", help="keyword arguments as a JSON object")
    call.add_argument("--limit", type=int, help="for paginated endpoints: items to fetch")

    listen = commands.add_parser("listen", help="join a room and print its events as JSON lines")
    listen.add_argument("channel")
    listen.add_argument("--seconds", type=float, help="stop after this long (default: until left)")

    events = commands.add_parser("events", help="print your user events as JSON lines")
    events.add_argument("--seconds", type=float, help="stop after this long")
    events.add_argument(
        "--pubnub-token",
        help="PubNub token for users.<you> (needed unless PubNub is served by the API host)",
    )
    events.add_argument("--pubnub-origin", help="PubNub host[:port] to use with --pubnub-token")
    return parser


def print_json(value: Any, *, pretty: bool = True) -> None:
    print(dumps(value, pretty=pretty), flush=True)


async def run(args: argparse.Namespace) -> int:
    if args.command == "login":
        return await login(args)
    try:
        credentials = Credentials.load(args.credentials)
    except InvalidArgumentError:
        print(f"not logged in: run 'aioclubhouse login' ({args.credentials})", file=sys.stderr)
        return 2
    async with ClubhouseSession(
        credentials, base_url=args.base_url, credentials_path=args.credentials
    ) as session:
        if args.command == "logout":
            await session.logout()
            session.save_credentials()
            print("logged out")
        elif args.command == "me":
            print_json(await session.me())
        elif args.command == "rooms":
            feed = await session.get_channels()
            for live in feed.channels:
                print(f"{live.channel}\t{live.num_all or 0}\t{live.topic or ''}")
        elif args.command == "room":
            print_json(await session.get_channel(args.channel))
        elif args.command == "call":
            await call_endpoint(session, args.endpoint, args.json, args.limit)
        elif args.command == "listen":
            await listen(session, args.channel, args.seconds)
        elif args.command == "events":
            await user_events(session, args.seconds, args.pubnub_token, args.pubnub_origin)
    return 0


async def login(args: argparse.Namespace) -> int:
    credentials = Credentials.load(args.credentials) if args.credentials.exists() else Credentials()
    async with ClubhouseSession(credentials, base_url=args.base_url) as session:
        started = await session.start_phone_number_auth(args.phone_number)
        if started.is_blocked:
            print("this number is blocked by the service", file=sys.stderr)
            return 1
        code = args.code or await asyncio.to_thread(getpass.getpass, "Verification code: ")
        result = await session.complete_phone_number_auth(args.phone_number, code.strip())
        path = session.credentials.save(args.credentials)
    state = "waitlisted" if result.is_waitlisted else "logged in"
    print(f"{state} as user {session.user_id}; credentials saved to {path}")
    return 0


async def call_endpoint(
    session: ClubhouseSession, name: str, arguments: str, limit: int | None
) -> None:
    try:
        kwargs = json.loads(arguments)
    except json.JSONDecodeError as exc:
        raise InvalidArgumentError("--json", f"not valid JSON ({exc.msg})") from None
    if not isinstance(kwargs, dict):
        raise InvalidArgumentError("--json", "must be a JSON object of keyword arguments")
    if limit is not None:
        if not ENDPOINTS[name].paginated:
            raise InvalidArgumentError("--limit", f"{name} is not paginated")
        kwargs["limit"] = limit
    method = getattr(session, name)
    try:
        inspect.signature(method).bind(**kwargs)
    except TypeError as exc:
        raise InvalidArgumentError("--json", f"{name}: {exc}") from None
    result = method(**kwargs)
    if isinstance(result, Pager):
        if limit is None:
            print_json(await result)  # the first page, with its cursor fields
        else:
            async for item in result:  # one JSON line per item, across pages
                print_json(item, pretty=False)
        return
    print_json(await result)


async def listen(session: ClubhouseSession, channel: str, seconds: float | None) -> None:
    async with await session.join_room(channel) as room:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                async for event in room.events():
                    print_json(event, pretty=False)


async def user_events(
    session: ClubhouseSession,
    seconds: float | None,
    pubnub_token: str | None,
    pubnub_origin: str | None,
) -> None:
    async with session.user_events(
        pubnub_token=pubnub_token, pubnub_origin=pubnub_origin
    ) as stream:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                async for event in stream:
                    print_json(event, pretty=False)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return 130
    except ClubhouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
