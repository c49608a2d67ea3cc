"""The app identity: which official app, on which platform, the SDK presents itself as.

The service is said to ban accounts partly on what a client sends, and a client gives
itself away when the parts disagree (an iPhone user agent with an Android login body,
a Java PubNub client string under iOS headers). So the platform decides everything at
once: build, version and user agent, whether a logged-out request says
``CH-UserID: (null)`` or nothing, the letter case of a new ``CH-DeviceId``, the fields
of the login body, whether the update check asks about TestFlight, which
notification-token field ``update_notifications`` sends, and PubNub's ``pnsdk``.

The two identities (docs/protocol.md B.1, B.2):

* ``AppIdentity.ios()`` (the default): the iOS app build 434 (0.1.40), as clubhouse-py
  434.0.1 presents it.
* ``AppIdentity.android()``: the official Android app 0.1.4 (build 1890), as read in its
  decompiled code.

Build, version, user agent, locale, languages and the PubNub string can each be
overridden; the platform-bound behaviour cannot be mixed.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .auth import new_device_id
from .errors import InvalidArgumentError

__all__ = ["AppIdentity", "Platform"]


class Platform(enum.StrEnum):
    """The platform of an official app."""

    IOS = "ios"
    ANDROID = "android"


@attrs.frozen(kw_only=True)
class _Traits:
    """What one platform's app does; fixed per platform."""

    build: str
    version: str
    pubnub_sdk: str
    login_fields: tuple[str, ...]
    logged_out_user_id: str | None
    lower_case_device_id: bool
    accept_language: bool
    asks_testflight: bool


_TRAITS: Mapping[Platform, _Traits] = MappingProxyType(
    {
        Platform.IOS: _Traits(
            build="434",
            version="0.1.40",
            # Not confirmable for build 434; see docs/protocol.md C.1 and G.
            pubnub_sdk="PubNub-ObjC-iOS/4.15.11",
            login_fields=("device_token", "rc_token", "phone_number", "verification_code"),
            logged_out_user_id="(null)",
            lower_case_device_id=False,
            accept_language=True,
            asks_testflight=True,
        ),
        Platform.ANDROID: _Traits(
            build="1890",
            version="0.1.4",
            pubnub_sdk="PubNub-Java-Unified/4.36.0",
            login_fields=(
                "verification_code",
                "phone_number",
                "safety_net_nonce",
                "safety_net_response",
                "rc_token",
            ),
            logged_out_user_id=None,
            lower_case_device_id=True,
            accept_language=False,
            asks_testflight=False,
        ),
    }
)


def _platform(value: object) -> Platform:
    try:
        return Platform(str(value))
    except ValueError:
        choices = ", ".join(repr(p.value) for p in Platform)
        raise InvalidArgumentError("platform", f"must be one of {choices}") from None


def _traits(identity: AppIdentity) -> _Traits:
    return _TRAITS[identity.platform]


@attrs.frozen(kw_only=True)
class AppIdentity:
    """Who the SDK says it is. The default is the iOS app build 434 (0.1.40)."""

    platform: Platform = attrs.field(default=Platform.IOS, converter=_platform)
    """Which official app the SDK presents itself as."""
    build: str = attrs.field(
        default=attrs.Factory(lambda self: _traits(self).build, takes_self=True)
    )
    version: str = attrs.field(
        default=attrs.Factory(lambda self: _traits(self).version, takes_self=True)
    )
    """That app's version, as its headers carry it."""
    user_agent: str | None = None
    """A ``User-Agent`` of your own; None: the app's own (``effective_user_agent``)."""
    locale: str = "en_US"
    """``CH-Locale``."""
    languages: str = "en-US"
    """``CH-Languages`` (and ``Accept-Language``)."""
    pubnub_sdk: str = attrs.field(
        default=attrs.Factory(lambda self: _traits(self).pubnub_sdk, takes_self=True)
    )
    """PubNub's ``pnsdk`` value: the PubNub client library this platform's app bundles."""

    @classmethod
    def ios(cls, **overrides: Any) -> AppIdentity:
        """The iOS app, build 434 (0.1.40) unless overridden."""
        return cls(platform=Platform.IOS, **overrides)

    @classmethod
    def android(cls, **overrides: Any) -> AppIdentity:
        """The official Android app 0.1.4, build 1890 unless overridden."""
        return cls(platform=Platform.ANDROID, **overrides)

    @property
    def effective_user_agent(self) -> str:
        """``user_agent`` if given, else the one this platform's app builds from its build."""
        if self.user_agent:
            return self.user_agent
        if self.platform is Platform.ANDROID:
            return f"clubhouse/android/{self.build}"
        return f"clubhouse/{self.build} (iPhone; iOS 14.4; Scale/2.00)"

    @property
    def logged_out_user_id(self) -> str | None:
        """``CH-UserID`` before login: ``(null)`` on iOS, no header at all on Android."""
        return _traits(self).logged_out_user_id

    @property
    def login_fields(self) -> tuple[str, ...]:
        """The keys of this platform's ``complete_phone_number_auth`` body, in its order.

        All are always sent; a value the caller did not give goes out as ``null``.
        """
        return _traits(self).login_fields

    @property
    def asks_testflight(self) -> bool:
        """Whether ``check_for_update`` carries ``is_testflight`` (iOS) or nothing (Android)."""
        return _traits(self).asks_testflight

    def new_device_id(self) -> str:
        """A fresh ``CH-DeviceId`` in this platform's form (a UUID4, upper- or lower-case)."""
        return new_device_id(lower_case=_traits(self).lower_case_device_id)

    def headers(self) -> dict[str, str]:
        """The identity headers, without any credential."""
        headers = {
            "User-Agent": self.effective_user_agent,
            "CH-AppBuild": self.build,
            "CH-AppVersion": self.version,
            "CH-Locale": self.locale,
            "CH-Languages": self.languages,
            "Accept": "application/json",
        }
        if _traits(self).accept_language:
            headers["Accept-Language"] = f"{self.languages};q=1"
        return headers
