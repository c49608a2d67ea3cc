"""The sample world the Clarity emulator starts with.

The people, calls, need, organization and messages of the API's README examples
(member 6 the seeker, 7 Dan Martell, 66 and 940 from Moncton, 172, 771), plus enough
Moncton members that a search for "moncton" spans three pages of ten.
"""

from __future__ import annotations

import datetime as dt

from .records import CANCELED, COMPLETED, MemberRecord, OrganizationRecord
from .world import ClarityWorld

SEEKER_ID = 6
EXPERT_ID = 7
MONCTON = "Moncton, New Brunswick"
MONCTON_MEMBERS = 25
"""Members whose location is Moncton: 2 from the README and 23 generated ones."""

_FIRST = ("Alex", "Blair", "Casey", "Devon", "Emery", "Finley", "Gray", "Harper")
_LAST = ("Arsenault", "Bourque", "Cormier", "Doiron", "LeBlanc", "Richard")
_TOPICS = ("growth", "fundraising", "hiring", "design", "sales", "product")


def _at(days_ago: float) -> dt.datetime:
    moment = dt.datetime(2012, 8, 9, 12, 0, tzinfo=dt.UTC)
    return moment - dt.timedelta(days=days_ago)


def populate(world: ClarityWorld) -> None:
    """Fill an empty world with the sample data."""
    world.add_member(
        MemberRecord(
            id=SEEKER_ID,
            screen_name="alexreid",
            first_name="Alex",
            last_name="Reid",
            bio="Founder of a two-person startup, looking for advice.",
            location="Toronto, Ontario",
            hourly_rate=100.0,
            twitter="alexreid",
            email="alex@example.com",
            total_calls=3,
            created_at=_at(400),
        )
    )
    world.add_member(
        MemberRecord(
            id=EXPERT_ID,
            screen_name="danmartell",
            first_name="Dan",
            last_name="Martell",
            bio="Canadian Entrepreneur. Founder of Clarity.fm - Angel Investor.",
            expertise_body="I've been an entrepreneur for over 10+ years.",
            location="San Francisco, California",
            hourly_rate=0.0,
            twitter="danmartell",
            email="dan@example.com",
            gender="male",
            total_calls=450,
            amount_generated_for_charity=1137.15,
            charity_name="charity: water",
            charity_url="http://www.charitywater.org/",
            charity_logo=(
                "http://s3.amazonaws.com/clarityfm-staging/charities/logos/1/original/"
                "charity_water.jpeg?1327007697"
            ),
            facebook_profile_url="https://facebook.com/829175116",
            linkedin_profile_url="http://www.linkedin.com/x/profile/7qvyw2754dt5/8bn1Mfx4Ce",
            created_at=_at(294),
        )
    )
    world.add_member(
        MemberRecord(
            id=66,
            screen_name="justinvaillancourt",
            first_name="Justin",
            last_name="Vaillancourt",
            bio="Founding member at Clarity. Code aficionado.",
            location=MONCTON,
            hourly_rate=0.0,
        )
    )
    world.add_member(
        MemberRecord(
            id=940,
            screen_name="vincentroy",
            first_name="Vincent",
            last_name="Roy",
            bio="Like all things web development - rails, ruby, javascript.",
            location=MONCTON,
            hourly_rate=20.0,
            twitter="vincentroy",
        )
    )
    world.add_member(
        MemberRecord(id=172, screen_name="samgagnon", first_name="Sam", last_name="Gagnon")
    )
    world.add_member(
        MemberRecord(
            id=771,
            screen_name="jordanpike",
            first_name="Jordan",
            last_name="Pike",
            email="jordan@example.com",
        )
    )
    for n in range(MONCTON_MEMBERS - 2):
        first, last = _FIRST[n % len(_FIRST)], _LAST[n % len(_LAST)]
        topic = _TOPICS[n % len(_TOPICS)]
        world.add_member(
            MemberRecord(
                id=2000 + n,
                screen_name=f"{first}{last}{n}".lower(),
                first_name=first,
                last_name=last,
                bio=f"Helps startups with {topic}.",
                location=MONCTON,
                hourly_rate=float(25 * (n % 8)),
            )
        )

    world.add_call(
        seeker_id=SEEKER_ID,
        expert_id=EXPERT_ID,
        reason="Social media marketing",
        status=COMPLETED,
        duration=479,
        created_at=_at(6),
        updated_at=_at(4),
        expires_at=_at(3),
    )
    world.add_call(
        seeker_id=EXPERT_ID,
        expert_id=SEEKER_ID,
        reason="pitching advice",
        status=CANCELED,
        canceled_by=EXPERT_ID,
        created_at=_at(4),
        updated_at=_at(1),
        expires_at=_at(3),
    )
    world.add_call(
        seeker_id=SEEKER_ID,
        expert_id=EXPERT_ID,
        reason="Growth strategy",
        created_at=_at(1),
        updated_at=_at(1),
        expires_at=_at(-2),
    )

    world.add_organization(
        OrganizationRecord(
            id=17,
            name="Startup Festival",
            description="International Startup Festival",
            slug="startupweekend",
            member_ids=[SEEKER_ID, EXPERT_ID, 66, 172, 771, 940],
            featured=True,
        )
    )
    world.add_organization(
        OrganizationRecord(
            id=18,
            name="Moncton Makers",
            description="Builders of Moncton",
            slug="monctonmakers",
            member_ids=[66, 940, *range(2000, 2000 + MONCTON_MEMBERS - 2)],
            free_calls=True,
        )
    )
    world.add_need(
        requester_id=771,
        description="Would be awesome if you guys added Shiv Singh and Gary Vaynerchuck.",
        paid=True,
    )
    world.add_message(172, 940, "Hey, what's up?", read=True, created_at=_at(5))
    world.add_message(940, 172, "Not much", created_at=_at(4))
    world.add_message(SEEKER_ID, 940, "Loved your talk on rails.", read=True, created_at=_at(3))
    world.add_message(940, SEEKER_ID, "Thanks! Happy to do a call.", created_at=_at(2))
