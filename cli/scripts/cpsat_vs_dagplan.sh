#!/usr/bin/env bash
# CP-SAT and a dagplan solver over the same PSPLIB or job-shop instances in one run: chunks of CHUNK
# instances alternate between `dagplan bench` and cli/scripts/cpsat_reference.py, so both meet
# the same machine load. Every CP-SAT schedule then goes through `dagplan verify` (dagplan's
# own are verified by `bench`). Usage:
#   cli/scripts/cpsat_vs_dagplan.sh SET_DIR COUNT OUT_DIR [SOLVER] [SECONDS] [THREADS]
# e.g. cli/scripts/cpsat_vs_dagplan.sh ../shared/data/psplib/j60 120 /tmp/j60 auto 10 2
set -euo pipefail
set_dir=$1; count=$2; out=$3; solver=${4:-auto}; seconds=${5:-10}; threads=${6:-2}
chunk=${CHUNK:-10}
dagplan=${DAGPLAN:-dagplan}
here=$(dirname "$0")
mkdir -p "$out"; rm -f "$out/cpsat.csv" "$out/dagplan.csv" "$out"/dagplan-*.csv
mapfile -t files < <(ls "$set_dir"/*.sm "$set_dir"/*.jss 2>/dev/null | sort -V | head -n "$count")
for ((offset = 0; offset < ${#files[@]}; offset += chunk)); do
  "$dagplan" bench --solver "$solver" --time-limit "$seconds" --threads "$threads" \
    --offset "$offset" --limit "$chunk" --csv "$out/dagplan-$offset.csv" "$set_dir" > "$out/dagplan-$offset.txt"
  python3 "$here/cpsat_reference.py" --time-limit "$seconds" --workers "$threads" --out "$out/cpsat" \
    --csv "$out/cpsat.csv" "${files[@]:offset:chunk}"
done
bad=0
for f in "$out"/cpsat/*.json; do
  problem=$(ls "$set_dir/$(basename "$f" .json)".* | head -n 1)
  "$dagplan" verify "$problem" "$f" > /dev/null || { echo "INVALID: $f"; bad=1; }
done
echo "CP-SAT schedules verified: $(ls "$out"/cpsat/*.json | wc -l), invalid: $bad"
python3 "$here/cpsat_reference.py" summary "$out/cpsat.csv" "$set_dir/optimum/optimum.csv"
python3 "$here/cpsat_reference.py" summary-bench "$out"/dagplan-*.csv
