#!/bin/sh
# Whole-process time of a route on a cached graph file (issue 11's target:
# a route on a cached Cologne graph, whole process, 20 ms or less), with
# hyperfine. The first route stays inside Cologne (its leg passes no place
# outside the stops' areas); the second, 33 km to Bonn, searches the
# gazetteer for the places it passes.
#
#   benches/cached_route.sh [ROUTEMAP]   (default target/release/routemap)
#
# The extract is read from ../shared/fixtures/osm/ or ROUTEMAP_OSM_FIXTURES.
set -eu
bin=${1:-target/release/routemap}
fixtures=${ROUTEMAP_OSM_FIXTURES:-../shared/fixtures/osm}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" rail build "$fixtures/cologne-railway.osm.pbf" --out "$dir/cologne.rmrail" 2>/dev/null
hyperfine -N --warmup 3 -r 30 \
    "$bin route 'Köln Hbf' 'Köln-Ehrenfeld' --mode rail --rail-network $dir/cologne.rmrail" \
    "$bin route 'Köln Hbf' 'Bonn Hbf' --mode rail --rail-network $dir/cologne.rmrail"
