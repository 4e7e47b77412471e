"""A demo organisation made by a seeded generator, so a newcomer has someone to look at.

``demo_people(seed=2026, size=150)`` grows an organisation of exactly ``size`` people: a CEO,
an executive team of seven (one per department), directors, managers with teams, and individual
contributors, with names, titles, offices and start dates. The same seed gives the same people.

Levels: 1 is the CEO and the executive team, 2 directors and department heads, 3 managers and
senior leads, 4 individual contributors. Everyone with reports has 3 to 9 of them. Tracks: people
with reports are "manager"; senior specialists without reports, and a few individual
contributors who lead without reports (tech leads and the like), are "lead"; everyone else "ic".
"""

from __future__ import annotations

import datetime
import math
import random
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from tandem.people.records import PersonRecord

MIN_SIZE, MAX_SIZE = 30, 1000
MIN_SPAN, MAX_SPAN = 3, 9
EMAIL_DOMAIN = "demo.tandem.example"
FIRST_EMPLOYEE_NUMBER = 1001
FOUNDED = datetime.date(2012, 1, 2)
LAST_START = datetime.date(2025, 12, 29)  # fixed, so the output never depends on today
MEMBER_LEAD_SHARE = 0.05  # individual contributors on the "lead" track


@dataclass(frozen=True)
class Department:
    name: str
    weight: float  # its share of the organisation
    executive_title: str
    director_titles: tuple[str, ...]
    manager_titles: tuple[str, ...]
    lead_titles: tuple[str, ...]  # level 3 without reports
    member_titles: tuple[str, ...]
    member_lead_titles: tuple[str, ...]  # level 4 who lead without reports
    teams: tuple[str, ...] = ()


DEPARTMENTS = (
    Department(
        name="Engineering",
        weight=0.30,
        executive_title="Chief Technology Officer",
        director_titles=("Director of Engineering", "Head of Infrastructure", "Head of Data"),
        manager_titles=("Engineering Manager",),
        lead_titles=("Staff Engineer", "Principal Engineer", "Principal Architect"),
        member_titles=(
            "Software Engineer",
            "Senior Software Engineer",
            "Backend Engineer",
            "Frontend Engineer",
            "Mobile Engineer",
            "Data Engineer",
            "QA Engineer",
            "Site Reliability Engineer",
        ),
        member_lead_titles=("Tech Lead",),
        teams=("Payments", "Platform", "Mobile", "Data", "Growth", "Security", "Search", "Core"),
    ),
    Department(
        name="Product",
        weight=0.12,
        executive_title="Chief Product Officer",
        director_titles=("Director of Product", "Head of Design"),
        manager_titles=("Group Product Manager", "Design Manager", "Research Manager"),
        lead_titles=("Principal Product Manager", "Principal Designer"),
        member_titles=(
            "Product Manager",
            "Senior Product Manager",
            "Product Designer",
            "UX Researcher",
            "Content Designer",
        ),
        member_lead_titles=("Design Lead",),
    ),
    Department(
        name="Sales",
        weight=0.18,
        executive_title="Chief Revenue Officer",
        director_titles=("Sales Director", "Head of Enterprise Sales", "Head of Customer Success"),
        manager_titles=("Regional Sales Manager", "Customer Success Team Manager"),
        lead_titles=("Sales Enablement Lead", "Strategic Accounts Lead"),
        member_titles=(
            "Account Executive",
            "Senior Account Executive",
            "Sales Development Representative",
            "Customer Success Specialist",
            "Solutions Consultant",
        ),
        member_lead_titles=("Deal Desk Lead",),
        teams=("EMEA", "North America", "APAC", "Mid-Market", "Enterprise"),
    ),
    Department(
        name="Marketing",
        weight=0.10,
        executive_title="Chief Marketing Officer",
        director_titles=("Director of Marketing", "Head of Brand"),
        manager_titles=("Marketing Manager", "Growth Marketing Manager", "Content Team Manager"),
        lead_titles=("Brand Lead", "Community Lead"),
        member_titles=(
            "Marketing Specialist",
            "Product Marketer",
            "Content Writer",
            "SEO Specialist",
            "Events Coordinator",
            "Graphic Designer",
        ),
        member_lead_titles=("Campaign Lead",),
    ),
    Department(
        name="Operations",
        weight=0.12,
        executive_title="Chief Operating Officer",
        director_titles=("Director of Operations", "Head of Customer Support"),
        manager_titles=("Operations Manager", "Support Team Manager", "Facilities Manager"),
        lead_titles=("Programme Lead", "Process Improvement Lead"),
        member_titles=(
            "Operations Analyst",
            "Customer Support Specialist",
            "Logistics Coordinator",
            "Office Coordinator",
            "IT Support Specialist",
        ),
        member_lead_titles=("Shift Lead",),
    ),
    Department(
        name="Finance",
        weight=0.09,
        executive_title="Chief Financial Officer",
        director_titles=("Finance Director", "Head of Financial Planning"),
        manager_titles=("Finance Manager", "Accounting Manager", "Payroll Manager"),
        lead_titles=("Financial Planning Lead", "Tax Lead"),
        member_titles=(
            "Financial Analyst",
            "Accountant",
            "Accounts Payable Specialist",
            "Payroll Specialist",
            "Procurement Specialist",
        ),
        member_lead_titles=("Audit Lead",),
    ),
    Department(
        name="People",
        weight=0.09,
        executive_title="Chief People Officer",
        director_titles=("Head of Talent", "Director of People Operations"),
        manager_titles=(
            "People Partner Manager",
            "Talent Acquisition Manager",
            "People Operations Manager",
        ),
        lead_titles=("Learning and Development Lead", "Inclusion Lead"),
        member_titles=(
            "People Partner",
            "Recruiter",
            "People Operations Specialist",
            "Learning Specialist",
            "HR Coordinator",
        ),
        member_lead_titles=("Onboarding Lead",),
    ),
)
EXECUTIVE_DEPARTMENT = "Executive"
CEO_TITLE = "Chief Executive Officer"

