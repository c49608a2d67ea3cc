"""The catalogue of Clarity API endpoints, one row per call the API offers.

Rows are the SDK's product-neutral :class:`~aioclubhouse.endpoint_table.Endpoint`,
written in the same table format as the Clubhouse catalogue. Each carries its route
under ``/v1/``, where a ``{name}`` is filled in per request, and is named like the
:class:`~aioclubhouse.clarity.ClaritySession` method that sends it, except
``search_by_path``: the document's second form of ``search``, which that method sends
when asked to or when the first form is refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..endpoint_table import Endpoint, parse_table

__all__ = ["CLARITY_ENDPOINTS", "ClarityEndpoint"]

ClarityEndpoint = Endpoint
"""A Clarity row is a plain endpoint row: Clarity has no fields of its own."""

# name, method, route, flags — P paginated, I idempotent (safe to resend)
_TABLE = """
members: me GET me I | get_member GET members/{id_or_screen_name} I | find_member GET members I
calls: requested_calls GET calls/requested I | callback_calls GET calls/callback I
  | completed_calls GET calls/completed I | canceled_calls GET calls/canceled I
  | get_call GET calls/{call_id} I | connect_call POST calls/{call_id}/connect
  | request_call POST calls
needs: needs GET needs I | create_need POST needs | fulfill_need POST needs/{need_id}/fulfill
organizations: organizations GET organizations I
  | get_organization GET organizations/{organization_id} I
messages: messages GET messages I | conversation GET messages/{member_id} I
  | send_message POST messages/{member_id}
search: search GET search PI | search_by_path GET search/{q} PI
"""

CLARITY_ENDPOINTS: Mapping[str, Endpoint] = parse_table(_TABLE, Endpoint, with_paths=True)
