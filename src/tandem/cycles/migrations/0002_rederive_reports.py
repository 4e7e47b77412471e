"""Re-derive reports released before the disclosure decision (see tandem.cycles.rederive).

Reports stored under the older rule kept each figure safe on its own but not all of them
together. They are recomputed from each cycle's anonymous sheets; each changed cycle gets one
audit event. Reversing leaves the recomputed reports (the older figures are not kept).
"""

from django.db import migrations


def rederive(apps, schema_editor):  # type: ignore[no-untyped-def]
    from tandem.cycles.rederive import cycle_rederive

    models = {
        name: apps.get_model("cycles", name)
        for name in ("Participant", "Report", "ReleasedSheet", "ReleasedAnswer")
    }
    Cycle = apps.get_model("cycles", "Cycle")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for cycle in Cycle.objects.filter(status="released").select_related("instrument"):
        changed = cycle_rederive(cycle, models=models)
        if changed:
            AuditEvent.objects.create(
                organisation_id=cycle.organisation_id,
                actor=None,
                actor_label="system",
                action="cycle.reports_rederive",
                target_type="cycles.cycle",
                target_id=str(cycle.pk),
                target_label=str(cycle.name)[:254],
                changes={
                    "reports": changed,
                    "rule": "one disclosure decision per person and scale",
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(rederive, migrations.RunPython.noop)]