# Offices and the share of people in each. Teams mostly sit with their manager.
OFFICES = ("London", "Berlin", "Lisbon", "Toronto", "Nairobi", "Singapore", "Remote")
OFFICE_SHARES = (0.28, 0.18, 0.14, 0.14, 0.09, 0.09, 0.08)
SAME_OFFICE_AS_MANAGER = 0.7


def _names(comma_separated: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in comma_separated.split(","))


# Given and family names from many places, as a diverse organisation has them.
FIRST_NAMES = _names(
    "Aaliyah, Abdul, Adaeze, Adebayo, Aiko, Aisha, Akira, Alejandro, Amara, Amir, Ana, "
    "Anders, Andrea, Anika, Arjun, Astrid, Ayesha, Beatriz, Bongani, Camille, Carlos, "
    "Catalina, Chen, Chidi, Chloé, Dalia, Daniel, Dmitri, Elena, Elif, Emeka, Emma, Erik, "
    "Esperanza, Fatima, Felipe, François, Freya, Gabriel, Grace, Hana, Hamza, Hannah, "
    "Hiroshi, Ingrid, Isabela, Ivan, Jamal, Jasmine, Javier, Ji-woo, Jonas, Jorge, Kai, "
    "Kamala, Karin, Kavya, Kenji, Kwame, Laila, Lars, Leila, Léa, Liam, Lucía, Luis, "
    "Łukasz, Maja, Malik, Mariam, Mateo, Mei, Mia, Miguel, Min-jun, Mohammed, Nadia, "
    "Naledi, Nia, Niamh, Nikhil, Noah, Noor, Olga, Oluwaseun, Omar, Oscar, Paulo, Priya, "
    "Rafael, Rania, Ravi, Renée, Rosa, Ruth, Sakura, Samuel, Sanjay, Sara, Sebastián, "
    "Siobhan, Sipho, Søren, Sofia, Tariq, Thandiwe, Tomás, Uma, Valentina, Wei, Xavier, "
    "Yara, Yusuf, Zainab, Zanele, Zoë"
)
LAST_NAMES = _names(
    "Abebe, Adeyemi, Ahmed, Alvarez, Andersen, Bakker, Banerjee, Becker, Bianchi, Boateng, "
    "Chen, Costa, Dahl, van Dijk, Dubois, Eriksen, Fernández, Fischer, Fontaine, García, "
    "Gonzalez, Gupta, Haddad, Hansen, Hernández, Hoffmann, Horvath, Hussain, Ibrahim, Ito, "
    "Kovalenko, Jansen, Jensen, Johansson, Kariuki, Kato, Khan, Kim, Kowalski, Kumar, "
    "Lambert, Larsen, Lee, Lindqvist, Lopez, Mahlangu, Martin, Mendes, Mensah, Moreau, "
    "Murphy, Müller, Nakamura, Navarro, Ndlovu, Nguyen, Novak, Nowak, O'Brien, O'Connor, "
    "Okafor, Okonkwo, Olsen, Osei, Park, Patel, Pereira, Bondarenko, Popescu, Quispe, Rahman, "
    "Reddy, Richter, Rivera, Rossi, Ruiz, Santos, Sato, Schmidt, Schneider, Silva, "
    "da Silva, Singh, Shevchenko, Suzuki, Tanaka, Tran, Vargas, Wagner, Wang, Weber, "
    "Wójcik, Yamamoto, Yilmaz, Zhang, Zimmermann"
)

