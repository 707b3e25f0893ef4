"""Pure rules of the domain: no Flask, no SQL."""
