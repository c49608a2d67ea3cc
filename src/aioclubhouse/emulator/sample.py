"""The sample world a seed grows: people, who follows whom, clubs, topics, events, rooms.

Everything is drawn from the world's seeded random generator in a fixed order, so
the same seed (and the same clock) gives the same world.  Popularity is skewed the
way social networks are: a few people have many followers, most have a handful.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aioclubhouse.emulator.models import Club, ClubRule, Topic, User

if TYPE_CHECKING:
    from aioclubhouse.emulator.world import World

DAY = 86400.0


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Aaliyah Aarav Abigail Adebayo Aiko Alejandro Alex Amara Amelia Ana Andre Anika Arjun Ava "
    "Ayesha Bea Benjamin Bilal Camila Carlos Chen Chiara Chloe Dalia Daniel David Deepa Diego "
    "Dmitri Elena Eli Elif Emeka Emily Emma Ethan Fatima Felix Freya Gabriel Grace Hana Hannah "
    "Haruto Hassan Ibrahim Imani Ines Isaac Isabella Ivan Jade James Javier Jin Jonas Jordan "
    "Jun Kai Kalani Kenji Kofi Lara Leila Leo Liam Lin Lucas Luca Maya Mateo Mei Mia Mohammed "
    "Nadia Naomi Nia Noah Nora Olivia Omar Oscar Priya Rafael Ravi Rosa Ruby Sade Samir Sara "
    "Sebastian Sofia Sven Tariq Tatiana Theo Tomas Valentina Wei Yara Yusuf Zara Zoe"
)
LAST_NAMES = _words(
    "Abara Adeyemi Ahmed Alvarez Andersen Bauer Becker Bianchi Brooks Campbell Castillo Chen "
    "Cohen Costa Cruz Dubois Edwards Eriksson Evans Fernandes Fischer Garcia Gupta Haddad Hall "
    "Hansen Hernandez Hoang Ibrahim Ito Jansen Johnson Kamau Kaplan Kim Kowalski Kumar Lam "
    "Larsen Laurent Lee Lopez Mahmoud Martin Mendes Mensah Moreau Morris Murphy Nakamura Nguyen "
    "Novak Okafor Okoye Olsen Ortiz Park Patel Perez Petrov Quinn Ramirez Reyes Rivera Rossi "
    "Russo Saito Santos Schmidt Shah Silva Singh Sokolov Suzuki Tanaka Taylor Thomas Torres "
    "Turner Vargas Wagner Walker Wang Watanabe Weber Williams Wilson Wong Yamamoto Yilmaz Young "
    "Zhang"
)
ROLES = (
    "Founder",
    "Product designer",
    "Software engineer",
    "Investor",
    "Podcaster",
    "Writer",
    "Musician",
    "Chef",
    "Photographer",
    "Teacher",
    "Doctor",
    "Architect",
    "Marketer",
    "Researcher",
    "Comedian",
    "Coach",
    "Filmmaker",
    "Community builder",
)
PLACES = (
    "in Lagos",
    "in Berlin",
    "in São Paulo",
    "in Tokyo",
    "in Toronto",
    "in Mumbai",
    "in Nairobi",
    "in Seoul",
    "in Austin",
    "in Lisbon",
    "in Mexico City",
    "in London",
    "remote",
)
INTERESTS = (
    "Talking about startups and coffee ☕️",
    "Here for the late-night music rooms 🎷",
    "Learning out loud. Ask me about design systems.",
    "Books, bikes and bad puns 📚",
    "Building in public 🛠",
    "Moderating kind conversations 💛",
    "Collecting vinyl and stories.",
    "Always up for a debate on AI 🤖",
    "Plant parent 🌱 and amateur astronomer 🔭",
    "Sharing what I learn about money 💸",
    "Into film, food and long walks.",
    "Helping first-time founders raise.",
)
TOPIC_TREE = (
    ("🔥 Hustle", "Hustle", ("🚀 Startups", "💵 Venture Capital", "📈 Marketing", "🛍 Retail")),
    ("💻 Tech", "Tech", ("🤖 AI", "📱 Product", "🛠 Engineering", "🕸 Web3", "🔐 Security")),
    ("🎨 Arts", "Arts", ("🎷 Jazz", "📷 Photography", "✍️ Writing", "🎬 Film", "🎭 Theater")),
    ("🌍 World Affairs", "World Affairs", ("🗳 Politics", "🌱 Climate", "📰 News")),
    ("🏋️ Life", "Life", ("🧘 Wellness", "🍳 Food", "✈️ Travel", "👪 Parenting")),
    ("🎓 Knowledge", "Knowledge", ("🔭 Space", "📚 Books", "🧠 Psychology", "➗ Math")),
    ("🎉 Hanging Out", "Hanging Out", ("🌙 Late Night", "😂 Comedy", "🎮 Gaming")),
    ("🌐 Languages", "Languages", ("🇪🇸 Español", "🇯🇵 日本語", "🇫🇷 Français")),
)
CLUB_NAMES = (
    "Founders Café",
    "Late Night Jazz",
    "The Design Critique",
    "Bookworms Society",
    "Climate Builders",
    "AI After Hours",
    "Comedy Open Mic",
    "Space Nerds",
    "First-Time Investors",
    "Photo Walks",
    "Writers' Room",
    "Product People",
    "Mindful Mornings",
    "Kitchen Table",
    "Language Exchange",
    "Indie Game Devs",
    "Film Club",
    "Money Talks",
    "Night Owls",
    "Parents Who Build",
    "Open Source Circle",
    "Travel Stories",
    "Theater Kids",
    "Growth Marketers",
    "Security Sessions",
    "Math Is Fun",
    "News Breakfast",
    "Psychology Corner",
    "Vinyl Hour",
    "Remote Workers",
)
RULES = (
    ("Be kind", "Disagree with ideas, never with people."),
    ("Stay on topic", "Keep the room about what it says on the door."),
    ("No selling", "Don't pitch unless the moderators ask for it."),
    ("Raise your hand", "Wait to be brought up; moderators keep the stage fair."),
)
ROOM_TOPICS = (
    "How do you find your first 100 users? 🚀",
    "Late night jazz jam 🎷",
    "Design critique: bring your portfolio",
    "AI news of the week 🤖",
    "Book club: this month's pick 📚",
    "Raising a seed round in this market",
    "Learn Spanish together 🇪🇸",
    "Comedy open mic 😂",
    "Is remote work here to stay?",
    "Ask a doctor anything",
    "Morning meditation 🧘",
    "Photography walk recap 📷",
    "Climate tech pitches 🌱",
    "Space news: what's launching next 🔭",
    "Indie game dev show and tell 🎮",
    "What are you cooking tonight? 🍳",
)
EVENT_NAMES = (
    "Founder office hours",
    "Friday jazz session",
    "Portfolio review night",
    "AI paper reading group",
    "Monthly book club",
    "Pitch practice",
    "Language exchange meetup",
    "Comedy showcase",
    "Career AMA",
    "Sunday meditation",
    "Climate Q&A",
    "Stargazing chat",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def populate(world: World) -> None:
    """Grow the sample world for the world's seed (users, follows, clubs, events, rooms)."""
    config = world.config
    users = _people(world, config.sample_users)
    if not users:
        return
    _follows(world, users)
    clubs = _clubs(world, users, config.sample_clubs)
    _events(world, users, clubs, max(3, config.sample_rooms * 2))
    _rooms(world, users, clubs, config.sample_rooms)


