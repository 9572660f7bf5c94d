//! WfCommons workflow traces (WfFormat 1.5 JSON, the WfInstances collection): real
//! scientific workflows with their recorded runtimes, resources and files.
//!
//! | WfFormat field | becomes |
//! |---|---|
//! | `workflow.specification.tasks[].id` | the task's name |
//! | `...tasks[].parents` (and `children`) | its dependencies |
//! | `workflow.execution.tasks[].runtimeInSeconds` | its duration: seconds × [`ticks_per_second`](WfCommonsOptions::ticks_per_second), rounded up |
//! | `...execution.tasks[].coreCount` | its `cpu` demand in cores (1 core when not recorded) |
//! | `...execution.tasks[].memoryInBytes` | its `memory` demand in bytes (none when not recorded) |
//! | files a parent writes (`outputFiles`) and the child reads (`inputFiles`), `specification.files[].sizeInBytes` | the dependency's transfer delay: their total size ÷ [`bandwidth`](WfCommonsOptions::bandwidth), rounded up (no delays without a bandwidth) |
//! | `workflow.execution.machines[]` | the recorded cluster: a node per `nodeName` with `cpu.coreCount` cores and `memoryInBytes` bytes |
//! | `workflow.execution.makespanInSeconds` | [`Trace::recorded_makespan`] |
//!
//! Amounts are Kubernetes quantities (cpu in millicores, memory in bytes), so the workflow
//! combines with a NodeList snapshot or JSON nodes written in quantities
//! ([`ProblemSpec::on_cluster`]) instead of the recorded machines. A recorded machine whose
//! memory (or core count) is not in the trace does not limit it: its capacity is the sum of
//! all tasks' demands there. A task's recorded placement is not kept: the plan chooses.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::{ParseError, Source, read_text, syntax_error};
use crate::model::{Amount, DelayedDependency, DependencySpec, NodeSpec, ProblemSpec, TaskSpec};
use crate::quantity::{Scale, format_quantity};

/// How a trace becomes a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WfCommonsOptions {
    bandwidth: Option<u64>,
    ticks_per_second: u64,
}

impl Default for WfCommonsOptions {
    /// No transfer delays; one tick per second.
    fn default() -> Self {
        Self { bandwidth: None, ticks_per_second: 1 }
    }
}

impl WfCommonsOptions {
    /// The network bandwidth between two nodes, in bytes per second: a dependency's files
    /// take their size ÷ bandwidth to move when the tasks run on different nodes. `0` means
    /// no transfer delays (as by default).
    pub fn bandwidth(mut self, bytes_per_second: u64) -> Self {
        self.bandwidth = (bytes_per_second > 0).then_some(bytes_per_second);
        self
    }

    /// The time unit: ticks per second (default 1: durations in seconds; 1000: in
    /// milliseconds). `0` is read as 1.
    pub fn ticks_per_second(mut self, ticks: u64) -> Self {
        self.ticks_per_second = ticks.max(1);
        self
    }
}

/// A workflow read from a trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// The trace's `name`.
    pub name: String,
    /// The tasks on the recorded machines (replace them with [`ProblemSpec::on_cluster`]).
    pub spec: ProblemSpec,
    /// What the recorded run took, in seconds.
    pub recorded_makespan: Option<f64>,
}

#[derive(Deserialize)]
struct Document {
    name: String,
    #[serde(rename = "schemaVersion")]
    schema_version: String,
    workflow: Workflow,
}

#[derive(Deserialize)]
struct Workflow {
    specification: Specification,
    execution: Execution,
}

