#!/usr/bin/env bash
# Project-local PostgreSQL+PostGIS and Redis under var/, so that development and tests never
# touch the machine's own servers (often a system PostgreSQL on 5432 and Redis on 6379).
# FEEDBACKGIS_VAR names another directory instead of var/ (postgres/, redis/, log/ below it);
# the postgres system user must be able to enter it (see pg_ensure_reachable).
#
#   scripts/services.sh start    start what is not running yet (a no-op for what is)
#   scripts/services.sh stop     stop what `start` started, nothing else
#   scripts/services.sh status   show state; exit 0 all running, 1 some, 3 none
#   scripts/services.sh env      print `export DATABASE_URL=... REDIS_URL=...` for eval
#   scripts/services.sh testdb   recreate database feedbackgis_test, print TEST_* exports
#
# DATABASE_URL / REDIS_URL set (to anything but the URL `env` prints): that service is
# external and is never started, stopped or created here.
# Ports: FEEDBACKGIS_PG_PORT (55432), FEEDBACKGIS_REDIS_PORT (56379); see remembered_port.
# FEEDBACKGIS_SERVICES_OWNER: run.sh and test.sh set it to a token of their own; `stop` then
# leaves alone anything a different owner started (e.g. `make services` before `make test`).
set -euo pipefail
# shellcheck source=scripts/_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

DB_NAME=feedbackgis
TEST_DB_NAME=feedbackgis_test
OWNER=${FEEDBACKGIS_SERVICES_OWNER:-manual}
MARKER=.started-by-us

LOG_DIR=$VAR/log
PG_DIR=$VAR/postgres
PG_DATA=$PG_DIR/data
PG_RUN=$PG_DIR/run
REDIS_DIR=$VAR/redis
REDIS_PIDFILE=$REDIS_DIR/redis.pid

# A service's port: FEEDBACKGIS_*_PORT when set; else the port this checkout's service was
# last started on (remembered in var/); else the default. When that default is taken by
# another program (say, another checkout's services), start takes the next free port.
remembered_port() { if [[ -f $1/port ]]; then cat "$1/port"; else echo "$2"; fi; }
PG_PORT=${FEEDBACKGIS_PG_PORT:-$(remembered_port "$PG_DIR" 55432)}
REDIS_PORT=${FEEDBACKGIS_REDIS_PORT:-$(remembered_port "$REDIS_DIR" 56379)}

set_local_urls() {
    LOCAL_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/$DB_NAME
    LOCAL_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
    LOCAL_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/$TEST_DB_NAME
}
set_local_urls

# free_port NAME PORT ENV_VAR: PORT if free; else, unless ENV_VAR pinned it, the next free one.
free_port() {
    local name=$1 port=$2 pinned=$3
    port_in_use "$port" || { echo "$port"; return; }
    [[ -z ${!pinned:-} ]] \
        || die "127.0.0.1:$port ($pinned) is taken by another program; choose another port"
    local candidate
    for ((candidate = port + 1; candidate < port + 100; candidate++)); do
        if ! port_in_use "$candidate"; then
            say "127.0.0.1:$port is taken by another program: $name uses $candidate instead"
            echo "$candidate"
            return
        fi
    done
    die "no free port for $name in $port..$((port + 99)); set $pinned"
}

# A URL equal to our own (left in the shell by an earlier `eval "$(... env)"`) still means local.
pg_is_local() { [[ -z ${DATABASE_URL:-} || $DATABASE_URL == "$LOCAL_DATABASE_URL" ]]; }
redis_is_local() { [[ -z ${REDIS_URL:-} || $REDIS_URL == "$LOCAL_REDIS_URL" ]]; }

