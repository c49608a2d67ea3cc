"""aioclubhouse: the asyncio SDK for the Clubhouse audio-room API.

Start with :class:`ClubhouseSession`; every endpoint is a coroutine method named like
the endpoint. Rooms (realtime events and live state) live in :mod:`aioclubhouse.rooms`,
the offline service emulator in :mod:`aioclubhouse.emulator`.
"""

from .api import ClubhouseAPI, SessionOptions
from .auth import Credentials, default_credentials_path
from .dialect import DEFAULT_BASE_URL
from .endpoint_table import Endpoint
from .endpoints.registry import ENDPOINTS, ClubhouseEndpoint, Evidence
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    BannedError,
    ClubhouseConnectionError,
    ClubhouseError,
    ClubhouseTimeoutError,
    CredentialsNotFoundError,
    DecodeError,
    ForbiddenError,
    InvalidArgumentError,
    NotFoundError,
    RateLimitedError,
    RealtimeError,
    ResponseTooLargeError,
    RoomClosedError,
    RoomNotAvailableError,
    ServerError,
    SessionClosedError,
    TokenExpiredError,
    UnexpectedRedirectError,
    WaitlistedError,
)
from .identity import AppIdentity
from .models.account import ReportReason
from .pagination import Page, Pager
from .policies import RetryNotice, RetryPolicy, Timeout, TransportStats
from .ratelimit import RateLimit
from .session import ClubhouseSession

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BASE_URL",
    "ENDPOINTS",
    "APIError",
    "AppIdentity",
    "AuthenticationError",
    "BadRequestError",
    "BannedError",
    "ClubhouseAPI",
    "ClubhouseConnectionError",
    "ClubhouseEndpoint",
    "ClubhouseError",
    "ClubhouseSession",
    "ClubhouseTimeoutError",
    "Credentials",
    "CredentialsNotFoundError",
    "DecodeError",
    "Endpoint",
    "Evidence",
    "ForbiddenError",
    "InvalidArgumentError",
    "NotFoundError",
    "Page",
    "Pager",
    "RateLimit",
    "RateLimitedError",
    "RealtimeError",
    "ReportReason",
    "ResponseTooLargeError",
    "RetryNotice",
    "RetryPolicy",
    "RoomClosedError",
    "RoomNotAvailableError",
    "ServerError",
    "SessionClosedError",
    "SessionOptions",
    "Timeout",
    "TokenExpiredError",
    "TransportStats",
    "UnexpectedRedirectError",
    "WaitlistedError",
    "__version__",
    "default_credentials_path",
]