def _topics(world: World) -> list[int]:
    """Build the topic tree; return the ids of the leaf topics."""
    leaves = []
    for title, short, children in TOPIC_TREE:
        parent = Topic(
            id=world.state.new_id("topic", start=1), title=title, abbreviated_title=short
        )
        world.social.add_topic(parent)
        for child in children:
            leaf = Topic(
                id=world.state.new_id("topic", start=1),
                title=child,
                abbreviated_title=child.split(" ", 1)[1],
                parent_id=parent.id,
            )
            world.social.add_topic(leaf)
            leaves.append(leaf.id)
    return leaves


def _people(world: World, count: int) -> list[User]:
    rng = world.rng
    now = world.now()
    leaves = _topics(world)
    names = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
    chosen = rng.sample(names, min(count, len(names)))
    users: list[User] = []
    for first, last in chosen:
        base = _slug(first + last)[:14] or "user"
        username = base
        while world.accounts.by_username(username) is not None:
            username = f"{base[:12]}{rng.randint(10, 9999)}"
        user = world.accounts.create_user(
            name=f"{first} {last}",
            username=username,
            simulated=True,
            time_created=now - rng.uniform(20, 400) * DAY,
        )
        user.photo_url = world.accounts.new_photo_url(user.user_id)
        user.bio = f"{rng.choice(ROLES)} {rng.choice(PLACES)}. {rng.choice(INTERESTS)}"
        user.skintone = rng.randint(1, 5)
        user.twitter = username if rng.random() < 0.4 else None
        user.instagram = f"{username}_" if rng.random() < 0.3 else None
        user.has_verified_email = rng.random() < 0.7
        user.num_invites = rng.randint(0, 5)
        user.topic_ids = rng.sample(leaves, rng.randint(1, 4))
        if users:
            user.invited_by = rng.choice(users).user_id
        users.append(user)
    return users