#[derive(Deserialize)]
struct Specification {
    tasks: Vec<SpecTask>,
    #[serde(default)]
    files: Vec<File>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpecTask {
    id: String,
    #[serde(default)]
    parents: Vec<String>,
    #[serde(default)]
    children: Vec<String>,
    #[serde(default)]
    input_files: Vec<String>,
    #[serde(default)]
    output_files: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    id: String,
    size_in_bytes: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Execution {
    makespan_in_seconds: Option<f64>,
    tasks: Vec<ExecTask>,
    #[serde(default)]
    machines: Vec<Machine>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExecTask {
    id: String,
    runtime_in_seconds: f64,
    core_count: Option<f64>,
    memory_in_bytes: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Machine {
    node_name: String,
    #[serde(default)]
    cpu: Cpu,
    memory_in_bytes: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Cpu {
    core_count: Option<u64>,
}

/// Reads a trace from a string.
pub fn parse_wfcommons(text: &str, options: &WfCommonsOptions) -> Result<Trace, ParseError> {
    parse_from(text, options, &Source::Text)
}

/// Reads a trace from a file.
pub fn read_wfcommons(path: impl AsRef<Path>, options: &WfCommonsOptions) -> Result<Trace, ParseError> {
    let path = path.as_ref();
    parse_from(&read_text(path)?, options, &Source::File(path.to_owned()))
}

fn parse_from(text: &str, options: &WfCommonsOptions, file: &Source) -> Result<Trace, ParseError> {
    let document: Document = serde_json::from_str(text).map_err(|e| syntax_error(&e, file))?;
    let content = |message: String| ParseError::Content { file: file.clone(), message };
    if !document.schema_version.starts_with("1.") {
        return Err(content(format!("WfFormat {} is not supported (expected 1.x)", document.schema_version)));
    }
    let Workflow { specification, execution } = document.workflow;
    let runs: HashMap<&str, &ExecTask> = execution.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let sizes: HashMap<&str, u64> = specification.files.iter().map(|f| (f.id.as_str(), f.size_in_bytes)).collect();
    let known: HashSet<&str> = specification.tasks.iter().map(|t| t.id.as_str()).collect();

    // Dependencies from `parents`, completed by the parents' `children` lists.
    let mut parents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for task in &specification.tasks {
        for parent in &task.parents {
            parents.entry(task.id.as_str()).or_default().push(parent);
        }
        for child in task.children.iter().filter(|c| known.contains(c.as_str())) {
            parents.entry(child.as_str()).or_default().push(&task.id);
        }
    }
    let outputs: HashMap<&str, &[String]> =
        specification.tasks.iter().map(|t| (t.id.as_str(), t.output_files.as_slice())).collect();

    let mut tasks = Vec::with_capacity(specification.tasks.len());
    let (mut total_cpu, mut total_memory) = (0u64, 0u64);
    for task in &specification.tasks {
        let run = runs
            .get(task.id.as_str())
            .ok_or_else(|| content(format!("task `{}` has no execution record (runtimeInSeconds)", task.id)))?;
        let what = || format!("task `{}`: runtimeInSeconds", task.id);
        let duration = seconds_to_ticks(run.runtime_in_seconds, options.ticks_per_second)
            .ok_or_else(|| content(format!("{} = {} is not a duration", what(), run.runtime_in_seconds)))?;
        let cores = run.core_count.unwrap_or(1.0);
        let millicores = seconds_to_ticks(cores, 1000)
            .ok_or_else(|| content(format!("task `{}`: coreCount = {cores} is not a core count", task.id)))?;
        total_cpu = total_cpu.saturating_add(millicores);
        let mut spec = TaskSpec::new(task.id.clone(), duration);
        spec.demand.insert("cpu".into(), Amount::quantity(format_quantity(millicores, Scale::Milli)));
        if let Some(bytes) = run.memory_in_bytes {
            total_memory = total_memory.saturating_add(bytes);
            spec.demand.insert("memory".into(), Amount::quantity(bytes.to_string()));
        }
        let mut seen = HashSet::new();
        for &parent in parents.get(task.id.as_str()).into_iter().flatten() {
            if !seen.insert(parent) {
                continue;
            }
            let written = outputs.get(parent).copied().unwrap_or(&[]);
            let bytes: u128 = task
                .input_files
                .iter()
                .filter(|f| written.contains(f))
                .map(|f| u128::from(sizes.get(f.as_str()).copied().unwrap_or(0)))
                .sum();
            let delay = transfer_ticks(bytes, options).ok_or_else(|| {
                content(format!("task `{}`: the transfer from `{parent}` takes too long to represent", task.id))
            })?;
            spec.after.push(DependencySpec::Delayed(DelayedDependency { task: parent.to_owned(), delay }));
        }
        tasks.push(spec);
    }

    let nodes = execution
        .machines
        .iter()
        .map(|m| {
            let mut node = NodeSpec::new(m.node_name.clone());
            let cpu = m.cpu.core_count.map_or(total_cpu, |c| c.saturating_mul(1000));
            node.capacity.insert("cpu".into(), Amount::quantity(format_quantity(cpu, Scale::Milli)));
            if total_memory > 0 {
                let memory = m.memory_in_bytes.unwrap_or(total_memory);
                node.capacity.insert("memory".into(), Amount::quantity(memory.to_string()));
            }
            node
        })
        .collect();
    let spec = ProblemSpec { resources: None, nodes, tasks, now: 0 };
    Ok(Trace { name: document.name, spec, recorded_makespan: execution.makespan_in_seconds })
}

/// `value · per_unit`, rounded up, when finite, non-negative and below 2⁵³ (exact in f64).
fn seconds_to_ticks(value: f64, per_unit: u64) -> Option<u64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    let ticks = (value * per_unit as f64).ceil();
    (value.is_finite() && value >= 0.0 && ticks < EXACT).then_some(ticks as u64)
}

/// The ticks `bytes` take at the bandwidth, rounded up (0 without a bandwidth).
fn transfer_ticks(bytes: u128, options: &WfCommonsOptions) -> Option<u64> {
    let Some(bandwidth) = options.bandwidth else { return Some(0) };
    let scaled = bytes.checked_mul(u128::from(options.ticks_per_second))?;
    u64::try_from(scaled.div_ceil(u128::from(bandwidth))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAIN: &str = r#"{"name": "tiny", "schemaVersion": "1.5", "workflow": {
      "specification": {
        "tasks": [
          {"id": "a", "name": "a", "parents": [], "children": ["b"], "inputFiles": [], "outputFiles": ["x", "y"]},
          {"id": "b", "name": "b", "parents": ["a"], "children": [], "inputFiles": ["x", "z"], "outputFiles": []}
        ],
        "files": [{"id": "x", "sizeInBytes": 3000000}, {"id": "y", "sizeInBytes": 7}, {"id": "z", "sizeInBytes": 5}]
      },
      "execution": {
        "makespanInSeconds": 12.5,
        "tasks": [
          {"id": "a", "runtimeInSeconds": 2.2, "coreCount": 2, "memoryInBytes": 1048576},
          {"id": "b", "runtimeInSeconds": 0.0}
        ],
        "machines": [{"nodeName": "m1", "cpu": {"coreCount": 4}, "memoryInBytes": 4194304}, {"nodeName": "m2"}]
      }}}"#;

    #[test]
    fn a_trace_becomes_tasks_with_delays_on_the_recorded_machines() {
        let options = WfCommonsOptions::default().bandwidth(1_000_000);
        let trace = parse_wfcommons(CHAIN, &options).unwrap();
        assert_eq!((trace.name.as_str(), trace.recorded_makespan), ("tiny", Some(12.5)));
        let problem = trace.spec.build().unwrap();
        let (a, b) = (problem.task_id("a").unwrap(), problem.task_id("b").unwrap());
        assert_eq!((problem.default_duration(a), problem.default_duration(b)), (3, 0));
        assert_eq!(problem.resources(), ["cpu", "memory"]);
        assert_eq!(problem.demand(a), [2000, 1 << 20]);
        assert_eq!(problem.demand(b), [1000, 0]);
        // Only `x` moves from a to b: 3 MB at 1 MB/s.
        assert_eq!(problem.predecessors(b)[0].delay, 3);
        // m2 records neither cores nor memory: it does not limit them.
        assert_eq!(problem.capacity(problem.node_id("m1").unwrap()), [4000, 4 << 20]);
        assert_eq!(problem.capacity(problem.node_id("m2").unwrap()), [3000, 1 << 20]);
        let millis = parse_wfcommons(CHAIN, &options.ticks_per_second(1000)).unwrap().spec.build().unwrap();
        assert_eq!(millis.default_duration(a), 2200);
        assert_eq!(millis.predecessors(b)[0].delay, 3000);
        let none = parse_wfcommons(CHAIN, &WfCommonsOptions::default()).unwrap().spec.build().unwrap();
        assert_eq!(none.predecessors(b)[0].delay, 0);
    }

    #[test]
    fn bad_traces_are_named_errors() {
        let e = parse_wfcommons(&CHAIN.replace("2.2", "-1"), &WfCommonsOptions::default()).unwrap_err();
        assert!(e.to_string().contains("task `a`: runtimeInSeconds = -1 is not a duration"), "{e}");
        let e = parse_wfcommons(
            &CHAIN.replace(r#"{"id": "b", "runtimeInSeconds": 0.0}"#, r#"{"id": "c", "runtimeInSeconds": 1}"#),
            &WfCommonsOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("task `b` has no execution record"), "{e}");
        let e = parse_wfcommons(&CHAIN.replace("1.5", "2.0"), &WfCommonsOptions::default()).unwrap_err();
        assert!(e.to_string().contains("WfFormat 2.0 is not supported"), "{e}");
        let e = parse_wfcommons(r#"{"name": "x"}"#, &WfCommonsOptions::default()).unwrap_err();
        assert!(e.to_string().contains("missing field"), "{e}");
        let big = CHAIN.replace("3000000", "18446744073709551615");
        let e = parse_wfcommons(&big, &WfCommonsOptions::default().bandwidth(1).ticks_per_second(1000)).unwrap_err();
        assert!(e.to_string().contains("takes too long"), "{e}");
    }
}
