"""One people picker for every form that chooses colleagues: type a few letters, pick a name.

The widget is a search box that asks :func:`pick` (htmx) for at most ``LIMIT`` matching people
of the signed-in user's organisation and shows them as an ARIA listbox; ``tandem/picker.js``
adds keyboard choice (arrows, Enter, Escape) and the chosen people as removable chips that carry
hidden inputs. Without scripts, typing a full name and sending the form works too: the field
resolves the typed name, or says that nobody or several people match.

The fields keep their querysets (who may be chosen), so a forged id is refused by validation
like any other bad choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from tandem import access
from tandem.people.models import Organisation, Person, PersonStatus
from tandem.web.inputs import whole_number

LIMIT = 8
TYPED = "typed:"

Scope = Callable[[Any, Organisation], QuerySet[Person]]
SCOPES: dict[str, Scope] = {}
"""Who a picker offers, by name: each app registers the scopes its forms use (``register``).
Without a scope the picker offers the organisation's active people. The form field's own
queryset still decides what may be chosen; a scope only keeps the list honest."""


def register(name: str, scope: Scope) -> None:
    """Offer ``scope(user, organisation)`` in pickers made with ``PeoplePicker(scope=name)``."""
    SCOPES[name] = scope


def colleagues(user: Any, organisation: Organisation) -> QuerySet[Person]:
    """Scope "people.others": the organisation's active people except the user themself."""
    people = Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
    me = access.person_of(user)
    return people.exclude(pk=me.pk) if me is not None else people


register("people.others", colleagues)


def describe(person: Person) -> str:
    """The words next to a name: title and department, when known."""
    return " · ".join(part for part in (person.title, person.department) if part)


def search(queryset: QuerySet[Person], text: str, *, limit: int = LIMIT) -> list[Person]:
    """People whose name starts with, or whose name or email contains, ``text``; names that
    start with it first."""
    text = text.strip()
    if not text:
        return []
    found = queryset.filter(Q(name__icontains=text) | Q(email__istartswith=text))
    starts = list(found.filter(name__istartswith=text).order_by("name")[:limit])
    if len(starts) < limit:
        seen = [p.pk for p in starts]
        starts += list(found.exclude(pk__in=seen).order_by("name")[: limit - len(starts)])
    return starts


class PeoplePicker(forms.Widget):
    """A type-ahead search for one person (or several, ``multiple=True``)."""

    template_name = "people/widgets/picker.html"

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, multiple: bool = False, scope: str = ""
    ) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.scope = scope

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        ids = value if isinstance(value, list | tuple) else ([value] if value else [])
        numbers = [int(v) for v in ids if str(v).isascii() and str(v).isdigit()]
        by_id = {p.pk: p for p in Person.objects.filter(pk__in=numbers)}
        chosen = [by_id[n] for n in numbers if n in by_id]
        typed = next((str(v)[len(TYPED) :] for v in ids if str(v).startswith(TYPED)), "")
        context["widget"].update(
            {
                "multiple": self.multiple,
                "chosen": [(p.pk, p.name, describe(p)) for p in chosen],
                "url": reverse("people:pick"),
                "typed": typed,
                "scope": self.scope,
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        ids = [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else []
        if not ids and data.get(name) and not hasattr(data, "getlist"):
            ids = [data.get(name)]
        typed = str(data.get(f"{name}-search", "")).strip()
        if typed and (self.multiple or not ids):
            ids.append(TYPED + typed)
        if self.multiple:
            return ids
        return ids[0] if ids else None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}-search" not in data


def _resolve(queryset: QuerySet[Person], typed: str) -> Person:
    exact = list(queryset.filter(name__iexact=typed)[:2])
    if len(exact) == 1:
        return exact[0]
    found = exact or search(queryset, typed, limit=2)
    if not found:
        raise ValidationError(
            gettext("Nobody called “%(name)s” can be chosen here.") % {"name": typed},
            code="invalid_choice",
        )
    if len(found) > 1:
        raise ValidationError(
            gettext("Several people match “%(name)s”: type more of the name.") % {"name": typed},
            code="invalid_choice",
        )
    return found[0]


class PersonPickField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Choose one person with the picker (``scope``: see :func:`register`)."""

    def __init__(self, *args: Any, scope: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("widget", PeoplePicker(scope=scope))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(TYPED):
            return _resolve(self.queryset, value[len(TYPED) :])  # type: ignore[arg-type]
        return super().to_python(value)


class PeoplePickField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Choose several people with the picker (``scope``: see :func:`register`)."""

    def __init__(self, *args: Any, scope: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("widget", PeoplePicker(multiple=True, scope=scope))
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        values = list(value or [])
        typed = [v for v in values if isinstance(v, str) and v.startswith(TYPED)]
        ids = [v for v in values if v not in typed]
        for text in typed:
            ids.append(str(_resolve(self.queryset, text[len(TYPED) :]).pk))  # type: ignore[arg-type]
        return super().clean(ids)


@login_required
@require_GET
def pick(request: HttpRequest) -> HttpResponse:
    """At most ``LIMIT`` active people of the user's organisation matching ``q``."""
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.can_view_organisation_chart(request.user, organisation):
        raise PermissionDenied
    exclude = [n for v in request.GET.get("exclude", "").split(",") if (n := whole_number(v))]
    scope = SCOPES.get(request.GET.get("scope", ""))
    if scope is not None:
        people = scope(request.user, organisation)
    else:
        people = Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
    people = people.exclude(pk__in=exclude)
    found = search(people, request.GET.get("q", "")[:100])
    rows = [(p.pk, p.name, describe(p)) for p in found]
    field = request.GET.get("field", "picker")[:80]
    return render(
        request,
        "people/widgets/picker_options.html",
        {"rows": rows, "field": field, "query": request.GET.get("q", "").strip()[:100]},
    )
