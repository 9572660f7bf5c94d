//! Argo Workflows in and out: every Argo example imports or is refused with its reason;
//! every exported plan is a Workflow by Argo's own JSON Schema, keeps every dependency, pins
//! every task to its planned node, and reads back as the same plan.

#![cfg(feature = "yaml")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dagplan::io::argo::{ArgoExport, ArgoOptions, ArgoWorkflow, export_argo, parse_argo, read_argo, to_yaml};
use dagplan::io::wfcommons::{WfCommonsOptions, read_wfcommons};
use dagplan::io::{ParseError, read_cluster};
use dagplan::{Greedy, Problem, ProblemSpec, Schedule, Scheduler};
use serde_json::Value;

const NODES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kubernetes/nodes.json");
const TRAIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kubernetes/train.yaml");
const WORKFLOW: &str = "io.argoproj.workflow.v1alpha1.Workflow";

/// Argo's schema of a Workflow, compiled once per test.
struct ArgoSchema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl ArgoSchema {
    fn load() -> Option<Self> {
        let path = common::shared_data("kubernetes/argo-workflow.schema.json")?;
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let id = schema["$id"].as_str().unwrap().to_owned();
        let mut compiler = boon::Compiler::new();
        compiler.add_resource(&id, schema).unwrap();
        let mut schemas = boon::Schemas::new();
        let index = compiler.compile(&format!("{id}#/definitions/{WORKFLOW}"), &mut schemas).unwrap();
        Some(Self { schemas, index })
    }

    fn check(&self, manifest: &Value, case: &str) {
        if let Err(e) = self.schemas.validate(manifest, self.index) {
            panic!("{case}: the exported manifest is not an Argo Workflow: {e:#}\n{manifest:#}");
        }
    }
}

fn cluster() -> Vec<dagplan::NodeSpec> {
    read_cluster(NODES).unwrap()
}

/// Durations for the Argo examples' templates.
fn example_durations() -> ArgoOptions {
    ArgoOptions::default().durations(BTreeMap::from([("echo".into(), 5), ("pass".into(), 3), ("fail".into(), 1)]))
}

fn plan(spec: &ProblemSpec) -> (Problem, Schedule) {
    let problem = spec.clone().on_cluster(cluster()).build().unwrap();
    let solution = Greedy::default().schedule(&problem).unwrap();
    solution.schedule.verify(&problem).unwrap();
    (problem, solution.schedule)
}

/// The DAG tasks of an exported manifest by name: (template, depends).
fn dag_tasks(manifest: &Value) -> BTreeMap<String, (String, String)> {
    let entry = manifest["spec"]["entrypoint"].as_str().unwrap();
    let templates = manifest["spec"]["templates"].as_array().unwrap();
    let dag = templates.iter().find(|t| t["name"] == entry).unwrap();
    dag["dag"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let name = t["name"].as_str().unwrap().to_owned();
            (name, (t["template"].as_str().unwrap().to_owned(), t["depends"].as_str().unwrap_or("").to_owned()))
        })
        .collect()
}

/// The names a `depends` expression mentions.
fn mentioned(depends: &str) -> BTreeSet<String> {
    depends
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        .filter(|w| !w.is_empty())
        .map(|w| w.split('.').next().unwrap().to_owned())
        .collect()
}

