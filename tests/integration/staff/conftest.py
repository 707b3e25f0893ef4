"""The staff page tests: pages read in English (the msgids), and the job tests' Redis and
burst workers for the tests that run real jobs."""
import pytest

from tests.integration.jobs.conftest import drain, redis_server  # noqa: F401
from tests.integration.staff.signing_in import english_client


@pytest.fixture
def client(app, connection):
    """A browser that chose English: the assertions read the msgids, not a translation."""
    return english_client(app)
