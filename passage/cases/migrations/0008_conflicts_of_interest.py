"""Declared conflicts of interest, and the database's own refusal of any event recorded
as staff (an officer or a supervisor) by a person with a conflict on the case: a party to
it (revoked too), its applicant or filer, or someone who declared a conflict on it or with
one of its clients. The rule is `passage.cases.conflicts`; the trigger is its last line of
defence, whatever the code above it does."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CONFLICT = """
    NEW.actor_id IS NOT NULL AND NEW.actor_role IN ('officer', 'supervisor') AND (
        EXISTS(SELECT 1 FROM cases_caseparty cp
               WHERE cp.case_id = NEW.case_id AND cp.person_id = NEW.actor_id)
        OR EXISTS(SELECT 1 FROM cases_case c
                  INNER JOIN intake_application ia ON ia.id = c.application_id
                  WHERE c.id = NEW.case_id
                  AND (ia.applicant_id = NEW.actor_id OR ia.submitted_by_id = NEW.actor_id))
        OR EXISTS(SELECT 1 FROM cases_declaredconflict dc
                  WHERE dc.officer_id = NEW.actor_id
                  AND (dc.case_id = NEW.case_id OR dc.client_id IN (
                      SELECT cp2.person_id FROM cases_caseparty cp2
                      WHERE cp2.case_id = NEW.case_id)))
    )
"""
POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION passage_case_event_no_conflict() RETURNS trigger AS $$
BEGIN
    IF {CONFLICT} THEN
        RAISE EXCEPTION 'conflict of interest: person %% may not act as staff on case %%',
            NEW.actor_id, NEW.case_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_event_no_conflict
    BEFORE INSERT ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION passage_case_event_no_conflict();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS case_event_no_conflict ON cases_caseevent;
DROP FUNCTION IF EXISTS passage_case_event_no_conflict();
"""
SQLITE_UP = f"""
CREATE TRIGGER case_event_no_conflict BEFORE INSERT ON cases_caseevent
WHEN {CONFLICT}
BEGIN
    SELECT RAISE(ABORT, 'conflict of interest: a person may not act as staff on this case');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS case_event_no_conflict;"


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
        ('cases', '0007_party_acts_for'),
        ('intake', '0005_representation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DeclaredConflict',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('relative', 'A relative or someone in my household'), ('personal', 'A friend or someone I know personally'), ('former_client', 'A former client, employer or business relation'), ('other', 'Another reason')], max_length=20)),
                ('note', models.TextField(blank=True)),
                ('declared_at', models.DateTimeField()),
            ],
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(choices=[('application.submitted', 'We received your application'), ('triage.started', 'We started sorting your application'), ('review.started', 'An officer review started'), ('step.recorded', 'A step of your application changed'), ('case.approved', 'A decision was made: approved'), ('case.refused', 'A decision was made: refused'), ('case.withdrawn', 'The application was withdrawn'), ('access.granted', 'Someone was given access to the application'), ('access.revoked', "Someone's access to the application ended"), ('documents.requested', 'We asked you for documents'), ('documents.received', 'We received the documents we asked for'), ('triage.assessed', 'Eligibility rules assessed the file'), ('case.assigned', 'The file was assigned to an officer'), ('case.unassigned', 'The file was returned to the queue'), ('work.started', 'An officer started work on the file'), ('note.added', 'An officer added a note'), ('quality.reviewed', 'A blind quality review was recorded'), ('conflict.declared', 'An officer declared a conflict of interest')], max_length=40),
        ),
        migrations.AddIndex(
            model_name='caseparty',
            index=models.Index(fields=['person', 'case'], name='party_by_person'),
        ),
        migrations.AddField(
            model_name='declaredconflict',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='declared_conflicts', to='cases.case'),
        ),
        migrations.AddField(
            model_name='declaredconflict',
            name='client',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='declaredconflict',
            name='officer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='declared_conflicts', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='declaredconflict',
            index=models.Index(fields=['officer', 'case'], name='conflict_by_officer_case'),
        ),
        migrations.AddIndex(
            model_name='declaredconflict',
            index=models.Index(fields=['officer', 'client'], name='conflict_by_officer_client'),
        ),
        migrations.RunPython(install, remove),
    ]