/// Exports the plan, validates it, and checks dependencies, pins and the round trip.
fn export_and_check(
    schema: &ArgoSchema,
    problem: &Problem,
    schedule: &Schedule,
    source: Option<&ArgoWorkflow>,
    case: &str,
) {
    let mut options = ArgoExport::new();
    if let Some(source) = source {
        options = options.source(source);
    }
    let manifest = export_argo(problem, schedule, &options).unwrap();
    schema.check(&manifest, case);
    let tasks = dag_tasks(&manifest);
    assert_eq!(tasks.len(), problem.task_count(), "{case}");
    let templates: BTreeMap<&str, &Value> =
        manifest["spec"]["templates"].as_array().unwrap().iter().map(|t| (t["name"].as_str().unwrap(), t)).collect();
    // Each task's Argo name, through the template annotation.
    let argo_name: BTreeMap<String, String> = tasks
        .iter()
        .map(|(name, (template, _))| {
            let task = templates[template.as_str()]["metadata"]["annotations"]["dagplan.io/task"].as_str().unwrap();
            (task.to_owned(), name.clone())
        })
        .collect();
    for a in schedule.assignments() {
        let name = &argo_name[problem.task_name(a.task)];
        let (template, depends) = &tasks[name];
        let template = templates[template.as_str()];
        let host = &template["nodeSelector"]["kubernetes.io/hostname"];
        let labels = problem.node_labels(a.node);
        let expected = labels.get("kubernetes.io/hostname").map_or(problem.node_name(a.node), String::as_str);
        assert_eq!(host, expected, "{case}: `{name}` pinned");
        assert!(template.get("nodeName").is_none(), "{case}: nodeName skips the scheduler's checks");
        let mentions = mentioned(depends);
        for e in problem.predecessors(a.task) {
            let before = &argo_name[problem.task_name(e.task)];
            assert!(mentions.contains(before), "{case}: `{name}` lost its dependency `{before}`: {depends}");
        }
        // On its node, every task planned to end by its start is ordered before it.
        for b in schedule.assignments().iter().filter(|b| b.node == a.node && b.task != a.task) {
            if b.finish <= a.start && b.start < a.start {
                let b_name = &argo_name[problem.task_name(b.task)];
                let implied = transitively_before(&tasks, b_name, name);
                assert!(implied, "{case}: `{b_name}` is planned before `{name}` on its node but not ordered");
            }
        }
    }
    // Round trip: the manifest reads back as the same tasks, each pinned to its node, and the
    // plan is a plan of it.
    let yaml = to_yaml(&manifest).unwrap();
    let again = parse_argo(&yaml, &ArgoOptions::default()).unwrap_or_else(|e| panic!("{case}: {e}\n{yaml}"));
    let reread = again.spec.on_cluster(cluster_of(problem)).build().unwrap();
    assert_eq!(reread.task_count(), problem.task_count(), "{case}");
    let renamed: Vec<dagplan::Assignment> = schedule
        .assignments()
        .iter()
        .map(|a| {
            let task = reread.task_id(&argo_name[problem.task_name(a.task)]).unwrap();
            assert_eq!(reread.options(task).map(|(n, _)| n).collect::<Vec<_>>(), [a.node], "{case}: pinned on read");
            assert_eq!(reread.duration_on(task, a.node), Some(a.finish - a.start), "{case}");
            dagplan::Assignment { task, ..*a }
        })
        .collect();
    Schedule::new(renamed).verify(&reread).unwrap_or_else(|e| panic!("{case}: {e}"));
}

/// The nodes of a problem as specs (labels kept).
fn cluster_of(problem: &Problem) -> Vec<dagplan::NodeSpec> {
    problem.to_spec().nodes
}

fn transitively_before(tasks: &BTreeMap<String, (String, String)>, from: &str, to: &str) -> bool {
    let mut todo = vec![to.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(t) = todo.pop() {
        if t == from {
            return true;
        }
        if seen.insert(t.clone()) {
            todo.extend(mentioned(&tasks[&t].1));
        }
    }
    false
}

#[test]
fn every_argo_example_imports_or_is_refused_with_its_reason() {
    let Some(dir) = common::shared_data("kubernetes/argo-examples") else { return };
    let Some(schema) = ArgoSchema::load() else { return };
    let expected: BTreeMap<&str, Result<usize, &str>> = BTreeMap::from([
        ("dag-diamond.yaml", Ok(4)),
        ("dag-multiroot.yaml", Ok(4)),
        ("dag-enhanced-depends.yaml", Ok(7)),
        ("dag-nested.yaml", Ok(16)),
        ("dag-targets.yaml", Ok(3)),
        ("dag-diamond-steps.yaml", Err("runs `echo-thrice`, a steps template")),
    ]);
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        let outcome = read_argo(&path, &example_durations());
        match (expected.get(file.as_str()), outcome) {
            (Some(Ok(count)), Ok(workflow)) => {
                assert_eq!(workflow.spec.tasks.len(), *count, "{file}");
                let (problem, schedule) = plan(&workflow.spec);
                export_and_check(&schema, &problem, &schedule, Some(&workflow), &file);
            }
            (Some(Err(reason)), Err(e)) => {
                assert!(matches!(e, ParseError::Content { .. }), "{file}: {e:?}");
                assert!(e.to_string().contains(reason), "{file}: {e}");
            }
            (want, got) => panic!("{file}: expected {want:?}, got {got:?}"),
        }
        seen += 1;
    }
    assert_eq!(seen, expected.len(), "a new example: add it to the table");
}

#[test]
fn dependencies_targets_and_nesting_are_read_as_argo_runs_them() {
    let Some(dir) = common::shared_data("kubernetes/argo-examples") else { return };
    let read = |file: &str| read_argo(dir.join(file), &example_durations()).unwrap().spec;
    let after = |spec: &ProblemSpec, task: &str| -> Vec<String> {
        let t = spec.tasks.iter().find(|t| t.name == task).unwrap();
        t.after.iter().map(|d| d.task().to_owned()).collect()
    };
    let targets = read("dag-targets.yaml");
    let names: Vec<&str> = targets.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["A", "C", "E"], "target E (the workflow parameter's default) needs A and C");
    let nested = read("dag-nested.yaml");
    assert_eq!(after(&nested, "B-A"), ["A-D"], "the inner roots of B wait for the sink of A");
    assert_eq!(after(&nested, "D-A"), ["B-D", "C-D"]);
    let enhanced = read("dag-enhanced-depends.yaml");
    assert_eq!(after(&enhanced, "should-execute-1"), ["A", "C"]);
    assert_eq!(after(&enhanced, "should-execute-3"), ["should-execute-2", "should-not-execute"]);
}

