#!/usr/bin/env bash
# `make test`: pytest against real PostgreSQL+PostGIS and Redis, with a freshly created test
# database. Extra arguments go to pytest. Services this run started are stopped at the end.
set -euo pipefail
# shellcheck source=scripts/_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$ROOT"

# services.sh stop leaves alone whatever a start with another owner token started
# (e.g. a `make run` in another terminal).
export FEEDBACKGIS_SERVICES_OWNER="test.$$"
# shellcheck disable=SC2329  # called by the EXIT trap
stop_ours() {
    local rc=$?
    scripts/services.sh stop || say "WARNING: could not stop the services this run started"
    exit "$rc"
}
trap stop_ours EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

scripts/bootstrap.sh
scripts/services.sh start
# Assign first, then eval: `eval "$(cmd)"` alone would hide a failing cmd from set -e.
exports=$(scripts/services.sh env)
eval "$exports"
exports=$(scripts/services.sh testdb)   # TEST_DATABASE_URL and TEST_REDIS_URL
eval "$exports"

rc=0
.venv/bin/python -m pytest "$@" || rc=$?
# pytest's 5 means "no tests collected": a selection that matches nothing is a failure too.
((rc != 5)) || say "pytest collected no tests: failing"
exit "$rc"
