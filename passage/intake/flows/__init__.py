"""Question flows as data: `programs/<program>/questions.yaml`, read by
`passage.programs.questions`, and the engine that walks it (engine.py: visibility, the
next page, check-your-answers, the answers as interchange facts; checks.py: each question
type's checks; inputs.py: the form's inputs; state.py: a draft evaluated once per
request), and the words of its messages (messages.py). All but the registry import
nothing from Django."""
