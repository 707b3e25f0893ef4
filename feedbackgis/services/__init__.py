"""Use cases as verb_noun functions taking a session; each is one transaction."""
