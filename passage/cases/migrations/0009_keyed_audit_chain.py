"""The event chain becomes keyed (HMAC-SHA256 under PASSAGE_AUDIT_KEYS), and TRUNCATE of
the event log is refused.

Existing chains are first verified as they were written (plain SHA-256): a break stops the
migration, so that re-keying never launders a changed log. Then every event is hashed
again under the current key, in order, and each case's head follows. The append-only
trigger is set aside for that one rewrite and put back in the same transaction.
"""

import hashlib
import importlib

from django.db import migrations, models

from passage.cases.chain import current_key, event_body, event_hash

GENESIS_HASH = "0" * 64

POSTGRES_NO_TRUNCATE = """
CREATE OR REPLACE FUNCTION passage_case_event_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case events are append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS case_event_no_truncate ON cases_caseevent;
CREATE TRIGGER case_event_no_truncate
    BEFORE TRUNCATE ON cases_caseevent
    FOR EACH STATEMENT EXECUTE FUNCTION passage_case_event_no_truncate();
"""
# Adding a column makes SQLite's schema editor rebuild the table, which drops its
# triggers: the append-only one (0002) and the conflict-of-interest one (0008) come back.
SQLITE_TRIGGERS = (
    importlib.import_module("passage.cases.migrations.0002_case_events_append_only").SQLITE_UP,
    importlib.import_module("passage.cases.migrations.0008_conflicts_of_interest").SQLITE_UP,
)


class BrokenChain(Exception):
    """The log as written does not verify: it is not re-keyed."""


def _fields(event, public_id):
    return {
        "case_public_id": str(public_id),
        "sequence": event.sequence,
        "kind": event.kind,
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "occurred_at": event.occurred_at,
        "payload": event.payload,
        "ruleset_version": event.ruleset_version,
        "idempotency_key": event.idempotency_key,
    }


def _rekey_case(case, events, key, Event):
    """Check one case's plain SHA-256 chain, then write its keyed one; its new head."""
    previous, new_previous = GENESIS_HASH, GENESIS_HASH
    for expected, event in enumerate(events, start=1):
        fields = _fields(event, case.public_id)
        plain = hashlib.sha256(f"{previous}\n{event_body(**fields)}".encode()).hexdigest()
        if event.sequence != expected or event.previous_hash != previous or event.hash != plain:
            raise BrokenChain(
                f"case {case.reference}, event {event.sequence}: the log does not verify as "
                "written; run `passage audit verify` on the previous version and resolve it "
                "before upgrading"
            )
        keyed = event_hash(key=key, previous_hash=new_previous, **fields)
        Event.objects.filter(pk=event.pk).update(
            previous_hash=new_previous, hash=keyed, hash_key=key.key_id
        )
        previous, new_previous = event.hash, keyed
    if (case.last_event_sequence, case.last_event_hash) != (len(events), previous):
        raise BrokenChain(f"case {case.reference}: its recorded head is not its last event")
    return new_previous


def rekey(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Event = apps.get_model("cases", "CaseEvent")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_caseevent DISABLE TRIGGER case_event_append_only")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS case_event_append_only")
        schema_editor.execute("DROP TRIGGER IF EXISTS case_event_no_conflict")
    key = current_key()
    for case in Case.objects.order_by("pk").iterator(chunk_size=2000):
        events = list(Event.objects.filter(case_id=case.pk).order_by("sequence"))
        head = _rekey_case(case, events, key, Event)
        Case.objects.filter(pk=case.pk).update(last_event_hash=head)
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_caseevent ENABLE TRIGGER case_event_append_only")
        schema_editor.execute(POSTGRES_NO_TRUNCATE)
    elif vendor == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            schema_editor.execute(trigger)


def refuse_going_back(apps, schema_editor):
    raise RuntimeError("a keyed audit chain cannot be turned back into a plain one")


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_conflicts_of_interest")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="hash_key",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
        migrations.RunPython(rekey, refuse_going_back),
    ]
