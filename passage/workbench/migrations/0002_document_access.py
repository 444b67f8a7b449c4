"""The log of staff opening or downloading a case's documents, which the database keeps
append-only: PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE (its test flush
deletes rows, as for the case events)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION passage_document_access_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'document accesses are append-only: %% refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER document_access_append_only
    BEFORE UPDATE OR DELETE ON workbench_documentaccess
    FOR EACH ROW EXECUTE FUNCTION passage_document_access_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS document_access_append_only ON workbench_documentaccess;
DROP FUNCTION IF EXISTS passage_document_access_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER document_access_append_only BEFORE UPDATE ON workbench_documentaccess
BEGIN
    SELECT RAISE(ABORT, 'document accesses are append-only: UPDATE refused');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS document_access_append_only;"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_document_requests_closed"),
        ("intake", "0006_stored_file"),
        ("workbench", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[("view", "Viewed"), ("download", "Downloaded")], max_length=10
                    ),
                ),
                ("accessed_at", models.DateTimeField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="document_accesses",
                        to="cases.case",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="staff_accesses",
                        to="intake.document",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="document_accesses",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["accessed_at", "pk"],
                "indexes": [
                    models.Index(fields=["case", "accessed_at"], name="document_access_by_case")
                ],
            },
        ),
        migrations.RunPython(install, remove),
    ]
