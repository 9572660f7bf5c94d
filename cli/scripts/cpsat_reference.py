#!/usr/bin/env python3
"""The CP-SAT reference for dagplan's PSPLIB and job-shop figures (BENCHMARKS.md, issue 13).

Solves single-mode PSPLIB files (.sm) and job shops (.jss) with OR-Tools CP-SAT. PSPLIB: a
start and an interval per job, one cumulative per renewable resource, the precedences.
Job shops: an interval per operation, the job's chain, one no-overlap per machine. Both
minimise the makespan. For each instance it writes one CSV row (instance, makespan, proven
bound, status, wall time) and the schedule as a dagplan schedule document
(`<out>/<instance>.json`, with the task and node names `dagplan convert` gives: "j1".."jN" on
"project"; "j<job>.<op>" on "m<machine>"), so that every schedule can be checked by the
independent verifier:

    pip install ortools
    python3 cli/scripts/cpsat_reference.py --time-limit 10 --workers 2 --out /tmp/cpsat \\
        --csv /tmp/cpsat.csv ../shared/data/psplib/j60/j601_*.sm
    for f in /tmp/cpsat/*.json; do
        dagplan verify ../shared/data/psplib/j60/$(basename "$f" .json).sm "$f" >/dev/null || echo "$f"
    done

`python3 cli/scripts/cpsat_reference.py summary <csv> <optimum.csv>` prints the summary (proven,
at the optimum, mean deviation from the best known and from CP-SAT's own bound, the gap on
the unproven, time); `summary-bench <csv>...` the same for `dagplan bench --csv` files.
`cli/scripts/cpsat_vs_dagplan.sh` alternates this script and `dagplan bench` over a set in
chunks, so both are measured in one run under the same load. Not run by CI (OR-Tools is a
Python package the library does not need).
"""

import argparse
import csv
import json
import os
import sys
import time

from ortools.sat.python import cp_model


def read_sm(path):
    """(durations, demands per job, capacities, successors per job) of a single-mode .sm file."""
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]

    def section(title):
        for i, line in enumerate(lines):
            if line.startswith(title):
                return i
        raise ValueError(f"{path}: no '{title}' section")

    jobs = None
    for line in lines:
        if line.startswith("jobs (incl. supersource/sink )"):
            jobs = int(line.split(":")[1])
    if jobs is None:
        raise ValueError(f"{path}: no job count")
    successors = [[] for _ in range(jobs)]
    start = section("PRECEDENCE RELATIONS") + 2
    for line in lines[start : start + jobs]:
        fields = [int(x) for x in line.split()]
        job, count = fields[0] - 1, fields[2]
        successors[job] = [s - 1 for s in fields[3 : 3 + count]]
    durations = [0] * jobs
    demands = [[] for _ in range(jobs)]
    start = section("REQUESTS/DURATIONS") + 3
    for line in lines[start : start + jobs]:
        fields = [int(x) for x in line.split()]
        job = fields[0] - 1
        durations[job] = fields[2]
        demands[job] = fields[3:]
    start = section("RESOURCEAVAILABILITIES") + 2
    capacities = [int(x) for x in lines[start].split()]
    return durations, demands, capacities, successors


def read_jss(path):
    """The jobs of a job-shop file (.jss): per job, its operations as (machine, duration)."""
    with open(path, encoding="utf-8") as f:
        lines = [line.split() for line in f if line.strip() and not line.startswith("#")]
    jobs, machines = int(lines[0][0]), int(lines[0][1])
    out = []
    for fields in lines[1 : 1 + jobs]:
        numbers = [int(x) for x in fields]
        out.append([(numbers[2 * k], numbers[2 * k + 1]) for k in range(machines)])
    return out


def solve_jss(path, time_limit, workers):
    jobs = read_jss(path)
    horizon = sum(d for ops in jobs for _, d in ops)
    model = cp_model.CpModel()
    per_machine, last, operations = {}, [], []
    for j, ops in enumerate(jobs):
        previous = None
        for k, (machine, duration) in enumerate(ops):
            start = model.new_int_var(0, horizon, f"s{j}.{k}")
            end = model.new_int_var(0, horizon, f"e{j}.{k}")
            per_machine.setdefault(machine, []).append(model.new_interval_var(start, duration, end, f"i{j}.{k}"))
            if previous is not None:
                model.add(start >= previous)
            previous = end
            operations.append((f"j{j + 1}.{k + 1}", f"m{machine}", start, end))
        last.append(previous)
    for intervals in per_machine.values():
        model.add_no_overlap(intervals)
    return run(model, last, horizon, operations, time_limit, workers)


def solve_sm(path, time_limit, workers):
    durations, demands, capacities, successors = read_sm(path)
    jobs = len(durations)
    horizon = sum(durations)
    model = cp_model.CpModel()
    starts = [model.new_int_var(0, horizon, f"s{j}") for j in range(jobs)]
    ends = [model.new_int_var(0, horizon, f"e{j}") for j in range(jobs)]
    intervals = [model.new_interval_var(starts[j], durations[j], ends[j], f"i{j}") for j in range(jobs)]
    for j, succ in enumerate(successors):
        for s in succ:
            model.add(starts[s] >= ends[j])
    for r, capacity in enumerate(capacities):
        used = [j for j in range(jobs) if demands[j][r] > 0 and durations[j] > 0]
        if used:
            model.add_cumulative([intervals[j] for j in used], [demands[j][r] for j in used], capacity)
    operations = [(f"j{j + 1}", "project", starts[j], ends[j]) for j in range(jobs)]
    return run(model, ends, horizon, operations, time_limit, workers)