# Hide a password before printing a URL in a message.
masked() { sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$1"; }

# Replace the database path of a URL (postgres db name, redis db number), keeping any query.
url_with_db() { sed -E "s#^([A-Za-z0-9+.-]+://[^/?]*)(/[^?]*)?#\1/$2#" <<<"$1"; }

# psql speaks libpq URLs: drop SQLAlchemy's "+driver".
libpq_url() { sed -E 's#^postgres(ql)?\+[A-Za-z0-9_]+://#postgresql://#' <<<"$1"; }

run_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# Is the marker of service dir $1 ours to act on? Manual stops (no owner) act on any marker.
marker_is_ours() {
    local marker=$1/$MARKER
    [[ -f $marker ]] || return 1
    [[ -z ${FEEDBACKGIS_SERVICES_OWNER:-} || $(<"$marker") == "$FEEDBACKGIS_SERVICES_OWNER" ]]
}

# ---------------------------------------------------------------- PostgreSQL

# A cluster made earlier keeps the major it was made with; a new one takes the newest installed.
pg_bin() {
    local major
    if [[ -f $PG_DATA/PG_VERSION ]]; then
        major=$(<"$PG_DATA/PG_VERSION")
    else
        major=$(pg_major) || die "no PostgreSQL server under /usr/lib/postgresql; run scripts/bootstrap.sh"
    fi
    [[ -x /usr/lib/postgresql/$major/bin/pg_ctl ]] \
        || die "$PG_DATA was made by PostgreSQL $major, which is not installed; install it or run 'make clean'"
    echo "/usr/lib/postgresql/$major/bin"
}

# initdb and pg_ctl refuse to run as root, so root runs them as the system user postgres
# (from /, a directory that user can always enter).
as_pg() {
    if ((EUID == 0)); then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

pg_running() {
    [[ -f $PG_DATA/PG_VERSION ]] && as_pg "$(pg_bin)/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

pg_conninfo() { echo "host=127.0.0.1 port=$PG_PORT user=postgres dbname=$1"; }

# The postgres user must be able to enter every directory down to $1 (var/postgres, var/log).
# Directories of this project that we own get o+x; anything above it is the user's call.
pg_ensure_reachable() {
    ((EUID == 0)) || return 0
    local dirs=() dir=$1
    while [[ $dir != / ]]; do
        dirs=("$dir" "${dirs[@]}")
        dir=$(dirname "$dir")
    done
    for dir in "${dirs[@]}"; do
        runuser -u postgres -- test -x "$dir" && continue
        if [[ ($dir == "$ROOT" || $dir == "$ROOT"/*) && -O $dir ]]; then
            say "letting the postgres user enter $dir (chmod o+x)"
            chmod o+x "$dir"
        else
            die "the system user postgres cannot enter $dir, so it cannot use $1." \
                "Run 'chmod o+x $dir', put the project where postgres can reach it, or set DATABASE_URL."
        fi
    done
}

pg_init() {
    [[ -f $PG_DATA/PG_VERSION ]] && return 0
    local locale=C
    locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' && locale=C.UTF-8
    say "creating PostgreSQL cluster in $SHOWN_VAR/postgres/data (locale $locale)"
    mkdir -p "$PG_DATA"
    chmod 700 "$PG_DATA"
    ((EUID != 0)) || chown postgres: "$PG_DATA"
    as_pg "$PGBIN/initdb" -D "$PG_DATA" --auth=trust -U postgres --encoding=UTF8 \
        --locale="$locale" >"$LOG_DIR/initdb.log" 2>&1 \
        || die "initdb failed; see $LOG_DIR/initdb.log"
}

pg_ensure_db() {
    local exists
    exists=$(run_psql -d "$(pg_conninfo postgres)" -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")
    if [[ $exists != 1 ]]; then
        say "creating database $1"
        run_psql -d "$(pg_conninfo postgres)" -c "CREATE DATABASE $1"
    fi
    run_psql -d "$(pg_conninfo "$1")" -c 'CREATE EXTENSION IF NOT EXISTS postgis'
}

pg_start() {
    PGBIN=$(pg_bin)
    mkdir -p "$PG_DIR" "$LOG_DIR"
    pg_ensure_reachable "$PG_DIR"
    pg_ensure_reachable "$LOG_DIR"
    pg_init
    if pg_running; then
        say "PostgreSQL already running ($SHOWN_VAR/postgres/data): left as it is"
    else
        PG_PORT=$(free_port PostgreSQL "$PG_PORT" FEEDBACKGIS_PG_PORT)
        echo "$PG_PORT" >"$PG_DIR/port"
        set_local_urls
        mkdir -p "$PG_RUN"
        touch "$LOG_DIR/postgres.log"
        ((EUID != 0)) || chown postgres: "$PG_RUN" "$LOG_DIR/postgres.log"
        # Marker first: if the start half-fails, `stop` still cleans up after us.
        echo "$OWNER" >"$PG_DIR/$MARKER"
        say "starting PostgreSQL on 127.0.0.1:$PG_PORT (log: $SHOWN_VAR/log/postgres.log)"
        # Only loopback and our own socket dir: never the system's /var/run/postgresql.
        as_pg "$PGBIN/pg_ctl" start -w -t 60 -D "$PG_DATA" -l "$LOG_DIR/postgres.log" \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_RUN'" >/dev/null \
            || die "PostgreSQL did not start; see $LOG_DIR/postgres.log"
    fi
    wait_until 30 "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
        || die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT; see $LOG_DIR/postgres.log"
    pg_ensure_db "$DB_NAME"
}

pg_stop() {
    if ! marker_is_ours "$PG_DIR"; then
        if pg_running; then
            say "PostgreSQL ($SHOWN_VAR/postgres) was not started by this caller: left running"
        else
            say "PostgreSQL ($SHOWN_VAR/postgres) is not running"
        fi
        return 0
    fi
    PGBIN=$(pg_bin)
    if pg_running; then
        say "stopping PostgreSQL ($SHOWN_VAR/postgres)"
        as_pg "$PGBIN/pg_ctl" stop -w -t 60 -m fast -D "$PG_DATA" >/dev/null \
            || die "PostgreSQL did not stop; see $LOG_DIR/postgres.log"
    else
        say "PostgreSQL ($SHOWN_VAR/postgres) already stopped"
    fi
    rm -f "$PG_DIR/$MARKER"
}

# ---------------------------------------------------------------- Redis

# PID of our redis-server, from its pidfile, if that process is alive and really Redis.
redis_pid() {
    local pid
    [[ -f $REDIS_PIDFILE ]] || return 1
    pid=$(<"$REDIS_PIDFILE")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == redis-server* ]] || return 1
    echo "$pid"
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

redis_pong() { [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_start() {
    mkdir -p "$REDIS_DIR" "$LOG_DIR"
    if redis_pid >/dev/null; then
        say "Redis already running ($SHOWN_VAR/redis): left as it is"
    else
        REDIS_PORT=$(free_port Redis "$REDIS_PORT" FEEDBACKGIS_REDIS_PORT)
        echo "$REDIS_PORT" >"$REDIS_DIR/port"
        set_local_urls
        echo "$OWNER" >"$REDIS_DIR/$MARKER"
        say "starting Redis on 127.0.0.1:$REDIS_PORT (log: $SHOWN_VAR/log/redis.log)"
        # Jobs are rebuilt from the database outbox, so Redis needs no persistence here.
        redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
            --save "" --appendonly no --dir "$REDIS_DIR" --pidfile "$REDIS_PIDFILE" \
            --logfile "$LOG_DIR/redis.log" \
            || die "Redis did not start; see $LOG_DIR/redis.log"
    fi
    wait_until 15 redis_pong \
        || die "Redis does not answer on 127.0.0.1:$REDIS_PORT; see $LOG_DIR/redis.log"
}

redis_stop() {
    local pid
    if ! marker_is_ours "$REDIS_DIR"; then
        if redis_pid >/dev/null; then
            say "Redis ($SHOWN_VAR/redis) was not started by this caller: left running"
        else
            say "Redis ($SHOWN_VAR/redis) is not running"
        fi
        return 0
    fi
    if pid=$(redis_pid); then
        say "stopping Redis ($SHOWN_VAR/redis)"
        kill -TERM "$pid"
        wait_until 15 pid_gone "$pid" \
            || die "Redis (pid $pid) did not stop; see $LOG_DIR/redis.log"
    else
        say "Redis ($SHOWN_VAR/redis) already stopped"
    fi
    rm -f "$REDIS_DIR/$MARKER"
}

# ---------------------------------------------------------------- commands

cmd_start() {
    if pg_is_local; then pg_start; else say "PostgreSQL: external, $(masked "$DATABASE_URL")"; fi
    if redis_is_local; then redis_start; else say "Redis: external, $(masked "$REDIS_URL")"; fi
}

cmd_stop() {
    # Stops what a `start` started even if DATABASE_URL/REDIS_URL were set since.
    redis_stop
    [[ ! -f $PG_DATA/PG_VERSION ]] || pg_stop
}

cmd_status() {
    local total=0 up=0 who
    if pg_is_local; then
        total=$((total + 1))
        if pg_running; then
            up=$((up + 1))
            who=$(cat "$PG_DIR/$MARKER" 2>/dev/null || echo "not scripts/services.sh")
            echo "PostgreSQL: running, $SHOWN_VAR/postgres/data, 127.0.0.1:$PG_PORT (started by: $who)"
        else
            echo "PostgreSQL: stopped ($SHOWN_VAR/postgres/data)"
        fi
    else
        echo "PostgreSQL: external, $(masked "$DATABASE_URL")"
    fi
    if redis_is_local; then
        total=$((total + 1))
        if redis_pid >/dev/null; then
            up=$((up + 1))
            who=$(cat "$REDIS_DIR/$MARKER" 2>/dev/null || echo "not scripts/services.sh")
            echo "Redis: running, $SHOWN_VAR/redis, 127.0.0.1:$REDIS_PORT (started by: $who)"
        else
            echo "Redis: stopped ($SHOWN_VAR/redis)"
        fi
    else
        echo "Redis: external, $(masked "$REDIS_URL")"
    fi
    ((up == 0)) && return 3
    ((up == total)) && return 0
    return 1
}

cmd_env() {
    printf 'export DATABASE_URL=%q\n' "${DATABASE_URL:-$LOCAL_DATABASE_URL}"
    printf 'export REDIS_URL=%q\n' "${REDIS_URL:-$LOCAL_REDIS_URL}"
}

# Drop and recreate the test database (with PostGIS) on the same server as DATABASE_URL.
cmd_testdb() {
    local url admin test_conn
    if [[ -n ${TEST_DATABASE_URL:-} && $TEST_DATABASE_URL != "$LOCAL_TEST_DATABASE_URL" ]]; then
        say "using TEST_DATABASE_URL as given (not recreated): $(masked "$TEST_DATABASE_URL")"
        url=$TEST_DATABASE_URL
    else
        if pg_is_local; then
            pg_running || die "PostgreSQL in $SHOWN_VAR/ is not running; run 'scripts/services.sh start' first"
            url=$LOCAL_TEST_DATABASE_URL
            admin=$(pg_conninfo postgres)
            test_conn=$(pg_conninfo "$TEST_DB_NAME")
        else
            url=$(url_with_db "$DATABASE_URL" "$TEST_DB_NAME")
            admin=$(url_with_db "$(libpq_url "$DATABASE_URL")" postgres)
            test_conn=$(libpq_url "$url")
        fi
        say "recreating database $TEST_DB_NAME with PostGIS"
        # FORCE: a test run that crashed may have left connections open.
        run_psql -d "$admin" -c "DROP DATABASE IF EXISTS $TEST_DB_NAME WITH (FORCE)" \
            -c "CREATE DATABASE $TEST_DB_NAME"
        run_psql -d "$test_conn" -c 'CREATE EXTENSION postgis'
    fi
    printf 'export TEST_DATABASE_URL=%q\n' "$url"
    printf 'export TEST_REDIS_URL=%q\n' \
        "${TEST_REDIS_URL:-$(url_with_db "${REDIS_URL:-$LOCAL_REDIS_URL}" 15)}"
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    testdb) cmd_testdb ;;
    *)
        echo "usage: scripts/services.sh start|stop|status|env|testdb" >&2
        exit 2
        ;;
esac
