"""Request-shape cases for the 'topics' endpoints."""

from __future__ import annotations

from aioclubhouse.models.clubs import Club
from aioclubhouse.models.topics import Topic, TopicResult, TopicsResult
from aioclubhouse.models.users import UserShort
from aioclubhouse.pagination import Page

from .endpoint_cases import EndpointCase

FUTURE = {"title": "⏳ The Future", "id": 140, "abbreviated_title": "The Future"}
TREE = {
    "topics": [
        {"title": "Tech", "id": 1, "abbreviated_title": "Tech", "topics": [FUTURE]},
        {"title": "Arts", "id": 2, "abbreviated_title": "Arts", "topics": None},
    ]
}


def check_tree(result: TopicsResult) -> None:
    tech, arts = result.topics
    assert tech.id == 1 and arts.topics == []
    assert [t.id for t in tech.walk()] == [1, 140]
    assert tech.topics[0].abbreviated_title == "The Future"
    assert isinstance(tech.topics[0], Topic)


def check_topic(result: TopicResult) -> None:
    assert isinstance(result, TopicResult)
    assert result.topic == Topic(id=140) and result.topic.title == "⏳ The Future"


def check_users(result: Page[UserShort]) -> None:
    assert [u.user_id for u in result.items] == [1234]
    assert result.items[0].twitter == "john_example"
    assert result.next is None and result.count == 1


def check_clubs(result: Page[Club]) -> None:
    assert [c.club_id for c in result.items] == [123]
    assert result.items[0].num_followers == 456
    assert result.next == 2


CASES: list[EndpointCase] = [
    EndpointCase(
        name="get_all_topics", call=lambda s: s.get_all_topics(), response=TREE, check=check_tree
    ),
    EndpointCase(
        name="get_topic",
        call=lambda s: s.get_topic(140),
        body={"topic_id": 140},
        response={"topic": FUTURE, "success": True},
        check=check_topic,
    ),
    EndpointCase(
        name="get_users_for_topic",
        call=lambda s: s.get_users_for_topic(140),
        query={"topic_id": "140", "page_size": "25", "page": "1"},
        response={
            "users": [
                {"user_id": 1234, "name": "John", "username": "john", "twitter": "john_example"}
            ],
            "count": 1,
            "next": None,
            "previous": None,
            "success": True,
        },
        check=check_users,
    ),
    EndpointCase(
        name="get_clubs_for_topic",
        call=lambda s: s.get_clubs_for_topic(140, page_size=10, page=1),
        query={"topic_id": "140", "page_size": "10", "page": "1"},
        response={
            "clubs": [{"club_id": 123, "name": "Example Club", "num_followers": 456}],
            "count": 11,
            "next": 2,
            "previous": None,
            "success": True,
        },
        check=check_clubs,
    ),
]