# Letters that Unicode does not split into a base letter and an accent.
_ASCII_LETTERS = {"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ı": "i"}


def demo_people(*, seed: int = 2026, size: int = 150) -> tuple[PersonRecord, ...]:
    """Exactly ``size`` people in one reporting tree, managers listed before their reports.

    >>> people = demo_people(seed=1, size=40)
    >>> len(people), people[0].title, people[0].manager_id
    (40, 'Chief Executive Officer', '')
    >>> demo_people(seed=1, size=40) == people
    True
    """
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(
            f"size must be between {MIN_SIZE} and {MAX_SIZE} people for the demo organisation, "
            f"not {size}."
        )
    rng = random.Random(seed)  # noqa: S311 - a demo, not a secret: repeatable is the point
    ceo = _Node(kind="ceo", level=1, department=EXECUTIVE_DEPARTMENT, title=CEO_TITLE)
    for department, people in zip(DEPARTMENTS, _department_sizes(size, rng), strict=True):
        ceo.children.append(_grow_department(department, people, rng))
    _place_in_offices(ceo, rng)
    return tuple(_records(ceo, rng))


@dataclass
class _Node:
    """One person in the organisation being grown, before they get a name."""

    kind: str  # "ceo", "executive", "director", "manager", "lead" or "member"
    level: int
    department: str
    title: str = ""
    track: str = "manager"
    location: str = ""
    children: list[_Node] = field(default_factory=list)


# Units are what a director or an executive manages: a team (a manager and 3 to 8 members,
# so 4 to 9 people) or a single senior lead (1 person).
Unit = int


@dataclass(frozen=True)
class _DepartmentShape:
    under_directors: list[list[Unit]]  # one list of units per director
    under_executive: list[Unit]  # units reporting to the executive directly


def _department_sizes(size: int, rng: random.Random) -> list[int]:
    """Split everyone except the CEO and the executives across the departments, 3 or more each."""
    remaining = size - 1 - len(DEPARTMENTS)
    shares = [d.weight * rng.uniform(0.85, 1.15) for d in DEPARTMENTS]
    total = sum(shares)
    ideal = [remaining * share / total for share in shares]
    counts = [max(MIN_SPAN, int(x)) for x in ideal]
    while sum(counts) < remaining:
        counts[max(range(len(counts)), key=lambda i: ideal[i] - counts[i])] += 1
    while sum(counts) > remaining:
        counts[max(range(len(counts)), key=lambda i: counts[i])] -= 1
    return counts


