"""Tandem's URLs plus two bare views: the floor the answer path is measured against.

Both do only the durable write the real path does (an upsert of the answer rows, one
statement in autocommit), under the same server, middleware and CSRF check, with no lookup of
the sheet, no validation and no rendering: what no answer-saving view can beat.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

SQL = (
    'INSERT INTO "cycles_answer" ("nomination_id", "item_id", "value", "text") VALUES {rows} '
    'ON CONFLICT ("nomination_id", "item_id") DO UPDATE '
    'SET "value" = EXCLUDED."value", "text" = EXCLUDED."text"'
)


@require_POST
def bare_upsert(request: HttpRequest, nomination_id: int) -> HttpResponse:
    """Upsert the posted answers (``item`` repeated, each with its value) as they come."""
    items = request.POST.getlist("item")
    params: list[object] = []
    for item in items:
        params += [nomination_id, item, int(request.POST[item]), ""]
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(rows=", ".join(["(%s, %s, %s, %s)"] * len(items))), params)
    return HttpResponse("Saved", content_type="text/plain; charset=utf-8")


# After Tandem's own patterns, as a view added to the project would be: resolving its URL
# costs what resolving one of Tandem's does.
urlpatterns = [
    path("", include("tandem.web.urls")),
    path("bench/bare/<int:nomination_id>/", bare_upsert),
]
