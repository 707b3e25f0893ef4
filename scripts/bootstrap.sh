#!/usr/bin/env bash
# Install what feedbackgis needs on a Debian machine, and only what is missing, so that a
# second run costs a few dpkg look-ups: PostgreSQL + the matching PostGIS, Redis, Chromium
# (browser tests), python3-venv if venv cannot work, then .venv with `pip install -e '.[dev]'`
# whenever pyproject.toml changed since the last install.
set -euo pipefail
# shellcheck source=scripts/_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$ROOT"

export DEBIAN_FRONTEND=noninteractive
STAMP=.venv/.installed-stamp
missing=()
apt_updated=false

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    die "this script expects Debian (dpkg and apt-get); install PostgreSQL+PostGIS, Redis and Chromium by hand"
fi

# Root installs directly; anyone else needs sudo, asked for only when something is missing.
as_root() {
    if ((EUID == 0)); then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo --preserve-env=DEBIAN_FRONTEND "$@"
    else
        die "not root and no sudo: install these Debian packages as root: ${missing[*]}"
    fi
}

want_pkg() {
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]] || missing+=("$1")
}

install_missing() {
    ((${#missing[@]})) || return 0
    if ! $apt_updated; then
        say "refreshing apt package lists"
        as_root apt-get update -qq
        apt_updated=true
    fi
    say "installing: ${missing[*]}"
    as_root apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
    missing=()
}

# 1. System packages. PostGIS must match the server's major, known only once postgresql is in.
want_pkg postgresql
want_pkg redis-server
want_pkg chromium
want_pkg wrk  # the HTTP load of `make bench` (bench/wrk_load.py): a C client, light on the cores
if [[ ! -x .venv/bin/python ]] && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    want_pkg python3-venv
fi
install_missing
major=$(pg_major) || die "postgresql is installed but no server was found under /usr/lib/postgresql"
want_pkg "postgresql-$major-postgis-3"
install_missing
say "system packages present (PostgreSQL $major with PostGIS, Redis, Chromium, wrk)"

# 2. The virtualenv, created once.
if [[ ! -x .venv/bin/python ]]; then
    say "creating .venv"
    python3 -m venv .venv
fi

# 3. The project itself, reinstalled only when pyproject.toml is newer than the last install.
if [[ ! -f pyproject.toml ]]; then
    say "pyproject.toml not found yet: skipping pip install -e '.[dev]'"
elif [[ ! -f $STAMP || pyproject.toml -nt $STAMP ]]; then
    say "installing the project into .venv (pip install -e '.[dev]')"
    .venv/bin/python -m pip install -q -e '.[dev]'
    touch "$STAMP"
else
    say ".venv is up to date with pyproject.toml"
fi
