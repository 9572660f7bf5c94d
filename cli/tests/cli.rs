//! The `dagplan` binary, run as a user runs it: every subcommand, with good input (exit code
//! 0 and what it prints) and bad arguments and files (exit code 2 and a message naming the
//! problem; never a panic, never a silent default).

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test helpers fail loudly on broken fixtures")]

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of `dagplan` did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts the exit code and returns the run; no run may panic.
    fn code(self, expected: i32) -> Self {
        assert_eq!(self.code, expected, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }

    /// Asserts exit code 2 and an error message containing `text`.
    fn fails_with(self, text: &str) -> Self {
        let run = self.code(2);
        assert!(run.stderr.contains(text), "expected `{text}` in stderr:\n{}", run.stderr);
        run
    }

    fn prints(self, text: &str) -> Self {
        assert!(self.stdout.contains(text), "expected `{text}` in stdout:\n{}", self.stdout);
        self
    }
}

fn dagplan(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_dagplan")).args(args).output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A scratch directory, removed at the end of the test.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("dagplan-cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.0.join(name)).unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A file of the repository's `data/` folder.
fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data").join(name).display().to_string()
}

fn five_tasks() -> String {
    data("five_tasks.json")
}

/// The documented deployment of the five-task example as a plain schedule (optimal: 70).
const DEPLOYMENT: &str = r#"{"makespan": 70, "assignments": [
  {"task": "v1", "node": "n1", "start": 0, "finish": 10},
  {"task": "v2", "node": "n2", "start": 10, "finish": 30},
  {"task": "v3", "node": "n3", "start": 10, "finish": 40},
  {"task": "v4", "node": "n2", "start": 40, "finish": 60},
  {"task": "v5", "node": "n1", "start": 60, "finish": 70}]}"#;

/// A result document of the five-task example, written by `dagplan solve --out`.
fn solved(dir: &TempDir, solver: &str) -> String {
    let out = dir.path(&format!("{}.json", solver.replace('/', "-")));
    dagplan(&["solve", &five_tasks(), "--solver", solver, "--out", &out]).code(0);
    out
}

#[test]
fn usage_help_and_version() {
    dagplan(&[]).code(2);
    let help = dagplan(&["--help"]).code(0);
    for command in ["solve", "verify", "bench", "render", "convert", "explain", "export", "solvers"] {
        assert!(help.stdout.contains(command), "{command} missing from the help:\n{}", help.stdout);
    }
    dagplan(&["--version"]).code(0).prints(env!("CARGO_PKG_VERSION"));
    dagplan(&["solve", "--help"]).code(0).prints("--time-limit");
    dagplan(&["plan", "x.json"]).fails_with("unrecognized subcommand 'plan'");
    dagplan(&["solvers"]).code(0).prints("critical-path\ngreedy\n");
}

#[test]
fn misspelt_options_are_errors() {
    dagplan(&["solve", &five_tasks(), "--solvr", "dp"]).fails_with("unexpected argument '--solvr'");
    dagplan(&["bench", "dir", "--solver", "greedy", "--limt", "5"]).fails_with("unexpected argument '--limt'");
    dagplan(&["solve", &five_tasks(), "extra.json"]).fails_with("unexpected argument 'extra.json'");
    dagplan(&["solve"]).fails_with("<PROBLEM>");
}

