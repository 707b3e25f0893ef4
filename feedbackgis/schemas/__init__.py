"""marshmallow schemas: what comes in, and what goes out (public and staff views apart)."""
