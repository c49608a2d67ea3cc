"""Every event class written as its JSON record and read back, ids, secrets, bad records."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest

from aioclubhouse.bridge import (
    EventRecordError,
    event_classes,
    event_id,
    event_type,
    from_json,
    from_record,
    to_json,
    to_record,
)
from aioclubhouse.bridge.codecs import Codecs
from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.models.converter import structure
from aioclubhouse.models.rooms import (
    AcceptSpeakerInviteResult,
    HandraisePermission,
    JoinChannelResult,
    RoomUser,
)
from aioclubhouse.redaction import SECRET_KEYS
from aioclubhouse.rooms.realtime_events import (
    ACTIONS,
    Connected,
    HandraiseSettingsChanged,
    LeaveReason,
    Left,
    Reconnecting,
    RoomEvent,
    UnknownEvent,
    UserJoined,
    parse_message,
)

from .support import SECRET_MARK, all_event_classes, secrets

AT = dt.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
CLASSES = all_event_classes()


def test_the_format_carries_every_event_class_of_the_sdk() -> None:
    assert set(event_classes()) == set(CLASSES)
    assert len(CLASSES) == len(set(CLASSES))
    types = [event_type(cls) for cls in CLASSES]
    assert len(set(types)) == len(types), "two classes share a type name"
    for cls, name in zip(CLASSES, types, strict=True):
        assert name == name.lower() and name.replace("_", "").isalnum()
        if cls in ACTIONS.values():
            assert name == cls.action  # type: ignore[attr-defined]


# -- what a record looks like ----------------------------------------------------------------

JOIN = {
    "action": "join_channel",
    "channel": "xyz",
    "user_profile": {
        "user_id": "42",
        "name": "Ann Example",
        "username": "ann",
        "is_speaker": True,
        "time_joined_as_speaker": "2024-05-01T11:59:00Z",
        "skin_tone": 3,
        "unknown_field": "kept only in raw",
        **secrets(),
    },
    **secrets(),
}


def test_a_service_event_record_field_by_field() -> None:
    event = parse_message(JOIN, pubnub_channel="channel_all.xyz", timetoken=17145648001234567)
    assert to_record(event, received_at=AT) == {
        "schema": 1,
        "id": "channel_all.xyz:17145648001234567",
        "type": "join_channel",
        "room": "xyz",
        "pubnub_channel": "channel_all.xyz",
        "timetoken": 17145648001234567,
        "received_at": "2024-05-01T12:00:00.123Z",
        "user": {
            "user_id": 42,
            "name": "Ann Example",
            "username": "ann",
            "photo_url": None,
            "first_name": None,
            "skintone": 3,
            "is_new": False,
            "bio_short": None,
            "is_speaker": True,
            "is_moderator": False,
            "time_joined_as_speaker": "2024-05-01T11:59:00Z",
            "is_followed_by_speaker": False,
            "is_invited_as_speaker": False,
            "is_muted": None,
            "is_on_call": None,
        },
    }


def test_enums_are_written_as_their_values() -> None:
    settings_changed = HandraiseSettingsChanged(
        channel="xyz", is_enabled=True, handraise_permission=HandraisePermission.CLUB_MEMBERS
    )
    assert to_record(settings_changed)["handraise_permission"] == 3
    back = from_record(to_record(settings_changed))
    assert isinstance(back, HandraiseSettingsChanged)
    assert back.handraise_permission is HandraisePermission.CLUB_MEMBERS
    unnamed = HandraiseSettingsChanged(is_enabled=False, handraise_permission=9)
    assert from_record(to_record(unnamed)).handraise_permission == 9  # type: ignore[attr-defined]
    left = Left(channel="xyz", timetoken=5, reason=LeaveReason.SHOULD_LEAVE)
    assert to_record(left)["reason"] == "should_leave"


def test_received_at_is_utc_with_milliseconds_and_defaults_to_now() -> None:
    event = Connected(channel="xyz", timetoken=1)
    plus_two = dt.timezone(dt.timedelta(hours=2))
    given_at = dt.datetime(2024, 5, 1, 14, 0, 0, 999999, tzinfo=plus_two)
    assert to_record(event, received_at=given_at)["received_at"] == "2024-05-01T12:00:00.999Z"
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    written = dt.datetime.fromisoformat(to_record(event)["received_at"])
    after = dt.datetime.now(dt.UTC)
    assert before <= written <= after
    with pytest.raises(InvalidArgumentError, match="received_at"):
        to_record(event, received_at=dt.datetime(2024, 5, 1))


# -- ids -------------------------------------------------------------------------------------


def test_the_id_of_a_message_is_its_pubnub_channel_and_timetoken() -> None:
    first = parse_message(JOIN, pubnub_channel="channel_all.xyz", timetoken=17)
    replayed = parse_message(dict(JOIN), pubnub_channel="channel_all.xyz", timetoken=17)
    assert first is not replayed
    later = AT + dt.timedelta(minutes=5)
    one, two = to_record(first, received_at=AT), to_record(replayed, received_at=later)
    assert one["id"] == two["id"] == "channel_all.xyz:17"
    assert {**one, "received_at": None} == {**two, "received_at": None}
    assert to_json(first, received_at=AT) == to_json(first, received_at=AT)
    assert to_record(first)["id"] == to_record(first)["id"]
    assert event_id(first) == "channel_all.xyz:17"
    # Another message, or the same timetoken on another channel, is another event.
    assert event_id(parse_message(JOIN, pubnub_channel="channel_all.xyz", timetoken=18)) != (
        event_id(first)
    )
    other_channel = parse_message(JOIN, pubnub_channel="channel_speakers.xyz", timetoken=17)
    assert event_id(other_channel) != event_id(first)


def test_events_without_a_pubnub_message_are_named_by_room_type_and_timetoken() -> None:
    assert event_id(Connected(channel="xyz", timetoken=170)) == "xyz:connected:170"
    assert event_id(Left(timetoken=171, reason=LeaveReason.USER)) == ":left:171"
    first = Reconnecting(channel="xyz", timetoken=170, attempt=1, error="timeout")
    second = Reconnecting(channel="xyz", timetoken=170, attempt=2, error="timeout")
    assert event_id(first) == "xyz:reconnecting:170:1"
    assert event_id(first) != event_id(second)
    assert to_record(first)["id"] == event_id(first)
    bare = parse_message({"action": "join_channel", "user_id": 1}, timetoken=9)
    assert event_id(bare) == ":join_channel:9"


# -- secrets ---------------------------------------------------------------------------------


def test_no_credential_of_a_raw_payload_is_written() -> None:
    event = parse_message(JOIN, pubnub_channel="channel_all.xyz", timetoken=17)
    assert isinstance(event, UserJoined)
    assert SECRET_MARK in json.dumps(event.user.raw), "the test payload holds credentials"
    text = to_json(event)
    assert SECRET_MARK not in text
    assert "unknown_field" not in text, "a profile is written as its fields, not its payload"
    unknown = parse_message(
        {"action": "from_the_future", "nested": {"auth_token": "S3CR3T-x"}, **secrets()},
        pubnub_channel="users.42",
        timetoken=18,
    )
    assert isinstance(unknown, UnknownEvent)
    record = json.loads(to_json(unknown))
    assert SECRET_MARK not in json.dumps(record)
    assert record["raw"]["action"] == "from_the_future"
    assert record["raw"]["nested"]["auth_token"] == "<redacted>"
    assert set(SECRET_KEYS) <= set(record["raw"])


def test_model_fields_named_like_credentials_are_never_written() -> None:
    codecs = Codecs()
    payload = {"channel": "xyz", "users": [JOIN["user_profile"]], "pubnub_origin": "o"}
    for cls in (JoinChannelResult, AcceptSpeakerInviteResult):
        model = structure({**payload, **secrets()}, cls)
        encode = codecs.of(cls).encode
        assert encode is not None
        written = encode(model)
        assert SECRET_MARK not in json.dumps(written)
        assert "pubnub_origin" in written
    assert "time_joined_as_speaker" in codecs.definitions["RoomUser"]["properties"]
    assert not set(codecs.definitions["JoinChannelResult"]["properties"]) & SECRET_KEYS


# -- reading records -------------------------------------------------------------------------


def _join_record() -> dict[str, Any]:
    return to_record(parse_message(JOIN, pubnub_channel="channel_all.xyz", timetoken=17))


def test_a_read_back_user_is_a_full_profile() -> None:
    back = from_record(_join_record())
    assert isinstance(back, UserJoined)
    user = back.user
    assert isinstance(user, RoomUser)
    assert (user.user_id, user.name, user.skintone, user.skin_tone) == (42, "Ann Example", 3, 3)
    assert user.time_joined_as_speaker == dt.datetime(2024, 5, 1, 11, 59, tzinfo=dt.UTC)
    assert user.raw == _join_record()["user"]


def test_readers_ignore_what_they_do_not_know_and_default_what_is_missing() -> None:
    record = {
        **to_record(Left(channel="xyz", timetoken=3, reason=LeaveReason.ENDED, error="gone")),
        "added_by_a_later_release": [1, 2],
    }
    del record["error"]
    assert from_record(record) == Left(channel="xyz", timetoken=3, reason=LeaveReason.ENDED)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"schema": 2}, "schema"),
        ({"schema": "1"}, "schema"),
        ({"type": "no_such_event"}, "type"),
        ({"type": None}, "type"),
        ({"timetoken": "17"}, "timetoken"),
        ({"room": 5}, "room"),
        ({"user": "Ann"}, "user"),
        ({"user": {"name": "no id"}}, "user"),
        ({"user": {"user_id": "not a number"}}, "user"),
    ],
)
def test_a_wrong_record_is_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(EventRecordError) as caught:
        from_record({**_join_record(), **change})
    assert caught.value.field == field
    assert field in str(caught.value)


def test_missing_fields_are_named() -> None:
    for key in ("room", "timetoken", "user"):
        record = _join_record()
        del record[key]
        with pytest.raises(EventRecordError, match=key) as caught:
            from_record(record)
        assert caught.value.field == key
    with pytest.raises(EventRecordError, match="attempt"):
        record = to_record(Reconnecting(timetoken=1, attempt=3))
        del record["attempt"]
        from_record(record)
    wrong_enum = {**to_record(Left(timetoken=1, reason=LeaveReason.USER)), "reason": "bored"}
    with pytest.raises(EventRecordError, match="reason"):
        from_record(wrong_enum)


def test_what_is_not_a_record_is_refused() -> None:
    with pytest.raises(EventRecordError, match="record"):
        from_record([1, 2])  # type: ignore[arg-type]
    with pytest.raises(EventRecordError, match="not JSON"):
        from_json('{"schema": 1,')
    with pytest.raises(EventRecordError, match="schema"):
        from_json("{}")


def test_a_class_the_format_does_not_carry_is_refused() -> None:
    @attrs.frozen(kw_only=True)
    class Unregistered(UserJoined):
        """A subclass that registers no action of its own."""

    event = Unregistered(user=RoomUser(user_id=1))
    for call in (to_record, to_json, event_id, event_type):
        with pytest.raises(InvalidArgumentError, match="Unregistered"):
            call(event)
    with pytest.raises(InvalidArgumentError, match="RoomEvent"):
        event_type(RoomEvent)