#[test]
fn solve_prints_the_row_the_bounds_and_the_gantt_and_writes_the_result() {
    let dir = TempDir::new("solve");
    let (out, svg) = (dir.path("result.json"), dir.path("plan.svg"));
    let run = dagplan(&["solve", &five_tasks(), "--out", &out, "--svg", &svg, "--seed", "3", "--threads", "1"]).code(0);
    let run = run.prints("5 tasks, 3 nodes, 5 dependencies, resources cpu, memory");
    let run = run.prints("lower bound 70 (proven; the problem's bounds: critical path 70, energy of cpu");
    let run = run.prints("gap 0.00%").prints("makespan 70").prints("optimal");
    assert!(run.stdout.lines().any(|l| l.starts_with("greedy") && l.contains(" 70 ")), "{}", run.stdout);
    let result = dir.read("result.json");
    assert!(result.contains("\"version\": 1") && result.contains("\"solver\": \"greedy\""), "{result}");
    assert!(result.contains("\"seed\": 3") && result.contains("\"threads\": 1"), "{result}");
    assert!(dir.read("plan.svg").starts_with("<svg") && dir.read("plan.svg").matches("<title>").count() >= 5);

    let dp = dagplan(&["solve", &five_tasks(), "--solver", "dp", "--time-limit", "5"]).code(0).prints("dp ");
    assert!(!dp.stdout.contains("found by"), "only a portfolio lists members:\n{}", dp.stdout);
    // The portfolio says who found the plan and who proved the bound (here greedy's plan meets
    // the crate's bound at once), then one row per member.
    let auto = dagplan(&["solve", &five_tasks(), "--solver", "auto", "--time-limit", "5", "--threads", "2"]).code(0);
    let auto = auto.prints("plan found by greedy, bound proved by the problem's lower bounds");
    assert!(
        auto.stdout.lines().any(|l| l.starts_with("greedy") && l.contains("optimal") && l.contains(" 70 ")),
        "{}",
        auto.stdout
    );
    dagplan(&["solve", &five_tasks(), "--solver", "greedy/lft/parallel"]).code(0).prints("greedy/lft/parallel");
    dagplan(&["solve", &five_tasks(), "--solver", "greedy/spt/serial/first-fit"]).code(0).prints("makespan");
}

#[test]
fn solve_reads_every_format_and_says_which_file_is_wrong() {
    let dir = TempDir::new("formats");
    let jss = dir.write("two.jss", "2 1\n0 3\n0 5\n");
    dagplan(&["solve", &jss, "--solver", "critical-path"]).code(0).prints("makespan 8");
    let txt = dir.write("two.txt", "2 1\n0 3\n0 5\n");
    dagplan(&["solve", &txt]).fails_with("two.txt");
    dagplan(&["solve", &txt, "--input-format", "jss"]).code(0).prints("makespan 8");
    dagplan(&["solve", &txt, "--input-format", "toml"]).fails_with("unknown format `toml`");
    let bad = dir.write("bad.jss", "1 1\n0\n");
    dagplan(&["solve", &bad]).fails_with("bad.jss:2:2");
    let cycle = dir.write(
        "cycle.json",
        r#"{"nodes": [{"name": "n", "capacity": {"cpu": 1}}], "tasks": [
            {"name": "a", "duration": 1, "after": ["b"]}, {"name": "b", "duration": 1, "after": ["a"]}]}"#,
    );
    dagplan(&["solve", &cycle]).fails_with("cycle");
    dagplan(&["solve", &dir.path("missing.json")]).fails_with("missing.json");
}

#[test]
fn solve_rejects_bad_options() {
    let five = five_tasks();
    dagplan(&["solve", &five, "--solver", "gredy"]).fails_with("unknown solver `gredy`");
    dagplan(&["solve", &five, "--solver", "greedy/fast/serial"]).fails_with("unknown rule `fast` (the rules are");
    dagplan(&["solve", &five, "--solver", "greedy/lft"]).fails_with("expected greedy/RULE/SCHEME");
    dagplan(&["solve", &five, "--time-limit", "-1"]).fails_with("--time-limit");
    dagplan(&["solve", &five, "--time-limit", "soon"]).fails_with("expected a number of seconds");
    dagplan(&["solve", &five, "--threads", "-2"]).fails_with("--threads");
    dagplan(&["solve", &five, "--seed", "x"]).fails_with("--seed");
    dagplan(&["solve", &five, "--max-states", "10"]).fails_with("--max-states applies to the `dp` solver");
    dagplan(&["solve", &five, "--solver", "dp", "--schedules", "10"]).fails_with("--schedules applies to the `search`");
    dagplan(&["solve", &five, "--solver", "all"]).fails_with("solve runs one solver");
    dagplan(&["solve", &five, "--solver", "greedy/all"]).fails_with("solve runs one solver");
    dagplan(&["solve", &five, "--out", "/nonexistent/dir/r.json"]).fails_with("cannot write /nonexistent/dir/r.json");
}

