"""Passage: immigration applications processed digitally, end to end."""
