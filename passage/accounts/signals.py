"""Signals of the accounts app, for the apps above it to act on what a person changed."""

from django.dispatch import Signal

# Sent inside the transaction that saves a person's new contact details, with `person`,
# `changes` (each changed field's code in `contact_details.DETAIL_LABELS` with its new
# value), `idempotency_key` (the form's) and `now`. The cases app records the change on
# each open case of the person: the details and the officers' record change together.
contact_details_changed = Signal()
