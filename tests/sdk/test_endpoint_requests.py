"""Every endpoint in the registry sends the right method, path, query, body and headers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aioresponses import aioresponses

from aioclubhouse.auth import Credentials
from aioclubhouse.endpoints.registry import ENDPOINTS
from aioclubhouse.identity import AppIdentity
from aioclubhouse.session import ClubhouseSession

from .endpoint_cases import EndpointCase, all_cases

BASE = "https://api.example.test/api/"
TOKEN = "tok-0123456789abcdef"


CASES = all_cases()


def test_cases_cover_every_endpoint() -> None:
    covered = {case.name for case in CASES}
    missing = sorted(set(ENDPOINTS) - covered)
    assert not missing, f"endpoints without a request-shape case: {missing}"
    unknown = sorted(covered - set(ENDPOINTS))
    assert not unknown, f"cases for endpoints not in the registry: {unknown}"


def test_every_endpoint_is_a_session_method() -> None:
    missing = [name for name in ENDPOINTS if not callable(getattr(ClubhouseSession, name, None))]
    assert not missing


def _only_call(mocked: aioresponses) -> tuple[str, Any, Any]:
    assert len(mocked.requests) == 1, list(mocked.requests)
    (method, url), calls = next(iter(mocked.requests.items()))
    assert len(calls) == 1
    return method, url, calls[0]


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
async def test_request_shape(case: EndpointCase) -> None:
    endpoint = ENDPOINTS[case.name]
    creds = Credentials(user_id=42, auth_token=TOKEN, device_id="DEVICE-1")
    with aioresponses() as mocked:
        mocked.add(
            re.compile(rf"^{re.escape(BASE + endpoint.path)}(\?.*)?$"),
            method=endpoint.method,
            payload=case.response,
        )
        async with ClubhouseSession(
            creds, base_url=BASE, rate_limit=None, identity=case.identity
        ) as session:
            result = await case.call(session)
        method, url, call = _only_call(mocked)
    assert method == endpoint.method
    assert url.path == "/api/" + endpoint.path
    assert dict(url.query) == case.query
    headers = call.kwargs["headers"]
    identity = case.identity or AppIdentity()
    assert headers["CH-DeviceId"] == "DEVICE-1"
    assert headers["CH-AppBuild"] == identity.build
    assert headers["CH-AppVersion"] == identity.version
    assert headers["User-Agent"] == identity.effective_user_agent
    # Logged in, every request carries the login, the calls that work logged out too.
    assert headers["Authorization"] == f"Token {TOKEN}"
    assert headers["CH-UserID"] == "42"
    data = call.kwargs.get("data")
    if case.multipart:
        assert data is not None and not isinstance(data, (str, bytes))
    elif case.body is None:
        assert data is None
    else:
        assert json.loads(data) == case.body
    if case.check is not None:
        case.check(result)
