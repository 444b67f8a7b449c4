"""A supervisor's choice of officer is pinned on the case row: routing leaves the file
with that officer (docs/operations.md, routing). Earlier assignments stay unpinned, as
their events say nothing of it (`cases/fold.py` reads the flag from the event).

Adding the column makes SQLite's schema editor rebuild the case table, and SQLite refuses
to rename the new table into place while a trigger names the old one: the
conflict-of-interest trigger (0008), which reads `cases_case`, is set aside for the
rebuild and put back after it."""

import importlib

from django.db import migrations, models

CONFLICT_TRIGGER = importlib.import_module("passage.cases.migrations.0008_conflicts_of_interest")


def set_trigger_aside(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CONFLICT_TRIGGER.SQLITE_DOWN)


def put_trigger_back(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CONFLICT_TRIGGER.SQLITE_DOWN)
        schema_editor.execute(CONFLICT_TRIGGER.SQLITE_UP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_keyed_audit_chain")]

    operations = [
        migrations.RunPython(set_trigger_aside, put_trigger_back),
        migrations.AddField(
            model_name="case",
            name="assignment_pinned",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(put_trigger_back, set_trigger_aside),
    ]
