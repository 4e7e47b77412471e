"""Tandem's own development actions and the "seven messages a week" habit set."""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from tandem.growth import defaults

    LibraryAction = apps.get_model("growth", "LibraryAction")
    HabitSet = apps.get_model("growth", "HabitSet")
    Habit = apps.get_model("growth", "Habit")
    for entry in defaults.LIBRARY:
        fields = {k: v for k, v in entry.items() if k != "key"}
        LibraryAction.objects.update_or_create(organisation=None, key=entry["key"], defaults=fields)
    for entry in defaults.HABIT_SETS:
        habit_set, _ = HabitSet.objects.update_or_create(
            organisation=None,
            key=entry["key"],
            defaults={"name": entry["name"], "description": entry["description"]},
        )
        for position, (key, text, hint) in enumerate(entry["habits"]):
            Habit.objects.update_or_create(
                habit_set=habit_set,
                key=key,
                defaults={"text": text, "hint": hint, "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("growth", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
