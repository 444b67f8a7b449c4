"""Continuity of service: the outage register, relief by rule for the deadlines outages
touch, the probes, the public status page and the intake spool."""