def _grow_department(department: Department, people: int, rng: random.Random) -> _Node:
    shape = _department_shape(people, rng)
    teams = list(department.teams)
    rng.shuffle(teams)

    def unit_node(unit: Unit) -> _Node:
        if unit == 1:
            title = rng.choice(department.lead_titles)
            return _Node(
                kind="lead", level=3, department=department.name, title=title, track="lead"
            )
        team = teams.pop() if teams else ""
        title = rng.choice(department.manager_titles) + (f", {team}" if team else "")
        manager = _Node(kind="manager", level=3, department=department.name, title=title)
        manager.children = [_member(department, rng) for _ in range(unit - 1)]
        return manager

    executive = _Node(
        kind="executive", level=1, department=department.name, title=department.executive_title
    )
    for units in shape.under_directors:
        title = rng.choice(department.director_titles)
        director = _Node(kind="director", level=2, department=department.name, title=title)
        director.children = [unit_node(unit) for unit in units]
        executive.children.append(director)
    executive.children += [unit_node(unit) for unit in shape.under_executive]
    return executive


def _member(department: Department, rng: random.Random) -> _Node:
    """An individual contributor; a few lead without reports (a tech lead, a design lead)."""
    leads = rng.random() < MEMBER_LEAD_SHARE
    title = rng.choice(department.member_lead_titles if leads else department.member_titles)
    track = "lead" if leads else "ic"
    return _Node(kind="member", level=4, department=department.name, title=title, track=track)


def _department_shape(people: int, rng: random.Random) -> _DepartmentShape:
    """How ``people`` (everyone under the executive) split into directors, teams and leads.

    Of all the shapes that keep every span within 3 to 9, the one closest to what a department
    of this size tends to look like: about one director per 18 people, teams of 6 or 7, no
    senior lead or one, and an executive with about five reports.
    """
    preferred = _Preferred(
        people=people,
        leads=rng.choice((0, 1, 1)),
        directors=people / 18,
        team_size=rng.uniform(5.5, 7.5),
    )
    leads, directors, teams = min(_possible_shapes(people), key=preferred.distance)
    units = [1] * leads + _team_sizes(people - directors - leads, teams, rng)
    shape = _arrange(units, directors, rng)
    assert shape is not None, "_possible_shapes only yields shapes that fit"
    return shape


@dataclass(frozen=True)
class _Preferred:
    people: int
    leads: int
    directors: float
    team_size: float  # a manager and their members

    def distance(self, shape: tuple[int, int, int]) -> float:
        leads, directors, teams = shape
        in_teams = self.people - directors - leads
        team_size = in_teams / teams if teams else 0.0
        executive_span = leads + teams if not directors else max(MIN_SPAN, directors)
        return (
            0.7 * abs(team_size - self.team_size)
            + 1.5 * abs(leads - self.leads)
            + 2 * abs(directors - self.directors)
            + 0.25 * abs(executive_span - 5)
        )


