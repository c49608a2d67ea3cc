"""Response models, one module per area, all decoded by the one converter."""

# --- account, users, invites, topics, notifications ---------------------------------
from .account import (
    LoginResult,
    MeResult,
    NotificationSettings,
    PhoneAuthResult,
    PhotoResult,
    ReleaseNotes,
    ReportReason,
    TokenPair,
    UpdateCheck,
    WaitlistStatus,
)
from .base import Model, SuccessResponse
from .invites import Contact, SuggestedInvite, SuggestedInvites
from .notifications import ActionableNotification, Notification
from .topics import Topic, TopicResult, TopicsResult
from .users import OnlineFriends, ProfileResult, UserList, UserProfile, UserShort

__all__ = [
    "ActionableNotification",
    "Contact",
    "LoginResult",
    "MeResult",
    "Model",
    "Notification",
    "NotificationSettings",
    "OnlineFriends",
    "PhoneAuthResult",
    "PhotoResult",
    "ProfileResult",
    "ReleaseNotes",
    "ReportReason",
    "SuccessResponse",
    "SuggestedInvite",
    "SuggestedInvites",
    "TokenPair",
    "Topic",
    "TopicResult",
    "TopicsResult",
    "UpdateCheck",
    "UserList",
    "UserProfile",
    "UserShort",
    "WaitlistStatus",
]
# --- end of account, users, invites, topics, notifications ---------------------------

# --- rooms, scheduled events, clubs, chat ---------------------------------------------
from .chat import Chat, ChatMessage, ChatMessages, ChatResult, ChatsResult
from .clubs import (
    CanCreateClubResult,
    Club,
    ClubIdResult,
    ClubMember,
    ClubNomination,
    ClubNominations,
    ClubResult,
    ClubRule,
    ClubsResult,
)
from .rooms import (
    DEFAULT_PUBNUB_ORIGIN,
    AcceptedNewChannelInvite,
    AcceptSpeakerInviteResult,
    ActivePingResult,
    BaseChannel,
    Channel,
    ChannelInFeed,
    ChannelLink,
    ChannelMessage,
    ChannelMessages,
    ChannelsFeed,
    CreateChannelTargets,
    ExistingChannelInviteResult,
    Feed,
    FeedItem,
    HandraisePermission,
    JoinChannelResult,
    NewChannelInvite,
    RoomUser,
    SuggestedSpeakers,
    WelcomeChannel,
)
from .scheduled_events import CreateEventResult, Event, EventResult, EventsResult

__all__ += [
    "DEFAULT_PUBNUB_ORIGIN",
    "AcceptSpeakerInviteResult",
    "AcceptedNewChannelInvite",
    "ActivePingResult",
    "BaseChannel",
    "CanCreateClubResult",
    "Channel",
    "ChannelInFeed",
    "ChannelLink",
    "ChannelMessage",
    "ChannelMessages",
    "ChannelsFeed",
    "Chat",
    "ChatMessage",
    "ChatMessages",
    "ChatResult",
    "ChatsResult",
    "Club",
    "ClubIdResult",
    "ClubMember",
    "ClubNomination",
    "ClubNominations",
    "ClubResult",
    "ClubRule",
    "ClubsResult",
    "CreateChannelTargets",
    "CreateEventResult",
    "Event",
    "EventResult",
    "EventsResult",
    "ExistingChannelInviteResult",
    "Feed",
    "FeedItem",
    "HandraisePermission",
    "JoinChannelResult",
    "NewChannelInvite",
    "RoomUser",
    "SuggestedSpeakers",
    "WelcomeChannel",
]
# --- end of rooms, scheduled events, clubs, chat --------------------------------------
