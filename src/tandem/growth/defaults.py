"""Tandem's own development actions and habit sets, written by us.

Installed by a data migration and by ``growth_defaults_install`` (idempotent: rows are matched
on their ``key`` and updated in place). Scale ids are those of the shipped Tandem Leadership &
Management instrument; an action meant for every scale lists them all.

Their texts are stored in English and shown in the reader's language: they are marked with
``gettext_noop`` so that they reach the catalogues, and worded when shown
(:func:`tandem.growth.models.tandem_text`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

PLANNING = "planning_budgeting"
ORGANISING = "organising_staffing"
CONTROLLING = "controlling_problem_solving"
DIRECTION = "setting_direction"
ALIGNING = "aligning_people"
MOTIVATING = "motivating_inspiring"
ALL_SCALES = [PLANNING, ORGANISING, CONTROLLING, DIRECTION, ALIGNING, MOTIVATING]

LIBRARY: list[dict[str, Any]] = [
    {
        "key": "shadow-senior-leader",
        "title": gettext_noop("Shadow a senior leader"),
        "description": gettext_noop(
            "Spend two or three days alongside a senior leader: sit in on their "
            "meetings, ask how they decide where to go and how they bring people along, and "
            "write down what you would do differently."
        ),
        "scale_ids": [DIRECTION, ALIGNING, MOTIVATING],
        "success_hint": gettext_noop(
            "Three things you saw them do that you have tried yourself since."
        ),
    },
    {
        "key": "attend-workshop",
        "title": gettext_noop("Attend a workshop"),
        "description": gettext_noop(
            "Pick a workshop or course on the skill you chose, go, and within a "
            "week put one thing from it to use on real work."
        ),
        "scale_ids": ALL_SCALES,
        "success_hint": gettext_noop(
            "One technique from the workshop used on real work, and what happened."
        ),
    },
    {
        "key": "lead-small-project",
        "title": gettext_noop("Lead a small leadership-driven project"),
        "description": gettext_noop(
            "Take on a small project with no formal authority: say where it should "
            "go, win people over to it, and see it through."
        ),
        "scale_ids": [DIRECTION, ALIGNING, MOTIVATING, ORGANISING],
        "success_hint": gettext_noop(
            "The project delivered, and the people in it would follow you again."
        ),
    },
    {
        "key": "find-mentor",
        "title": gettext_noop("Find a mentor"),
        "description": gettext_noop(
            "Ask someone who is good at what you want to grow to meet you every "
            "few weeks. Bring a real situation to each meeting."
        ),
        "scale_ids": ALL_SCALES,
        "success_hint": gettext_noop(
            "Regular meetings held, each with a real situation and a next step."
        ),
    },
    {
        "key": "become-mentor",
        "title": gettext_noop("Become a mentor"),
        "description": gettext_noop(
            "Mentor someone earlier in their career. Helping them grow is practice "
            "in motivating, and explaining your craft sharpens it."
        ),
        "scale_ids": [MOTIVATING, ALIGNING, ORGANISING],
        "success_hint": gettext_noop(
            "Your mentee can name something they do better because of it."
        ),
    },
    {
        "key": "ask-for-feedback",
        "title": gettext_noop("Ask for feedback"),
        "description": gettext_noop(
            "Ask a few colleagues for quick feedback on the scale you are working "
            "on, before and after you try something new."
        ),
        "scale_ids": ALL_SCALES,
        "success_hint": gettext_noop("Feedback asked twice, and one change made because of it."),
    },
    {
        "key": "teach-something",
        "title": gettext_noop("Teach something"),
        "description": gettext_noop(
            "Run a session for your team or another one on something you know "
            "well. Preparing it makes you say clearly what you know and why it matters."
        ),
        "scale_ids": [MOTIVATING, ALIGNING, DIRECTION],
        "success_hint": gettext_noop("A session given, and one idea from it picked up by others."),
    },
    {
        "key": "write-plan-and-budget",
        "title": gettext_noop("Write the plan and budget for a piece of work"),
        "description": gettext_noop(
            "For the next piece of work you own, write the plan with steps, owners, "
            "dates and a budget before it starts, and review it with someone who does this well."
        ),
        "scale_ids": [PLANNING, CONTROLLING],
        "success_hint": gettext_noop("The plan is written before work starts and kept current."),
    },
    {
        "key": "run-a-retrospective",
        "title": gettext_noop("Run a retrospective and follow it up"),
        "description": gettext_noop(
            "After a piece of work, run a short retrospective, agree two fixes, "
            "and check a month later whether they held."
        ),
        "scale_ids": [CONTROLLING, ORGANISING],
        "success_hint": gettext_noop(
            "Two fixes agreed, and a month later you know whether they held."
        ),
    },
    {
        "key": "delegate-something-real",
        "title": gettext_noop("Delegate something real"),
        "description": gettext_noop(
            "Hand a piece of work you would normally keep to someone who would grow "
            "from it, with the outcome and the limits clear, and let them own it."
        ),
        "scale_ids": [ORGANISING, MOTIVATING],
        "success_hint": gettext_noop("They delivered it their way, and you did not take it back."),
    },
    {
        "key": "tell-the-why",
        "title": gettext_noop("Tell the team where we are going and why"),
        "description": gettext_noop(
            "Write half a page on where your team is going and why it matters, "
            "share it, and ask each person what it means for their work."
        ),
        "scale_ids": [DIRECTION, ALIGNING],
        "success_hint": gettext_noop(
            "Everyone in the team can say where we are going in their own words."
        ),
    },
]

SEVEN_MESSAGES: dict[str, Any] = {
    "key": "seven-messages",
    "name": gettext_noop("Seven messages a week"),
    "description": gettext_noop(
        "Seven short messages, one for each day. Small, kind and regular: this is "
        "how relationships and trust are built."
    ),
    "habits": [
        (
            "thank-you",
            gettext_noop("Send a thank-you"),
            gettext_noop("Thank someone for something specific."),
        ),
        (
            "admire",
            gettext_noop("Write to someone you admire"),
            gettext_noop("Tell them what you admire, and why."),
        ),
        (
            "lift-up",
            gettext_noop("Lift someone up"),
            gettext_noop("Praise someone's work where others can see it."),
        ),
        (
            "someone-new",
            gettext_noop("Write to someone you just met"),
            gettext_noop("Follow up while it is fresh."),
        ),
        (
            "former-co-worker",
            gettext_noop("Write to a former co-worker"),
            gettext_noop("Keep in touch with someone you used to work with."),
        ),
        (
            "thursday-update",
            gettext_noop("Send your manager a Thursday update"),
            gettext_noop("What went well, what is stuck, what is next."),
        ),
        (
            "friday-note",
            gettext_noop("Write yourself a Friday note"),
            gettext_noop("What you learnt this week, and one thing to do differently."),
        ),
    ],
}

HABIT_SETS: list[dict[str, Any]] = [SEVEN_MESSAGES]