#[test]
fn the_worked_example_plans_requests_selectors_and_tolerations() {
    let Some(schema) = ArgoSchema::load() else { return };
    let workflow = read_argo(TRAIN, &ArgoOptions::default()).unwrap();
    let (problem, schedule) = plan(&workflow.spec);
    assert_eq!(schedule.makespan(), 60 + 300 + 1800 + 240 + 30);
    let train = problem.task_id("train").unwrap();
    assert_eq!(problem.node_name(schedule.assignment(train).unwrap().node), "gpu-a");
    let prepare = problem.task_id("prepare-a").unwrap();
    let gpu = problem.resources().iter().position(|r| r == "nvidia.com/gpu").unwrap();
    assert_eq!(problem.demand(train)[gpu], 2, "a limit stands in for a missing request");
    assert_eq!(problem.demand(prepare)[0], 3000);
    export_and_check(&schema, &problem, &schedule, Some(&workflow), "train.yaml");
    // The condition of `report` survives the export.
    let manifest = export_argo(&problem, &schedule, &ArgoExport::new().source(&workflow)).unwrap();
    let report = &dag_tasks(&manifest)["report"].1;
    assert!(report.starts_with("(evaluate.Succeeded || evaluate.Failed)"), "{report}");
    // The exit handler still has its template.
    assert_eq!(manifest["spec"]["onExit"], "cleanup");
    assert!(manifest["spec"]["templates"].as_array().unwrap().iter().any(|t| t["name"] == "cleanup"));
}

#[test]
fn every_wfcommons_plan_exports_as_a_valid_workflow() {
    let Some(dir) = common::shared_data("wfcommons") else { return };
    let Some(schema) = ArgoSchema::load() else { return };
    let big = dagplan::NodeSpec::new("big").capacity_quantity("cpu", "48").capacity_quantity("memory", "192Gi");
    let small = dagplan::NodeSpec::new("small").capacity_quantity("cpu", "16").capacity_quantity("memory", "64Gi");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    for path in files {
        let options = WfCommonsOptions::default().bandwidth(100_000_000);
        let trace = read_wfcommons(&path, &options).unwrap();
        let problem = trace.spec.on_cluster(vec![big.clone(), small.clone()]).build().unwrap();
        let schedule = Greedy::default().schedule(&problem).unwrap().schedule;
        export_and_check(&schema, &problem, &schedule, None, &file_name(&path));
    }
}

#[test]
fn a_task_without_a_duration_is_named_with_both_ways_to_give_one() {
    let yaml = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\nspec:\n  entrypoint: d\n  templates:\n  - name: d\n    dag:\n      tasks:\n      - {name: a, template: t}\n  - name: t\n    container: {image: busybox}\n";
    let e = parse_argo(yaml, &ArgoOptions::default()).unwrap_err().to_string();
    assert!(e.contains("task `a` (template `t`) has no duration") && e.contains("dagplan.io/duration"), "{e}");
    let by_task = ArgoOptions::default().durations(BTreeMap::from([("a".into(), 7)]));
    assert_eq!(parse_argo(yaml, &by_task).unwrap().spec.tasks[0].duration, 7);
    let not_dag = yaml.replace("entrypoint: d", "entrypoint: t");
    let e = parse_argo(&not_dag, &by_task).unwrap_err().to_string();
    assert!(e.contains("`t` is a container template, not a DAG"), "{e}");
    let e = parse_argo("kind: Pod\n", &by_task).unwrap_err().to_string();
    assert!(e.contains("found kind `Pod`"), "{e}");
    let e = parse_argo("a: [\n", &by_task).unwrap_err().to_string();
    assert!(e.contains("not a YAML manifest"), "{e}");
    let fan = yaml.replace("{name: a, template: t}", "{name: a, template: t, withItems: [1, 2]}");
    let e = parse_argo(&fan, &by_task).unwrap_err().to_string();
    assert!(e.contains("fans out with `withItems`"), "{e}");
    let mut deep = String::from(
        "{\"apiVersion\": \"argoproj.io/v1alpha1\", \"kind\": \"Workflow\", \"spec\": {\"entrypoint\": \"d0\", \"templates\": [",
    );
    for i in 0..100 {
        deep.push_str(&format!(
            "{{\"name\": \"d{i}\", \"dag\": {{\"tasks\": [{{\"name\": \"x\", \"template\": \"d{}\"}}]}}}},",
            i + 1
        ));
    }
    deep.push_str("{\"name\": \"d100\", \"container\": {\"image\": \"busybox\"}}]}}");
    let e = parse_argo(&deep, &by_task).unwrap_err().to_string();
    assert!(e.contains("nested more than 64 deep"), "{e}");
    let ghost = yaml.replace("{name: a, template: t}", "{name: a, template: t, depends: ghost}");
    let e = parse_argo(&ghost, &by_task).unwrap_err().to_string();
    assert!(e.contains("depends on `ghost`"), "{e}");
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}
