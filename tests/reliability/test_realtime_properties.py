"""Properties of the realtime link over answers and payloads no test author would write.

Hypothesis generates subscribe answers (wrong types, odd timetokens and regions,
nesting, junk envelopes, bodies that are not JSON, error statuses) and message
payloads (every known action with fields of any type).  Whatever comes, a valid
message that follows is delivered, and a valid event that follows is applied:

* through one long-lived link to a scripted server, over real sockets, with the
  real `pubnub` request builders (`ThreadedLab`);
* through the answer and envelope readers, and the event parser and state, directly
  and many times faster.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aioclubhouse.rooms.realtime.answers import (
    MAX_TIMETOKEN_DIGITS,
    MalformedAnswer,
    PollAnswer,
    parse_envelope,
    read_answer,
)
from aioclubhouse.rooms.realtime_events import (
    ACTIONS,
    UnknownEvent,
    UserJoined,
    apply_event,
    parse_message,
)
from aioclubhouse.rooms.state import RoomState

from .realtime_script import Answer, ThreadedLab

ROOM = "channel_all.abcdefgh"
SENTINEL = "channel_all.sentinel"
ODD_NUMBERS = ["²", "9" * 5000, "", "0", "-1", "1e5", " 12 ", "١٢٣", "+7", "0x10", "12.5"]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
odd_numbers = st.sampled_from(ODD_NUMBERS) | st.integers() | st.floats() | st.text(max_size=8)
timetokens = odd_numbers | json_values
regions = st.sampled_from(["1 2", "&tt=0", "%00", "\n", "🙂", "1", 3]) | odd_numbers | json_values
channels = st.just(ROOM) | st.text(max_size=12).filter(lambda name: name != SENTINEL)
envelopes = (
    st.fixed_dictionaries(
        {"c": channels, "d": json_values},
        optional={
            "p": st.fixed_dictionaries({"t": timetokens}, optional={"r": regions}) | json_values,
            "f": json_values,
            "k": json_values,
            "i": json_values,
        },
    )
    | json_values
)
cursors = st.fixed_dictionaries({"t": timetokens}, optional={"r": regions}) | json_values
answer_documents = (
    st.fixed_dictionaries(
        {"t": cursors}, optional={"m": st.lists(envelopes, max_size=5) | json_values}
    )
    | json_values
)
statuses = st.sampled_from([200, 200, 200, 400, 404, 500, 502, 503])
"""Every status but 403, which ends a subscription by design (the token is dead)."""
answers = st.builds(
    lambda document, status: Answer.json(document, status=status), answer_documents, statuses
) | st.builds(
    lambda body, status: Answer(body=body, status=status), st.binary(max_size=64), statuses
)


@pytest.fixture(scope="module")
def lab() -> Iterator[ThreadedLab]:
    running = ThreadedLab([ROOM, SENTINEL])
    running.start()
    yield running
    running.stop()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(script=st.lists(answers, min_size=1, max_size=4))
def test_the_link_delivers_what_follows_any_answers(lab: ThreadedLab, script: list[Answer]) -> None:
    lab.feed(script, SENTINEL)
    assert lab.recorder is not None and lab.subscription is not None
    assert lab.recorder.errors == []
    assert lab.subscription.connected


@settings(max_examples=500, deadline=None)
@given(document=answer_documents)
def test_an_answer_is_read_or_refused_as_malformed(document: Any) -> None:
    # Through JSON and back, as the client decodes it.
    decoded = json.loads(json.dumps(document))
    try:
        answer = read_answer(decoded)
    except MalformedAnswer:
        return
    assert isinstance(answer, PollAnswer)
    assert 0 < answer.cursor < 10**MAX_TIMETOKEN_DIGITS
    assert answer.region is None or (answer.region.isascii() and answer.region.isdigit())
    assert isinstance(answer.envelopes, list)
    for item in answer.envelopes:
        message = parse_envelope(item)
        assert message is None or (
            message.channel and 0 < message.timetoken < 10**MAX_TIMETOKEN_DIGITS
        )


field_names = st.sampled_from(
    [
        "user_id",
        "userId",
        "user_profile",
        "from_user_id",
        "from_name",
        "channel",
        "is_enabled",
        "handraise_permission",
        "channel_invite_id",
        "is_on_call",
    ]
)
field_values = odd_numbers | json_values | st.dictionaries(field_names, odd_numbers, max_size=4)
action_payloads = st.builds(
    lambda action, fields: {"action": action, **fields},
    st.sampled_from(sorted(ACTIONS)) | st.text(max_size=10),
    st.dictionaries(field_names, field_values, max_size=5),
)
payloads = action_payloads | json_values
pubnub_channels = st.sampled_from(
    [ROOM, "channel_user.abcdefgh.7", "channel_speakers.abcdefgh", "users.7", "users.x", "x"]
)


@settings(max_examples=400, deadline=None)
@given(batch=st.lists(st.tuples(payloads, pubnub_channels), max_size=8))
def test_any_payloads_leave_the_events_that_follow_applied(
    batch: list[tuple[Any, str]],
) -> None:
    state = RoomState("abcdefgh", 7)
    events = [
        apply_event(state, parse_message(payload, pubnub_channel=channel, timetoken=n + 1))
        for n, (payload, channel) in enumerate(batch)
    ]
    assert len(events) == len(batch)
    for event in events:
        assert not isinstance(event, UnknownEvent) or event.raw is not None

    joined = apply_event(
        state,
        parse_message(
            {"action": "join_channel", "channel": "abcdefgh", "user_profile": {"user_id": 424242}},
            pubnub_channel=ROOM,
            timetoken=10**6,
        ),
    )
    assert isinstance(joined, UserJoined)
    assert 424242 in [user.user_id for user in state.users]
