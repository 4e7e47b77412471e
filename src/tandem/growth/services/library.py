"""Writes to the library of development actions: atomic and audited.

The people team adds their organisation's own actions, corrects them and retires them;
Tandem's own are never changed, but an organisation may hide one from its library. Nothing is
deleted: a plan action made from a library action copied its title and success when it was
added, and keeps its link to the library row whatever happens to that row afterwards.
Who may change what is decided in ``tandem.access.growth``; changes check it again on the
locked row, so two people editing at once cannot step past a retirement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tandem import access
from tandem.audit.services import acting_user, audit_changes, audit_record
from tandem.growth.models import HiddenLibraryAction, LibraryAction
from tandem.growth.services._common import GrowthError
from tandem.people.models import Organisation

LIBRARY_FIELDS = ("title", "description", "scale_ids", "success_hint")


def _checked(
    *, title: str, description: str, scale_ids: Sequence[str], success_hint: str
) -> dict[str, Any]:
    if not title.strip():
        raise GrowthError(gettext("Give the action a title."))
    if not description.strip():
        raise GrowthError(gettext("Describe the action in a sentence or two."))
    if not scale_ids:
        raise GrowthError(gettext("Say which scales the action grows."))
    return {
        "title": title.strip(),
        "description": description.strip(),
        "scale_ids": list(dict.fromkeys(scale_ids)),
        "success_hint": success_hint.strip(),
    }


@transaction.atomic
def library_action_create(
    *,
    organisation: Organisation,
    title: str,
    description: str,
    scale_ids: Sequence[str],
    success_hint: str = "",
    actor: Any,
) -> LibraryAction:
    """The people team adds an action of their own to the organisation's library."""
    fields = _checked(
        title=title, description=description, scale_ids=scale_ids, success_hint=success_hint
    )
    action = LibraryAction.objects.create(
        organisation=organisation, created_by=acting_user(actor), **fields
    )
    audit_record(
        organisation=organisation,
        actor=actor,
        action="growth.library_action_create",
        target=action,
        changes={"title": action.title, "scale_ids": ", ".join(action.scale_ids)},
    )
    return action


def _locked(action: LibraryAction) -> LibraryAction:
    return (
        LibraryAction.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=action.pk)
    )


@transaction.atomic
def library_action_update(
    *,
    action: LibraryAction,
    title: str,
    description: str,
    scale_ids: Sequence[str],
    success_hint: str = "",
    actor: Any,
) -> LibraryAction:
    """Correct one of the organisation's own actions (``access.growth.library_action_change``
    holds the rules). Plan actions already made from it keep the words they were given."""
    action = _locked(action)
    refused = access.growth.library_action_change(actor, action).edit_refused
    if refused:
        raise GrowthError(refused)
    after = _checked(
        title=title, description=description, scale_ids=scale_ids, success_hint=success_hint
    )
    before = {name: getattr(action, name) for name in LIBRARY_FIELDS}
    changes = audit_changes(
        {**before, "scale_ids": ", ".join(before["scale_ids"])},
        {**after, "scale_ids": ", ".join(after["scale_ids"])},
        LIBRARY_FIELDS,
    )
    if not changes:
        return action
    for name, value in after.items():
        setattr(action, name, value)
    action.save(update_fields=list(LIBRARY_FIELDS))
    audit_record(
        organisation=action.organisation,
        actor=actor,
        action="growth.library_action_update",
        target=action,
        changes=changes,
    )
    return action


@transaction.atomic
def library_action_retire(*, action: LibraryAction, actor: Any) -> LibraryAction:
    """Stop offering one of the organisation's own actions. The row stays, so plan actions
    made from it keep their link and their words; it is never offered again."""
    action = _locked(action)
    refused = access.growth.library_action_change(actor, action).retire_refused
    if refused:
        raise GrowthError(refused)
    action.retired_at = timezone.now()
    action.save(update_fields=["retired_at"])
    audit_record(
        organisation=action.organisation,
        actor=actor,
        action="growth.library_action_retire",
        target=action,
        changes={"retired_at": [None, action.retired_at]},
    )
    return action


def _hide_refused(actor: Any, organisation: Organisation, action: LibraryAction) -> None:
    if not access.growth.can_hide_library_action(actor, organisation, action):
        raise GrowthError(
            gettext("Only the people team can hide Tandem's own actions; retire your own instead.")
        )


@transaction.atomic
def library_action_hide(*, organisation: Organisation, action: LibraryAction, actor: Any) -> bool:
    """Stop offering one of Tandem's own actions in this organisation. Returns whether it was
    shown until now."""
    _hide_refused(actor, organisation, action)
    _, made = HiddenLibraryAction.objects.get_or_create(
        organisation=organisation, action=action, defaults={"hidden_by": acting_user(actor)}
    )
    if made:
        audit_record(
            organisation=organisation,
            actor=actor,
            action="growth.library_action_hide",
            target=action,
            changes={"hidden": [False, True]},
        )
    return made


@transaction.atomic
def library_action_show(*, organisation: Organisation, action: LibraryAction, actor: Any) -> bool:
    """Offer a hidden Tandem action again. Returns whether it was hidden until now."""
    _hide_refused(actor, organisation, action)
    deleted, _ = HiddenLibraryAction.objects.filter(
        organisation=organisation, action=action
    ).delete()
    if deleted:
        audit_record(
            organisation=organisation,
            actor=actor,
            action="growth.library_action_show",
            target=action,
            changes={"hidden": [True, False]},
        )
    return bool(deleted)
