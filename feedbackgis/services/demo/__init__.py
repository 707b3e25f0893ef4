"""The demo municipality that `make run` seeds."""