#[test]
fn solve_answers_no_with_exit_code_1_when_no_plan_meets_the_deadlines() {
    let dir = TempDir::new("deadlines");
    // Each deadline can be met alone, not both: one node runs one task at a time.
    let problem = dir.write(
        "late.json",
        r#"{"nodes": [{"name": "n", "capacity": {"cpu": 1}}], "tasks": [
            {"name": "a", "duration": 5, "demand": {"cpu": 1}, "deadline": 6},
            {"name": "b", "duration": 5, "demand": {"cpu": 1}, "deadline": 6}]}"#,
    );
    let run = dagplan(&["solve", &problem, "--solver", "greedy"]).code(1);
    assert!(run.stderr.contains("deadline"), "{}", run.stderr);
    let out = dir.path("late-result.json");
    dagplan(&["solve", &problem, "--solver", "dp", "--out", &out]).code(1).prints("proved that no plan meets");
    assert!(dir.read("late-result.json").contains("\"status\": \"infeasible\""));
    dagplan(&["verify", &problem, &out]).code(1).prints("no plan to check");
    dagplan(&["explain", &problem]).code(0).prints("latest finish (deadlines)");
    // Downtime in the way of a chain and a deadline: the critical path method proves it,
    // and the answer names the task and the times.
    let downtime = dir.write(
        "down.json",
        r#"{"nodes": [{"name": "n", "unavailable": [{"from": 4, "to": 10}]}], "tasks": [
            {"name": "b", "duration": 2},
            {"name": "a", "duration": 3, "deadline": 9, "after": ["b"]}]}"#,
    );
    dagplan(&["solve", &downtime, "--solver", "greedy"])
        .code(1)
        .prints("a finishes at 13 at the earliest (around downtime) but must finish by 4");
}

#[test]
fn verify_accepts_result_documents_and_schedules() {
    let dir = TempDir::new("verify");
    let result = solved(&dir, "greedy");
    dagplan(&["verify", &five_tasks(), &result])
        .code(0)
        .prints("valid")
        .prints("result of greedy: optimal, lower bound 70");
    let schedule = dir.write("deployment.json", DEPLOYMENT);
    dagplan(&["verify", &five_tasks(), &schedule]).code(0).prints("valid").prints("makespan 70");
}