def _possible_shapes(people: int) -> Iterator[tuple[int, int, int]]:
    """(leads, directors, teams) that keep every span within 3 to 9."""
    for directors in range(min(MAX_SPAN, people) + 1):
        for leads in range(min(MAX_SPAN, people - directors) + 1):
            in_teams = people - directors - leads
            fewest_teams = math.ceil(in_teams / MAX_SPAN)
            for teams in range(fewest_teams, in_teams // (MIN_SPAN + 1) + 1):
                if in_teams and not teams:
                    continue
                if _fits(leads + teams, directors):
                    yield leads, directors, teams


def _fits(units: int, directors: int) -> bool:
    if directors == 0:
        return MIN_SPAN <= units <= MAX_SPAN
    grouped = units - max(0, MIN_SPAN - directors)
    return MIN_SPAN * directors <= grouped <= MAX_SPAN * directors


def _arrange(units: list[Unit], directors: int, rng: random.Random) -> _DepartmentShape | None:
    """Units under the directors (3 to 9 each), the executive keeping 3 to 9 reports."""
    if directors == 0:
        return _DepartmentShape([], units) if MIN_SPAN <= len(units) <= MAX_SPAN else None
    direct = max(0, MIN_SPAN - directors)  # leads first: a principal reporting to the chief
    grouped = len(units) - direct
    if not MIN_SPAN * directors <= grouped <= MAX_SPAN * directors:
        return None
    under_executive, to_group = units[:direct], units[direct:]
    rng.shuffle(to_group)
    return _DepartmentShape([to_group[i::directors] for i in range(directors)], under_executive)


def _team_sizes(people: int, count: int, rng: random.Random) -> list[int]:
    """Split ``people`` into ``count`` teams of 4 to 9 (a manager and 3 to 8 members)."""
    if count == 0:
        return []
    sizes = [people // count + (1 if i < people % count else 0) for i in range(count)]
    for _ in range(count):  # some teams are bigger than others
        give, take = rng.randrange(count), rng.randrange(count)
        if sizes[give] > MIN_SPAN + 1 and sizes[take] < MAX_SPAN:
            sizes[give] -= 1
            sizes[take] += 1
    return sizes


def _place_in_offices(ceo: _Node, rng: random.Random) -> None:
    ceo.location = OFFICES[0]
    for manager in _breadth_first(ceo):
        for report in manager.children:
            same = manager.kind != "ceo" and rng.random() < SAME_OFFICE_AS_MANAGER
            report.location = manager.location if same else _random_office(rng)


def _random_office(rng: random.Random) -> str:
    return rng.choices(OFFICES, weights=OFFICE_SHARES)[0]


def _breadth_first(root: _Node) -> Iterator[_Node]:
    queue = deque([root])
    while queue:
        node = queue.popleft()
        yield node
        queue.extend(node.children)


def _records(ceo: _Node, rng: random.Random) -> Iterator[PersonRecord]:
    ids: dict[int, str] = {}
    used_names: set[str] = set()
    used_emails: set[str] = set()
    for number, node in enumerate(_breadth_first(ceo), start=FIRST_EMPLOYEE_NUMBER):
        ids[id(node)] = f"E{number}"
    managers = {
        id(report): ids[id(node)] for node in _breadth_first(ceo) for report in node.children
    }
    for node in _breadth_first(ceo):
        first, last = _new_name(rng, used_names)
        yield PersonRecord(
            employee_id=ids[id(node)],
            name=f"{first} {last}",
            email=unique_email(first, last, used_emails),
            manager_id=managers.get(id(node), ""),
            title=node.title,
            department=node.department,
            location=node.location,
            start_date=_start_date(node.level, rng, is_ceo=node.kind == "ceo"),
            track=node.track,
            level=node.level,
        )


def _new_name(rng: random.Random, used: set[str]) -> tuple[str, str]:
    """A first and last name nobody else in the organisation has (until the lists run out)."""
    for _ in range(50):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if f"{first} {last}" not in used:
            break
    used.add(f"{first} {last}")
    return first, last


def unique_email(first: str, last: str, used: set[str]) -> str:
    """firstname.lastname@ in plain letters; a number is added when two people would clash."""
    base = f"{_email_part(first)}.{_email_part(last)}"
    email, number = f"{base}@{EMAIL_DOMAIN}", 2
    while email in used:
        email, number = f"{base}{number}@{EMAIL_DOMAIN}", number + 1
    used.add(email)
    return email


def _email_part(name: str) -> str:
    """'Łukasz' -> 'lukasz', "O'Brien" -> 'obrien', 'da Silva' -> 'dasilva'."""
    letters = "".join(_ASCII_LETTERS.get(ch, ch) for ch in name.casefold())
    plain = unicodedata.normalize("NFKD", letters).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain if ch.isalnum() or ch == "-")


# The earliest start year by level: the leadership tends to have been there longest.
_EARLIEST_START_YEAR = {1: 2012, 2: 2013, 3: 2014, 4: 2016}


def _start_date(level: int, rng: random.Random, *, is_ceo: bool) -> datetime.date:
    """A Monday between the level's earliest year and the end of 2025; the CEO founded it."""
    if is_ceo:
        return FOUNDED
    earliest = datetime.date(_EARLIEST_START_YEAR[level], 1, 1)
    day = earliest + datetime.timedelta(days=rng.randrange((LAST_START - earliest).days))
    return day - datetime.timedelta(days=day.weekday())
