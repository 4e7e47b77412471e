"""The people team's page of email that could not be delivered."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from tandem import access
from tandem.outbox.models import MailStatus
from tandem.outbox.selectors import undelivered
from tandem.outbox.services import RETRY_AFTER, mail_send_again
from tandem.web.inputs import whole_number

KINDS = {
    "cycle.rater_link": gettext_lazy("Rating link"),
    "cycle.self_link": gettext_lazy("Self-assessment link"),
    "cycle.reminder": gettext_lazy("Reminder to rate"),
    "cycle.nominations": gettext_lazy("Rater list to approve"),
    "cycle.report_ready": gettext_lazy("Report ready"),
    "invitation": gettext_lazy("Invitation to Tandem"),
    "password_reset": gettext_lazy("Password reset"),
    "growth.feedback": gettext_lazy("Quick feedback request"),
    "growth.comment": gettext_lazy("Comment on a plan"),
    "growth.habit_reminder": gettext_lazy("Habit reminder"),
    "careers.quarter": gettext_lazy("Quarterly summary reminder"),
    "careers.case_opened": gettext_lazy("Promotion case opened"),
    "careers.peer_input_asked": gettext_lazy("Input asked on a promotion case"),
    "careers.case_proposed": gettext_lazy("Promotion case proposed"),
    "careers.case_to_decide": gettext_lazy("Promotion case to decide"),
    "careers.case_decided": gettext_lazy("Promotion case decided"),
    "careers.evidence_endorsed": gettext_lazy("Evidence endorsed"),
    "vision.translation": gettext_lazy("Goal above changed"),
    "vision.hazard": gettext_lazy("Hazard"),
}


def _organisation(request: HttpRequest):  # type: ignore[no-untyped-def]
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.can_see_undelivered_mail(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_GET
def undelivered_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    page = Paginator(undelivered(organisation=organisation), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "mail": mail,
            "kind": KINDS.get(mail.kind, mail.kind or gettext("Email")),
            "given_up": mail.status == MailStatus.FAILED,
        }
        for mail in page
    ]
    return render(
        request,
        "outbox/undelivered.html",
        {"page": page, "rows": rows, "tries": len(RETRY_AFTER) + 1},
    )


@login_required
@require_POST
def send_again(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if request.POST.get("all"):
        ids = list(
            undelivered(organisation=organisation)
            .filter(status=MailStatus.FAILED)
            .values_list("pk", flat=True)
        )
    else:
        ids = [n for v in request.POST.getlist("mail") if (n := whole_number(v)) is not None]
    count = mail_send_again(organisation=organisation, mail_ids=ids, actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s email queued to be sent again.",
                "%(count)s emails queued to be sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(
            request, gettext("Nothing to send again: those emails are already on their way.")
        )
    return redirect("outbox:undelivered")