#[test]
fn verify_lists_every_violation_with_exit_code_1() {
    let dir = TempDir::new("violations");
    // v2 starts before v1 finishes, and v4 runs on n1 with too little time.
    let broken = DEPLOYMENT
        .replace(r#""start": 10, "finish": 30"#, r#""start": 5, "finish": 25"#)
        .replace(r#""node": "n2", "start": 40, "finish": 60"#, r#""node": "n2", "start": 40, "finish": 50"#);
    let path = dir.write("broken.json", &broken);
    let run = dagplan(&["verify", &five_tasks(), &path]).code(1).prints("INVALID").prints("breaks 2 rules");
    assert!(run.stdout.contains("v2") && run.stdout.contains("v4"), "{}", run.stdout);
}

#[test]
fn verify_refuses_bad_plans_with_a_message() {
    let dir = TempDir::new("badplans");
    let result = std::fs::read_to_string(solved(&dir, "critical-path")).unwrap();
    let newer = dir.write("newer.json", &result.replace("\"version\": 1", "\"version\": 2"));
    dagplan(&["verify", &five_tasks(), &newer]).fails_with("version 2 is newer than this dagplan reads");
    let lying = dir.write("lying.json", &result.replace("\"makespan\": 70", "\"makespan\": 60"));
    dagplan(&["verify", &five_tasks(), &lying]).fails_with("contradicts itself");
    let extra = dir.write("extra.json", &result.replacen("\"version\": 1", "\"version\": 1, \"note\": 1", 1));
    dagplan(&["verify", &five_tasks(), &extra]).fails_with("unknown field `note`");
    let unknown = dir.write("unknown.json", &DEPLOYMENT.replace("\"v5\"", "\"v9\""));
    dagplan(&["verify", &five_tasks(), &unknown]).fails_with("v9");
    let garbage = dir.write("garbage.json", "not json");
    dagplan(&["verify", &five_tasks(), &garbage]).fails_with("garbage.json");
    dagplan(&["verify", &five_tasks(), &dir.path("none.json")]).fails_with("none.json");
    dagplan(&["verify", &five_tasks()]).fails_with("<PLAN>");
}

#[test]
fn render_draws_every_format() {
    let dir = TempDir::new("render");
    let result = solved(&dir, "greedy");
    let five = five_tasks();
    dagplan(&["render", &five, &result, "--format", "text", "--width", "30"]).code(0).prints("makespan 70");
    let svg = dagplan(&["render", &five, &result, "--format", "svg", "--resource", "memory"]).code(0);
    assert!(svg.stdout.starts_with("<svg") && svg.stdout.matches("<title>").count() >= 5);
    let html = dagplan(&["render", &five, &result, &solved(&dir, "critical-path"), "--format", "html"]).code(0);
    assert!(html.stdout.starts_with("<!DOCTYPE html>") && html.stdout.contains("critical-path"));
    let mermaid = dagplan(&["render", &five, &result, "--format", "mermaid"]).code(0).prints("gantt");
    for task in ["v1", "v2", "v3", "v4", "v5"] {
        assert!(mermaid.stdout.contains(task), "{}", mermaid.stdout);
    }
    let schedule = dir.write("deployment.json", DEPLOYMENT);
    let out = dir.path("plan.svg");
    dagplan(&["render", &five, &schedule, "--format", "svg", "--dependencies", "--out", &out]).code(0);
    assert!(dir.read("plan.svg").starts_with("<svg"));
}

#[test]
fn render_rejects_what_it_cannot_draw() {
    let dir = TempDir::new("renderbad");
    let five = five_tasks();
    let schedule = dir.write("deployment.json", DEPLOYMENT);
    dagplan(&["render", &five, &schedule, "--format", "html"]).fails_with("needs result documents");
    dagplan(&["render", &five, &schedule, &schedule, "--format", "svg"]).fails_with("draws one plan, 2 given");
    dagplan(&["render", &five, &schedule, "--format", "svg", "--resource", "gpu"]).fails_with("unknown resource `gpu`");
    dagplan(&["render", &five, &schedule, "--format", "svg", "--width", "10"]).fails_with("out of range");
    dagplan(&["render", &five, &schedule, "--format", "text", "--resource", "cpu"]).fails_with("svg and html only");
    dagplan(&["render", &five, &schedule, "--format", "mermaid", "--width", "80"]).fails_with("has no width");
    dagplan(&["render", &five, &schedule, "--format", "png"]).fails_with("invalid value 'png'");
    dagplan(&["render", &five, &schedule]).fails_with("--format <FORMAT>");
    let broken =
        dir.write("broken.json", &DEPLOYMENT.replace(r#""start": 10, "finish": 30"#, r#""start": 5, "finish": 25"#));
    let run = dagplan(&["render", &five, &broken, "--format", "text"]).code(0);
    assert!(run.stderr.contains("warning: drawing a plan that breaks the rules"), "{}", run.stderr);
}

#[test]
fn convert_writes_the_json_format() {
    let dir = TempDir::new("convert");
    let jss = dir.write("two.jss", "2 1\n0 3\n0 5\n");
    let run = dagplan(&["convert", &jss, "--to", "json"]).code(0);
    let problem = dagplan::io::read_json_str(&run.stdout).unwrap();
    assert_eq!((problem.task_count(), problem.node_count()), (2, 1));
    let out = dir.path("two.json");
    dagplan(&["convert", &jss, "--to", "json", "--out", &out]).code(0);
    dagplan(&["solve", &out, "--solver", "critical-path"]).code(0).prints("makespan 8");
    dagplan(&["convert", &jss, "--to", "yaml"]).fails_with("invalid value 'yaml'");
    dagplan(&["convert", &jss]).fails_with("--to <FORMAT>");
}

#[test]
fn explain_shows_the_critical_path_the_slack_and_the_binding_bound() {
    let run = dagplan(&["explain", &five_tasks()]).code(0);
    let run = run.prints("Critical path (length 70").prints("v1 -> v3 -> v4 -> v5");
    let v2 = run.stdout.lines().find(|l| l.starts_with("v2 ")).unwrap();
    let columns: Vec<&str> = v2.split_whitespace().collect();
    assert_eq!(columns, ["v2", "20", "10", "20", "10"], "duration, earliest start, latest start, slack");
    let v3 = run.stdout.lines().find(|l| l.starts_with("v3 ")).unwrap();
    assert!(v3.ends_with("yes"), "{v3}");
    let bound = run.stdout.lines().find(|l| l.trim_start().starts_with("critical path ")).unwrap();
    assert!(bound.ends_with("70  binds"), "{bound}");
    run.prints("best lower bound 70, from the critical path");
    dagplan(&["explain", "nowhere.json"]).fails_with("nowhere.json");
}

/// A tiny set: job shops whose optima are known by hand.
fn tiny_set(dir: &TempDir, optimum_of_b: u64) -> String {
    dir.write("set/a1.jss", "1 2\n0 4 1 6\n"); // one job: 10
    dir.write("set/a2.jss", "1 1\n0 4\n"); // 4
    dir.write("set/b1.jss", "2 1\n0 3\n0 5\n"); // two jobs, one machine: 8
    dir.write("set/optimum/optimum.csv", &format!("problem,optimum\na1.jss,10\na2.jss,4\nb1.jss,{optimum_of_b}\n"));
    dir.path("set")
}

#[test]
fn bench_runs_the_harness_with_a_table_and_a_csv() {
    let dir = TempDir::new("bench");
    let set = tiny_set(&dir, 8);
    let csv = dir.path("out.csv");
    let run = dagplan(&["bench", &set, "--solver", "critical-path,greedy", "--csv", &csv, "--verbose"]).code(0);
    let run = run.prints("solvers critical-path, greedy; time limit none per instance; threads all");
    run.prints("| set | critical-path | 3 | 0 | 3/3 | 3 |").prints("| set | greedy | 3 | 0 | 3/3 | 3 |");
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    assert_eq!(reader.headers().unwrap().len(), 16);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    assert_eq!((&rows[0][1], &rows[0][2], &rows[0][5], &rows[0][6]), ("a1.jss", "critical-path", "optimal", "10"));

    let run = dagplan(&["bench", &set, "--solver", "greedy/all", "--every", "2", "--offset", "1"]).code(0);
    assert_eq!(run.stdout.matches("| set | greedy/").count(), 14, "{}", run.stdout);
    assert!(run.stdout.contains("| set | greedy/lft/serial | 1 |"), "{}", run.stdout);
    dagplan(&["bench", &set, "--solver", "dp", "--only", "b1.jss", "--max-states", "1000", "--time-limit", "5"])
        .code(0)
        .prints("| set | dp | 1 | 0 | 1/1 | 1 |");
    // `--verbose` names the member of `auto` that found each plan and the one that proved it.
    let run = dagplan(&["bench", &set, "--solver", "auto", "--only", "b1.jss", "--time-limit", "5", "--verbose"]);
    let run = run.code(0);
    assert!(run.stderr.contains("auto: 8 (optimal, bound 8)"), "{}", run.stderr);
    assert!(run.stderr.contains("found_by=greedy proved_by=bounds"), "{}", run.stderr);
    let run = dagplan(&["bench", &set, "--solver", "topological", "--max-tasks", "1", "--limit", "2"]).code(0);
    assert!(run.stderr.contains("1 instance(s) skipped: more than 1 tasks"), "{}", run.stderr);
}

#[test]
fn bench_stops_on_a_contradiction_and_on_bad_arguments() {
    let dir = TempDir::new("benchbad");
    let wrong = tiny_set(&dir, 9);
    dagplan(&["bench", &wrong, "--solver", "critical-path"]).fails_with("makespan 8 is below the known lower bound 9");
    dagplan(&["bench", &wrong]).fails_with("--solver <NAME>");
    dagplan(&["bench", "--solver", "greedy"]).fails_with("<DIR>");
    dagplan(&["bench", &wrong, "--solver", "fast"]).fails_with("unknown solver `fast`");
    dagplan(&["bench", &wrong, "--solver", "greedy", "--every", "0"]).fails_with("--every");
    dagplan(&["bench", &wrong, "--solver", "greedy", "--only", "zz.jss"]).fails_with("no instance named `zz.jss`");
    dagplan(&["bench", &wrong, "--solver", "greedy", "--no-shaving"]).fails_with("--no-shaving applies to the `ilp`");
    let empty = TempDir::new("benchempty");
    dagplan(&["bench", &empty.path(""), "--solver", "greedy"]).fails_with("no problem files");
    dagplan(&["bench", &dir.path("nowhere"), "--solver", "greedy"]).fails_with("nowhere");
    dir.write("bad/x.jss", "1 1\n0\n");
    dagplan(&["bench", &dir.path("bad"), "--solver", "greedy"]).fails_with("x.jss:2:2");
}

/// JSON nodes in quantities for the five-task example: one node large enough for all.
const ONE_NODE: &str = r#"{"nodes": [{"name": "big", "capacity": {"cpu": 8, "memory": 32}}]}"#;

#[test]
fn cluster_replaces_the_nodes_wherever_a_problem_is_read() {
    let dir = TempDir::new("cluster");
    let nodes = dir.write("nodes.json", ONE_NODE);
    let five = five_tasks();
    // On one node v2 and v3 share it; the plan is still 70 (cpu 2 + 4 of 8).
    dagplan(&["solve", &five, "--cluster", &nodes]).code(0).prints("on ").prints("1 node").prints("makespan 70");
    dagplan(&["explain", &five, "--cluster", &nodes]).code(0).prints("1 node");
    let run = dagplan(&["convert", &five, "--to", "json", "--cluster", &nodes]).code(0);
    assert_eq!(dagplan::io::read_json_str(&run.stdout).unwrap().node_count(), 1);
    let small = dir.write("small.json", r#"{"nodes": [{"name": "s", "capacity": {"cpu": 1, "memory": 4}}]}"#);
    dagplan(&["solve", &five, "--cluster", &small]).fails_with("on the cluster");
    let neither = dir.write("neither.json", r#"{"items": []}"#);
    dagplan(&["solve", &five, "--cluster", &neither]).fails_with("NodeList");
    dagplan(&["solve", &five, "--cluster", &dir.path("none.json")]).fails_with("none.json");
}

#[test]
fn argo_workflows_plan_on_a_node_list_and_export_back() {
    let dir = TempDir::new("argo");
    let (train, nodes) = (data("kubernetes/train.yaml"), data("kubernetes/nodes.json"));
    dagplan(&["solve", &train]).fails_with("give the cluster with --cluster NODES");
    let result = dir.path("train-result.json");
    dagplan(&["solve", &train, "--cluster", &nodes, "--out", &result]).code(0).prints("makespan");
    dagplan(&["verify", &train, &result, "--cluster", &nodes]).code(0).prints("valid");
    let yaml = dagplan(&["export", &train, &result, "--format", "argo", "--cluster", &nodes]).code(0);
    assert!(
        yaml.stdout.contains("kind: Workflow") && yaml.stdout.contains("kubernetes.io/hostname"),
        "{}",
        yaml.stdout
    );
    let json = dagplan(&["export", &train, &result, "--format", "argo", "--cluster", &nodes, "--json"]).code(0);
    let manifest: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(manifest["kind"], "Workflow");
    dagplan(&["export", &train, &result, "--format", "argo", "--cluster", &nodes, "--image", "x"])
        .fails_with("--image and --name apply to problems not read from an Argo workflow");
    dagplan(&["export", &train, &result, "--format", "helm", "--cluster", &nodes]).fails_with("invalid value 'helm'");
    dagplan(&["solve", &train, "--cluster", &nodes, "--bandwidth", "1G"]).fails_with("WfCommons traces only");
    dagplan(&["solve", &five_tasks(), "--durations", &nodes]).fails_with("Argo workflows only");
}

#[test]
fn export_writes_any_plan_as_an_argo_workflow() {
    let dir = TempDir::new("export");
    let five = five_tasks();
    let schedule = dir.write("deployment.json", DEPLOYMENT);
    let run = dagplan(&["export", &five, &schedule, "--format", "argo", "--image", "alpine:3.20", "--name", "five-"]);
    let run = run.code(0).prints("image: alpine:3.20").prints("five-");
    for task in ["v1", "v2", "v3", "v4", "v5"] {
        assert!(run.stdout.contains(task), "{}", run.stdout);
    }
    let broken =
        dir.write("broken.json", &DEPLOYMENT.replace(r#""start": 10, "finish": 30"#, r#""start": 5, "finish": 25"#));
    dagplan(&["export", &five, &broken, "--format", "argo"]).fails_with("not a valid plan");
    dagplan(&["export", &five, &schedule]).fails_with("--format <FORMAT>");
}

#[test]
fn wfcommons_traces_plan_with_their_recorded_machines() {
    let Some(dir) = common::shared_data("wfcommons") else { return };
    let trace = dir.join("helloworld-chain-5-chameleon.json").display().to_string();
    dagplan(&["solve", &trace, "--solver", "critical-path", "--bandwidth", "100M", "--ticks-per-second", "10"])
        .code(0)
        .prints("makespan");
    dagplan(&["explain", &trace, "--cluster", &data("kubernetes/nodes.json")]).code(0).prints("Critical path");
    dagplan(&["solve", &trace, "--ticks-per-second", "0"]).fails_with("--ticks-per-second");
    dagplan(&["solve", &trace, "--bandwidth", "fast"]).fails_with("--bandwidth");
}
