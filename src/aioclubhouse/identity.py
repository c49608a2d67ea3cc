"""The app identity sent with every request (build, version, user agent, locale).

The service bans accounts partly on headers, so the defaults mimic a real iOS build
and every part can be changed.
"""

from __future__ import annotations

import attrs

__all__ = ["AppIdentity"]


@attrs.frozen(kw_only=True)
class AppIdentity:
    """Who the SDK says it is. Defaults match the iOS app build 434 (0.1.40)."""

    build: str = "434"
    version: str = "0.1.40"
    user_agent: str | None = None
    locale: str = "en_US"
    languages: str = "en-US"

    @property
    def effective_user_agent(self) -> str:
        return self.user_agent or f"clubhouse/{self.build} (iPhone; iOS 14.4; Scale/2.00)"

    def headers(self) -> dict[str, str]:
        """The identity headers, without any credential."""
        return {
            "User-Agent": self.effective_user_agent,
            "CH-AppBuild": self.build,
            "CH-AppVersion": self.version,
            "CH-Locale": self.locale,
            "CH-Languages": self.languages,
            "Accept": "application/json",
            "Accept-Language": f"{self.languages};q=1",
        }
