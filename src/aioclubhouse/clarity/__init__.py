"""A client for the Clarity.fm API v1 (expert calls), on the same core as the Clubhouse one.

Example::

    async with ClaritySession(oauth_token) as clarity:
        me = await clarity.me()
        call = await clarity.request_call(
            expert_id=7, expires_in=timedelta(hours=72), reason="Pricing advice"
        )
        async for update in clarity.watch_call(call.id, timeout=timedelta(minutes=30)):
            print(update.status)

Get a token with :func:`authorize_url` and :func:`exchange_code`; try everything
offline against :class:`aioclubhouse.emulator.clarity.ClarityEmulator`.
"""

from .dialect import DEFAULT_CLARITY_URL, ClarityDialect
from .endpoints import CLARITY_ENDPOINTS, ClarityEndpoint
from .models import (
    TERMINAL_STATUSES,
    Call,
    CallStatus,
    Conversation,
    Member,
    Message,
    MessageThread,
    Need,
    Organization,
    SearchResults,
)
from .oauth import OAUTH_BASE, authorize_url, exchange_code
from .session import SEARCH_FORMS, SEARCH_PAGE_SIZE, ClaritySession, SearchForm
from .watch import WatchTimeoutError

__all__ = [
    "CLARITY_ENDPOINTS",
    "DEFAULT_CLARITY_URL",
    "OAUTH_BASE",
    "SEARCH_FORMS",
    "SEARCH_PAGE_SIZE",
    "TERMINAL_STATUSES",
    "Call",
    "CallStatus",
    "ClarityDialect",
    "ClarityEndpoint",
    "ClaritySession",
    "Conversation",
    "Member",
    "Message",
    "MessageThread",
    "Need",
    "Organization",
    "SearchForm",
    "SearchResults",
    "WatchTimeoutError",
    "authorize_url",
    "exchange_code",
]