def run(model, ends, horizon, operations, time_limit, workers):
    """Minimises the largest of `ends`: ((makespan, bound, schedule) or None, seconds, status)."""
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, ends)
    model.minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    started = time.perf_counter()
    status = solver.solve(model)
    wall = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, wall, solver.status_name(status)
    schedule = [
        {"task": task, "node": node, "start": solver.value(start), "finish": solver.value(end)}
        for task, node, start, end in operations
    ]
    found = solver.value(makespan)
    bound = int(round(solver.best_objective_bound))
    return (found, bound, schedule), wall, solver.status_name(status)


def summarise(rows_path, optimum_path):
    """Prints CP-SAT's summary over a CSV of this script: proven, at the best known, deviations."""
    # optimum.csv holds the optimum, or "lower..upper" (best known bounds) for open instances.
    best, optimum = {}, {}
    with open(optimum_path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            low, _, high = row["optimum"].partition("..")
            best[row["problem"]] = int(high or low)
            if not high:
                optimum[row["problem"]] = int(low)
    with open(rows_path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    solved = [r for r in rows if r["makespan"]]
    known = [r for r in solved if r["instance"] in best]
    proven = sum(r["status"] == "OPTIMAL" for r in solved)
    closed = [r for r in solved if r["instance"] in optimum]
    at_optimum = sum(int(r["makespan"]) == optimum[r["instance"]] for r in closed)
    dev_best = sum((int(r["makespan"]) - best[r["instance"]]) / best[r["instance"]] for r in known)
    dev_bound = sum((int(r["makespan"]) - int(r["bound"])) / max(int(r["bound"]), 1) for r in solved)
    open_rows = [r for r in solved if r["status"] != "OPTIMAL"]
    gap_open = sum((int(r["makespan"]) - int(r["bound"])) / max(int(r["bound"]), 1) for r in open_rows)
    seconds = sum(float(r["seconds"]) for r in rows)
    n = max(len(rows), 1)
    print(f"CP-SAT: instances {len(rows)}, with a schedule {len(solved)}, proven optimal {proven}, "
          f"at the optimum {at_optimum}/{len(closed)}, "
          f"dev. best known UB {100 * dev_best / max(len(known), 1):.2f} %, "
          f"dev. own bound {100 * dev_bound / max(len(solved), 1):.2f} %, "
          f"gap on the unproven {100 * gap_open / max(len(open_rows), 1):.2f} % over {len(open_rows)}, "
          f"mean time {seconds / n:.2f} s, total {seconds:.1f} s")


def summarise_bench(paths):
    """The same summary over `dagplan bench --csv` files (one row per instance)."""
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            rows += [row for row in csv.DictReader(f) if row["makespan"]]
    proven = sum(r["status"] == "optimal" for r in rows)
    closed = [r for r in rows if r["optimum_lower"] and r["optimum_lower"] == r["optimum_upper"]]
    at_optimum = sum(r["makespan"] == r["optimum_upper"] for r in closed)
    known = [r for r in rows if r["dev_upper_pct"]]
    dev_best = sum(float(r["dev_upper_pct"]) for r in known)
    open_rows = [r for r in rows if r["status"] != "optimal"]
    gap_open = sum((int(r["makespan"]) - int(r["lower_bound"])) / max(int(r["lower_bound"]), 1) for r in open_rows)
    seconds = [float(r["time_s"]) for r in rows]
    solver = rows[0]["solver"] if rows else "dagplan"
    print(f"{solver}: instances {len(rows)}, proven optimal {proven}, at the optimum {at_optimum}/{len(closed)}, "
          f"dev. best known UB {dev_best / max(len(known), 1):.2f} %, "
          f"gap on the unproven {100 * gap_open / max(len(open_rows), 1):.2f} % over {len(open_rows)}, "
          f"mean time {sum(seconds) / max(len(rows), 1):.2f} s, slowest {max(seconds, default=0):.2f} s")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "summary":
        summarise(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) >= 3 and sys.argv[1] == "summary-bench":
        summarise_bench(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", required=True, help="directory for the schedule documents")
    parser.add_argument("--csv", required=True, help="CSV file to append one row per instance to")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    new = not os.path.exists(args.csv)
    with open(args.csv, "a", newline="", encoding="utf-8") as out:
        rows = csv.writer(out)
        if new:
            rows.writerow(["instance", "makespan", "bound", "status", "seconds"])
        for path in args.files:
            name = os.path.basename(path)
            solve = solve_jss if path.endswith(".jss") else solve_sm
            result, wall, status = solve(path, args.time_limit, args.workers)
            if result is None:
                rows.writerow([name, "", "", status, f"{wall:.3f}"])
                print(f"{name}: {status}", file=sys.stderr)
                continue
            found, bound, schedule = result
            with open(os.path.join(args.out, os.path.splitext(name)[0] + ".json"), "w", encoding="utf-8") as f:
                json.dump({"makespan": found, "assignments": schedule}, f)
            rows.writerow([name, found, bound, status, f"{wall:.3f}"])
            out.flush()


if __name__ == "__main__":
    main()
