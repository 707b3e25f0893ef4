#!/usr/bin/env bash
# `make run`: the whole service on this machine (local PostgreSQL/Redis, migrations, demo data,
# gunicorn and one RQ worker) until Ctrl-C, or SIGTERM to make or to its process group (a
# process manager, a CI timeout). Then it stops what it started, and only that: services that
# were already running (e.g. `make services`) stay up. FEEDBACKGIS_VAR: see services.sh.
set -euo pipefail
# shellcheck source=scripts/_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$ROOT"

PORT=${PORT:-5000}
# Links in receipts and emails point at this server unless a public address is configured.
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}
# services.sh stop leaves alone whatever a start with another owner token started.
export FEEDBACKGIS_SERVICES_OWNER="run.$$"
pids=()
names=()

# Runs on any exit: a signal, a child dying, or a failing step before the app is up.
# RC: the exit status (default: that of the exit that ran the trap).
# shellcheck disable=SC2329  # called by the traps
cleanup() {
    local rc=${1:-$?} pid deadline=$((SECONDS + 20))
    # Ignore further signals rather than reset them: a second one must not end this script
    # halfway (children running, services up), and one comes whenever make itself is told to
    # stop: on SIGTERM make sends its child (us) a TERM of its own and waits, so a TERM to
    # make's process group reaches us twice. Until this line runs, a second signal calls
    # cleanup again from its start, which is harmless: that call then does all of it.
    trap '' INT TERM HUP
    trap - EXIT
    ((${#pids[@]} == 0)) || say "stopping the web server and the background processes"
    # The children have sessions of their own (start_child), so signals to make's process
    # group never reach them: this is the one TERM each of them gets.
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    # gunicorn and the worker finish their requests and jobs; after 20s they are killed.
    for pid in "${pids[@]}"; do
        wait_until $((deadline > SECONDS ? deadline - SECONDS : 0)) pid_gone "$pid" \
            || kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    # In a session of its own too: another signal to make's process group (a second Ctrl-C)
    # would otherwise stop it between two services. Ignoring the signal here is not enough:
    # runuser, which runs pg_ctl, sets up its own TERM handler and then ends pg_ctl.
    setsid --wait scripts/services.sh stop \
        || say "WARNING: could not stop the services this run started"
    exit "$rc"
}
pid_gone() { ! kill -0 "$1" 2>/dev/null; }
trap cleanup EXIT
# The signal traps call cleanup themselves rather than `exit`, so that a signal which comes
# while cleanup is starting (from the EXIT trap) cannot end the script from inside it.
trap 'cleanup 130' INT
trap 'cleanup 143' TERM
trap 'cleanup 129' HUP

# NAME COMMAND...: run in the background and remember it. setsid keeps the terminal's Ctrl-C
# away from it: cleanup sends one TERM, as a second signal makes RQ's worker hang in shutdown.
start_child() {
    names+=("$1")
    shift
    setsid "$@" &
    pids+=($!)
}

port_in_use "$PORT" && die "127.0.0.1:$PORT is already in use; set PORT to a free port"

scripts/bootstrap.sh
scripts/services.sh start
exports=$(scripts/services.sh env)   # assigned first so that set -e sees a failure
eval "$exports"

# One secret for the web server and the workers: links that a job emails (follow-up,
# unsubscribe) are derived from it and must match what the web server checks. Kept in var/
# (FEEDBACKGIS_VAR) so links stay valid across restarts.
if [[ -z ${SECRET_KEY:-} ]]; then
    mkdir -p "$VAR"   # not made by services.sh when both services are external
    [[ -s $VAR/secret_key ]] \
        || (umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' >"$VAR/secret_key")
    SECRET_KEY=$(<"$VAR/secret_key")
    export SECRET_KEY
fi

say "applying database migrations"
.venv/bin/feedbackgis db upgrade
say "loading demo data"
.venv/bin/feedbackgis demo seed

# Without a configured mail server, mail goes to a local sink that keeps every message in
# var/mail (a Maildir: one file per email) so notifications can be read while trying things.
mail_sink=""
if [[ -z ${SMTP_HOST:-} ]]; then
    mail_sink=$SHOWN_VAR/mail/new
    export SMTP_HOST=127.0.0.1 SMTP_PORT=${FEEDBACKGIS_MAIL_PORT:-58025} SMTP_SECURITY=none
    port_in_use "$SMTP_PORT" && die "127.0.0.1:$SMTP_PORT (the mail sink) is in use; set FEEDBACKGIS_MAIL_PORT or SMTP_HOST"
    mkdir -p "$VAR/mail/new" "$VAR/mail/cur" "$VAR/mail/tmp"  # a Maildir
    start_child "mail sink" .venv/bin/python -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" \
        -c aiosmtpd.handlers.Mailbox "$VAR/mail"
fi

start_child gunicorn .venv/bin/gunicorn -w 2 -b "127.0.0.1:$PORT" wsgi:app
start_child "RQ worker" .venv/bin/feedbackgis jobs worker
start_child "outbox relay" .venv/bin/feedbackgis jobs relay
start_child "scheduler" .venv/bin/feedbackgis jobs scheduler

# Announce only once gunicorn listens; give up if a child dies first.
children_alive() { local pid; for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || return 1; done; }
# shellcheck disable=SC2329  # called by wait_until
up_or_dead() { port_in_use "$PORT" || ! children_alive; }
wait_until 60 up_or_dead || die "gunicorn does not listen on 127.0.0.1:$PORT after 60s"
if children_alive; then
    say "feedbackgis is running at http://127.0.0.1:$PORT/ (API docs at /api/v1/openapi.json)." \
        "Press Ctrl-C to stop."
    [[ -z $mail_sink ]] || say "Email goes to $mail_sink (one file per message); set SMTP_HOST to send it."
fi

# Ctrl-C ends the script inside this wait (trap above); passing it means a child exited by
# itself, which is a failure even with status 0.
status=0
wait -n || status=$?
for i in "${!pids[@]}"; do
    pid_gone "${pids[$i]}" && say "${names[$i]} exited (status $status); stopping everything"
done
exit 1
