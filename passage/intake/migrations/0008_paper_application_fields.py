"""A paper form may leave out the country of citizenship and the email address.

SQLite changes a table's constraints by rebuilding it, and its rebuild drops the cases'
conflict-of-interest trigger's hold on `intake_application`: the trigger is taken off
before and put back after, as `cases.0009` does for its own rebuild."""

import importlib

from django.conf import settings
from django.db import migrations, models

CONFLICTS = importlib.import_module("passage.cases.migrations.0008_conflicts_of_interest")


def trigger_off(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CONFLICTS.SQLITE_DOWN)


def trigger_on(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CONFLICTS.SQLITE_DOWN)
        schema_editor.execute(CONFLICTS.SQLITE_UP)


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0007_document_description'),
        ('cases', '0013_document_request_relief'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(trigger_off, trigger_on),
        migrations.RemoveConstraint(
            model_name='application',
            name='application_citizenship_iso',
        ),
        migrations.AlterField(
            model_name='application',
            name='citizenship',
            field=models.CharField(blank=True, max_length=2),
        ),
        migrations.AlterField(
            model_name='application',
            name='email',
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('citizenship__regex', '^([A-Z]{2})?$')), name='application_citizenship_iso'),
        ),
        migrations.RunPython(trigger_on, trigger_off),
    ]
