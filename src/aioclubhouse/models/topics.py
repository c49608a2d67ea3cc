"""Topics: the interest tree users, clubs and rooms are tagged with."""

from __future__ import annotations

import attrs

from .base import IdentifiedModel, Model

__all__ = ["Topic", "TopicResult", "TopicsResult"]


@attrs.define(kw_only=True, eq=False)
class Topic(IdentifiedModel):
    """One topic; top-level topics carry their sub-topics in ``topics``.

    Two topics are equal when their ids are.
    """

    entity = "topic"
    id_field = "id"

    id: int
    title: str | None = None
    abbreviated_title: str | None = None
    topics: list[Topic] = attrs.field(factory=list)

    def walk(self) -> list[Topic]:
        """This topic followed by every sub-topic, depth first."""
        found = [self]
        for child in self.topics:
            found.extend(child.walk())
        return found


@attrs.define(kw_only=True)
class TopicsResult(Model):
    """The answer of ``get_all_topics``: the whole topic tree."""

    topics: list[Topic] = attrs.field(factory=list)
    success: bool = True


@attrs.define(kw_only=True)
class TopicResult(Model):
    """The answer of ``get_topic``."""

    topic: Topic
    success: bool = True
