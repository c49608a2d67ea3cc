"""Follows, blocks, clubs, events, notifications and chats in the world."""

from __future__ import annotations

import pytest

from aioclubhouse.emulator import shapes
from aioclubhouse.emulator.errors import NotAllowed, WorldError
from aioclubhouse.emulator.models import User

from .world_support import Setup, make_world


@pytest.fixture
def setup() -> Setup:
    return make_world()


def people(setup: Setup, *names: str) -> list[User]:
    return [setup.world.create_user(name=name) for name in names]


def test_follow_unfollow_and_the_profile_counts(setup: Setup) -> None:
    world = setup.world
    ann, ben, cat = people(setup, "Ann A", "Ben B", "Cat C")
    world.social.follow(ann, ben.user_id)
    world.social.follow(cat, ben.user_id)
    world.social.follow(ann, cat.user_id)
    profile = shapes.user_profile(world, ann.user_id, ben)
    assert profile["num_followers"] == 2
    assert profile["mutual_follows_count"] == 1
    assert profile["mutual_follows"][0]["user_id"] == cat.user_id
    assert profile["notification_type"] == 2
    assert profile["follows_me"] is False
    [notice] = world.social.notifications_of(ben.user_id)[-1:]
    assert notice.actor_id == ann.user_id
    world.social.unfollow(ann, ben.user_id)
    assert shapes.user_profile(world, ann.user_id, ben)["notification_type"] is None
    with pytest.raises(WorldError):
        world.social.follow(ann, ann.user_id)


def test_block_cuts_both_directions(setup: Setup) -> None:
    world = setup.world
    ann, ben = people(setup, "Ann A", "Ben B")
    world.social.follow(ann, ben.user_id)
    world.social.follow(ben, ann.user_id)
    world.social.block(ann, ben.user_id)
    assert not world.social.follows(ann.user_id, ben.user_id)
    assert not world.social.follows(ben.user_id, ann.user_id)
    with pytest.raises(WorldError):
        world.social.follow(ben, ann.user_id)
    world.social.unblock(ann, ben.user_id)
    world.social.follow(ben, ann.user_id)


def test_search_and_suggestions(setup: Setup) -> None:
    world = setup.world
    ann, ben, cat = people(setup, "Ann Archer", "Ben Archer", "Cat Cook")
    found = world.social.search_users(ann, "archer")
    assert {u.user_id for u in found} == {ann.user_id, ben.user_id}
    world.social.follow(ann, ben.user_id)
    only_following = world.social.search_users(ann, "archer", following_only=True)
    assert [u.user_id for u in only_following] == [ben.user_id]
    suggested = [u.user_id for u in world.social.suggested_follows(ann)]
    assert cat.user_id in suggested and ben.user_id not in suggested
    world.social.ignore_suggestion(ann, cat.user_id)
    assert cat.user_id not in [u.user_id for u in world.social.suggested_follows(ann)]


def test_club_admins_invite_members_nominate(setup: Setup) -> None:
    clubs = setup.world.clubs
    admin, member, guest, other = people(setup, "Ada Admin", "Mel Member", "Gus Guest", "Oz O")
    club = clubs.create(admin, name="Test Club")
    assert club.admins == {admin.user_id} and club.members == {admin.user_id}
    assert clubs.add_member(admin, club, member.user_id, reason=None) == "invited"
    assert member.user_id not in club.members
    [invite] = setup.world.social.actionable_of(member.user_id)
    assert invite.club_id == club.club_id
    clubs.accept_invite(member, club)
    assert member.user_id in club.members
    assert setup.world.social.actionable_of(member.user_id) == []
    assert clubs.add_member(member, club, guest.user_id, reason="funny") == "nominated"
    with pytest.raises(NotAllowed):
        clubs.nominations(member, club)
    [nomination] = clubs.nominations(admin, club)
    clubs.approve_nomination(admin, club, nomination.invite_nomination_id)
    assert guest.user_id in club.members
    with pytest.raises(NotAllowed):
        clubs.add_member(other, club, other.user_id, reason=None)


def test_club_admin_only_settings_and_admin_rules(setup: Setup) -> None:
    clubs = setup.world.clubs
    admin, member = people(setup, "Ada Admin", "Mel Member")
    club = clubs.create(admin, name="Rules Club")
    clubs.enroll(club, member.user_id)
    with pytest.raises(NotAllowed):
        clubs.update_description(member, club, "mine now")
    clubs.update_rules(admin, club, [{"title": "Be kind", "desc": "Always"}])
    assert shapes.club(setup.world, club, member.user_id)["rules"] == [
        {"desc": "Always", "title": "Be kind"}
    ]
    with pytest.raises(WorldError, match="at most 3"):
        clubs.update_rules(admin, club, [{"title": "t", "desc": "d"}] * 4)
    with pytest.raises(WorldError, match="at least one admin"):
        clubs.remove_admin(admin, club, admin.user_id)
    clubs.add_admin(admin, club, member.user_id)
    clubs.remove_admin(member, club, admin.user_id)
    assert club.admins == {member.user_id}
    clubs.update_flags(member, club, is_follow_allowed=False)
    with pytest.raises(WorldError, match="can't be followed"):
        clubs.follow(admin, club)


def test_community_clubs_are_open_to_join(setup: Setup) -> None:
    clubs = setup.world.clubs
    admin, walker = people(setup, "Ada Admin", "Wal Walker")
    closed = clubs.create(admin, name="Closed")
    open_club = clubs.create(admin, name="Open", is_community=True)
    with pytest.raises(WorldError, match="invitation"):
        clubs.join(walker, closed)
    clubs.join(walker, open_club)
    assert [c.club_id for c in clubs.clubs_of(walker.user_id)] == [open_club.club_id]
    clubs.leave(walker, open_club)
    assert clubs.clubs_of(walker.user_id) == []


def test_events_hosts_rsvp_and_listing(setup: Setup) -> None:
    world = setup.world
    host, cohost, fan = people(setup, "Hal Host", "Coh Host", "Fan F")
    event = world.events.create(
        host, name="Launch", time_start=setup.clock.now + 3600, host_ids=[cohost.user_id]
    )
    assert event.host_ids == [host.user_id, cohost.user_id]
    world.events.rsvp(fan, event, attending=True)
    assert shapes.event(world, event, fan.user_id)["is_attending"] is True
    with pytest.raises(NotAllowed):
        world.events.edit(fan, event, name="Mine")
    world.events.edit(cohost, event, name="Launch party")
    assert world.events.find(event_hashid=event.event_hashid).name == "Launch party"
    assert world.events.for_you(fan) == [event]
    assert world.events.to_start(host) == [event]
    room = world.rooms.create(host, event_id=event.event_id)
    assert room.topic == "Launch party" and event.channel == room.channel
    world.events.delete(host, event)
    with pytest.raises(WorldError):
        world.events.event(event.event_id)


def test_chats_dedupe_threads_and_messages(setup: Setup) -> None:
    chats = setup.world.chats
    ann, ben, cat = people(setup, "Ann A", "Ben B", "Cat C")
    chat = chats.open(ann, [ben.user_id])
    assert chats.open(ben, [ann.user_id]) is chat
    first = chats.send(ann, chat, "hi", client_message_id="m1")
    assert chats.send(ann, chat, "hi", client_message_id="m1") is first
    assert len(chat.messages) == 1
    with pytest.raises(NotAllowed):
        chats.chat(cat, chat.chat_id)
    assert chats.search(ann, [ben.user_id]) == [chat]
    with pytest.raises(WorldError, match="at least one other"):
        chats.open(ann, [ann.user_id])
