"""Signals of the cases app, for the apps above it to act on what a command recorded."""

from django.dispatch import Signal

# Sent inside the transaction of a command that ends a case (a decision, a withdrawal),
# once its event is appended, with `case`, `event` and `letter` (the kind of decision
# letter the command's spec names). The letters app issues the letter in that
# transaction: a decision is never recorded without its letter, nor a letter without it.
case_ended = Signal()
