"""Staff accounts: create, list, disable, and checking a password at sign-in."""
