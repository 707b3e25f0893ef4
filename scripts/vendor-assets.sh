#!/usr/bin/env bash
# Vendor the front-end libraries into static/ from the npm registry, so that pages never load
# code from a CDN and the vendored files can be rebuilt from this script alone. The files it
# writes are committed; run it again only to change a version, then review the diff.
#
#   scripts/vendor-assets.sh
#
# Needs npm, node and tar. Leaflet: only its dist build (leaflet.js,
# leaflet.css, images/) and its LICENSE go to static/map/vendor/leaflet/. axe-core: axe.min.js
# and its LICENSE go to tests/e2e/vendor/axe-core/ (a test tool, never served).
set -euo pipefail
# shellcheck source=scripts/_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$ROOT"

LEAFLET_VERSION=1.9.4
# From `npm view leaflet@1.9.4 dist.integrity`: the tarball we vendor is the one we reviewed.
LEAFLET_INTEGRITY=sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==
LEAFLET_DEST=static/map/vendor/leaflet
# axe-core runs only in the browser tests (tests/e2e/accessibility.py), never on a page.
AXE_VERSION=4.14.1
AXE_INTEGRITY=sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
AXE_DEST=tests/e2e/vendor/axe-core

for tool in npm node tar; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done

work=$(mktemp -d)
# shellcheck disable=SC2329  # called by the EXIT trap
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

# fetch_package NAME VERSION INTEGRITY: unpack the registry's tarball, print its directory.
# npm pack downloads without installing anything or running package scripts.
fetch_package() {
    local name=$1 version=$2 integrity=$3 tarball actual
    tarball=$(cd "$work" && npm pack --silent --ignore-scripts "$name@$version" | tail -n 1)
    [[ -f $work/$tarball ]] || die "npm pack $name@$version produced no tarball"
    actual=$(node -e 'const {createHash} = require("crypto");
        const data = require("fs").readFileSync(process.argv[1]);
        console.log("sha512-" + createHash("sha512").update(data).digest("base64"));' "$work/$tarball")
    [[ $actual == "$integrity" ]] || die "$name@$version: integrity $actual, expected $integrity"
    mkdir -p "$work/$name"
    tar -xzf "$work/$tarball" -C "$work/$name" --strip-components=1
    echo "$work/$name"
}

vendor_leaflet() {
    local pkg
    pkg=$(fetch_package leaflet "$LEAFLET_VERSION" "$LEAFLET_INTEGRITY")
    rm -rf "$LEAFLET_DEST"
    mkdir -p "$LEAFLET_DEST/images"
    cp "$pkg/dist/leaflet.js" "$pkg/dist/leaflet.css" "$pkg/LICENSE" "$LEAFLET_DEST/"
    cp "$pkg"/dist/images/*.png "$LEAFLET_DEST/images/"
    say "Leaflet $LEAFLET_VERSION -> $LEAFLET_DEST"
}

vendor_axe() {
    local pkg
    pkg=$(fetch_package axe-core "$AXE_VERSION" "$AXE_INTEGRITY")
    rm -rf "$AXE_DEST"
    mkdir -p "$AXE_DEST"
    cp "$pkg/axe.min.js" "$pkg/LICENSE" "$AXE_DEST/"
    say "axe-core $AXE_VERSION -> $AXE_DEST"
}

vendor_leaflet
vendor_axe
