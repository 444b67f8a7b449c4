"""Commands on a case after submission, imported by the rest of Passage through
`passage.cases.services`.

Each command is described once as data in `specs` (its lifecycle row, the event it
appends, who may run it (`who`), what its event records, the email its clients get) and
carried out by `engine.run` in one transaction: lock the case row, replay or reject a
reused idempotency key, check the expected version, check the lifecycle, apply the
command, queue the email, append the event and update the projection together.

The commands themselves validate their input and say what they change on the row:
`progress` (triage, review, steps, the rules' assessment, quality review, the decision),
`clients` (withdrawal, access, document requests and answers) and `staff` (assignment,
taking a file, notes, conflicts of interest).
"""
