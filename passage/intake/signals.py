"""Signals of the intake app, for the apps above it (triage) to act on submissions."""

from django.dispatch import Signal

# Sent inside the submission's transaction with `case`: a receiver that enqueues work
# through the database task backend commits, or rolls back, with the application.
application_submitted = Signal()
