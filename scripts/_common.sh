# shellcheck shell=bash
# Helpers shared by scripts/*.sh (sourced, never run on its own).

# shellcheck disable=SC2034  # ROOT is used by the scripts that source this file
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCRIPT=$(basename "$0" .sh)

# Where the local services, logs, mail and the secret key live: var/ of the checkout unless
# FEEDBACKGIS_VAR names another directory, so that a second `make run` (e.g. the tests of
# `make run` itself, next to the var/ a `make test` is using) keeps clear of the first.
# Made absolute (symlinks kept, as in ROOT) and exported, so every script agrees on it.
# shellcheck disable=SC2034  # VAR and SHOWN_VAR are used by the scripts that source this file
VAR=$(realpath -ms -- "${FEEDBACKGIS_VAR:-$ROOT/var}")
export FEEDBACKGIS_VAR=$VAR
# VAR in messages: "var" for the default, relative to the checkout when inside it.
SHOWN_VAR=${VAR#"$ROOT"/}

# Messages go to stderr so that stdout stays clean for `eval "$(scripts/services.sh env)"`.
say() { printf '[%s] %s\n' "$SCRIPT" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$SCRIPT" "$*" >&2; exit 1; }

# Newest PostgreSQL server major installed by Debian's packages (e.g. 15); fails if none.
pg_major() {
    local dir major=""
    for dir in /usr/lib/postgresql/*/bin/postgres; do
        [[ -x $dir ]] || continue
        dir=${dir#/usr/lib/postgresql/}
        major=$(printf '%s\n' "$major" "${dir%%/*}" | sort -V | tail -n 1)
    done
    [[ -n $major ]] && echo "$major"
}

# True if something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp, no extra tools).
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until SECONDS COMMAND...: retry COMMAND until it succeeds; fail after SECONDS.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}