def _follows(world: World, users: list[User]) -> None:
    """Each person follows a few to a few dozen others, favouring the popular ones."""
    rng = world.rng
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(users))]
    for user in users:
        wanted = min(rng.randint(3, 40), len(users) - 1)
        for target in rng.choices(users, weights=weights, k=wanted):
            if target.user_id != user.user_id:
                world.social.follow(user, target.user_id, notify=False)


def _clubs(world: World, users: list[User], count: int) -> list[Club]:
    rng = world.rng
    now = world.now()
    leaves = [t.id for t in world.state.topics.values() if t.parent_id is not None]
    clubs = []
    for index in range(count):
        name = CLUB_NAMES[index % len(CLUB_NAMES)]
        if index >= len(CLUB_NAMES):
            name = f"{name} {index // len(CLUB_NAMES) + 1}"
        founder = rng.choice(users)
        if not world.clubs.can_create(founder)[0]:
            continue
        club = world.clubs.create(
            founder,
            name=name,
            description=f"A home for {name.lower()} conversations. Everyone is welcome to listen.",
            is_follow_allowed=rng.random() < 0.9,
            is_membership_private=rng.random() < 0.15,
            is_community=rng.random() < 0.3,
            topic_ids=rng.sample(leaves, rng.randint(1, 3)),
            time_created=now - rng.uniform(10, 300) * DAY,
        )
        club.photo_url = world.accounts.new_photo_url(club.club_id, prefix="club_")
        club.rules = [
            ClubRule(title=title, desc=desc)
            for title, desc in rng.sample(RULES, rng.randint(0, len(RULES) - 1))
        ]
        for member in rng.sample(users, min(len(users), rng.randint(3, 40))):
            world.clubs.enroll(club, member.user_id)
        extra_admin = rng.choice(sorted(club.members))
        if rng.random() < 0.5:
            club.admins.add(extra_admin)
        for follower in rng.sample(users, min(len(users), rng.randint(5, 80))):
            if club.is_follow_allowed:
                club.followers.add(follower.user_id)
        clubs.append(club)
    return clubs


def _events(world: World, users: list[User], clubs: list[Club], count: int) -> None:
    rng = world.rng
    now = world.now()
    for _ in range(count):
        club = rng.choice(clubs) if clubs and rng.random() < 0.5 else None
        host = world.state.users[rng.choice(sorted(club.admins))] if club else rng.choice(users)
        cohosts = [u.user_id for u in rng.sample(users, min(len(users), rng.randint(0, 2)))]
        start = now + rng.uniform(0.5, 14) * DAY
        event = world.events.create(
            host,
            name=rng.choice(EVENT_NAMES),
            time_start=start - start % 900,
            description="Join us live. Questions from the audience are welcome!",
            host_ids=cohosts,
            club_id=club.club_id if club else None,
            is_member_only=club is not None and rng.random() < 0.2,
        )
        event.attending = {
            u.user_id for u in rng.sample(users, min(len(users), rng.randint(0, 25)))
        }


def _rooms(world: World, users: list[User], clubs: list[Club], count: int) -> None:
    """Open `count` live rooms with moderators, speakers and an audience."""
    rng = world.rng
    free = list(users)
    rng.shuffle(free)
    for _ in range(count):
        if len(free) < 3:
            return
        moderator = free.pop()
        member_clubs = [c for c in clubs if moderator.user_id in c.members]
        club = rng.choice(member_clubs) if member_clubs and rng.random() < 0.4 else None
        room = world.rooms.create(
            moderator,
            topic=rng.choice(ROOM_TOPICS),
            is_social_mode=rng.random() < 0.15,
            club_id=club.club_id if club else None,
            keepalive=False,
        )
        stage = [(True, True)] * rng.randint(0, 2) + [(True, False)] * rng.randint(1, 5)
        audience = [(False, False)] * rng.randint(3, 30)
        for speaker, is_moderator in stage + audience:
            if not free:
                break
            world.rooms.place(
                room, free.pop().user_id, speaker=speaker, moderator=is_moderator, keepalive=False
            )
        listeners = [uid for uid, m in room.users.items() if not m.is_speaker]
        for uid in rng.sample(listeners, min(len(listeners), rng.randint(0, 2))):
            room.raised_hands[uid] = world.now()
