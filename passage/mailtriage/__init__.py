"""PURE: client email triage, held to `shared/spec/email-triage.md`: the language a client
wrote in, the category of what they ask, how sure the classifier is, whether the email goes
straight to its team or to a person first, and the case reference it names."""
