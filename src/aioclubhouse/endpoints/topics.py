"""Endpoints of the 'topics' area: the topic tree and who is in each topic."""

from __future__ import annotations

from .. import validation
from ..models.clubs import Club
from ..models.topics import TopicResult, TopicsResult
from ..models.users import UserShort
from ..pagination import Pager
from .base import EndpointGroup

__all__ = ["TopicEndpoints"]


class TopicEndpoints(EndpointGroup):
    """The 'topics' endpoints."""

    async def get_all_topics(self) -> TopicsResult:
        """The whole topic tree."""
        return await self._call("get_all_topics", TopicsResult)

    async def get_topic(self, topic_id: int) -> TopicResult:
        """One topic by id."""
        body = {"topic_id": validation.positive_id(topic_id, "topic_id")}
        return await self._call("get_topic", TopicResult, body=body)

    def get_users_for_topic(
        self, topic_id: int, *, page_size: int = 25, page: int = 1, limit: int | None = None
    ) -> Pager[UserShort]:
        """Users interested in a topic."""
        params = {"topic_id": validation.positive_id(topic_id, "topic_id")}
        return self._pager(
            "get_users_for_topic",
            UserShort,
            "users",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )

    def get_clubs_for_topic(
        self, topic_id: int, *, page_size: int = 25, page: int = 1, limit: int | None = None
    ) -> Pager[Club]:
        """Clubs tagged with a topic."""
        params = {"topic_id": validation.positive_id(topic_id, "topic_id")}
        return self._pager(
            "get_clubs_for_topic",
            Club,
            "clubs",
            params=params,
            page_size=page_size,
            page=page,
            limit=limit,
        )
