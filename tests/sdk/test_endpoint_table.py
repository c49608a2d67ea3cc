"""The one endpoint-table parser both catalogues are read with, and the rows it makes."""

from __future__ import annotations

import attrs
import pytest

from aioclubhouse import ENDPOINTS, ClubhouseEndpoint, Endpoint
from aioclubhouse.clarity import CLARITY_ENDPOINTS
from aioclubhouse.endpoint_table import parse_table


def test_a_table_with_paths_and_flags() -> None:
    rows = parse_table(
        """
        things: get_thing GET things/{thing_id} I | make_thing POST things
          | list_things GET things PIN
        """.strip(),
        Endpoint,
        with_paths=True,
    )
    assert list(rows) == ["get_thing", "make_thing", "list_things"]
    listing = rows["list_things"]
    assert (listing.method, listing.path, listing.area) == ("GET", "things", "things")
    assert listing.paginated and listing.idempotent and not listing.auth
    assert not rows["make_thing"].idempotent and rows["make_thing"].auth
    assert rows["get_thing"].format(thing_id="a/b c") == "things/a%2Fb%20c"


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ("area: a PUT", "bad method"),
        ("area: a GET Z", "unknown flag"),
        ("area: a GET | a POST", "listed twice"),
        ("area: a", "malformed"),
        ("area: a GET I extra", "malformed"),
    ],
)
def test_a_typo_fails_at_import(table: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_table(table, Endpoint)


def test_each_catalogue_has_its_own_row_fields() -> None:
    assert all(type(row) is ClubhouseEndpoint for row in ENDPOINTS.values())
    assert all(row.path == name for name, row in ENDPOINTS.items())
    assert ENDPOINTS["send_chat_message"].since_2022
    neutral = {field.name for field in attrs.fields(Endpoint)}
    assert all(type(row) is Endpoint for row in CLARITY_ENDPOINTS.values())
    assert {field.name for field in attrs.fields(type(CLARITY_ENDPOINTS["me"]))} == neutral
    assert "since_2022" not in neutral
    assert CLARITY_ENDPOINTS["connect_call"].format(call_id=5) == "calls/5/connect"
