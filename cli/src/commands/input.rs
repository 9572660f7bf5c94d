//! Reading what the commands take: a problem in any format the library reads (benchmark
//! formats, JSON, Argo Workflows, WfCommons traces), optionally moved onto a cluster
//! (`--cluster`: a NodeList snapshot or JSON nodes), and a plan (a result document written
//! by `dagplan solve --out`, or a plain schedule).

use std::path::{Path, PathBuf};

use clap::Args;
use dagplan::io::argo::{ArgoOptions, ArgoWorkflow, read_argo};
use dagplan::io::wfcommons::{WfCommonsOptions, read_wfcommons};
use dagplan::io::{Format, UnknownFormat};
use dagplan::{Problem, ResultDocument, ResultError, Scale, Schedule};
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The problem file of a command, and the cluster to plan it on.
#[derive(Debug, Args)]
pub struct ProblemArgs {
    /// The problem: JSON (.json), PSPLIB (.sm), Patterson (.rcp), job shop (.jss), flexible
    /// job shop (.fjs), an Argo Workflow (.yaml, .yml, or JSON with "kind") or a WfCommons
    /// trace (JSON with "schemaVersion" and "workflow")
    #[arg(value_name = "PROBLEM")]
    pub file: PathBuf,
    /// Read PROBLEM in this format, whatever its name [json, sm, rcp, jss, fjs, argo, wfcommons]
    #[arg(long, value_name = "FORMAT", value_parser = parse_kind)]
    pub input_format: Option<Kind>,
    /// Plan on these nodes instead of the problem's: a `kubectl get nodes -o json` snapshot
    /// (cordoned nodes left out) or a JSON object with a "nodes" array
    #[arg(long, value_name = "NODES")]
    pub cluster: Option<PathBuf>,
    /// Argo: task durations in ticks, a JSON object by task or template name (else each
    /// template's dagplan.io/duration annotation)
    #[arg(long, value_name = "FILE")]
    pub durations: Option<PathBuf>,
    /// WfCommons: network bandwidth in bytes per second (a quantity: 125M, 1Gi), for the
    /// transfer delays between nodes (default: none)
    #[arg(long, value_name = "BYTES", value_parser = parse_bandwidth)]
    pub bandwidth: Option<u64>,
    /// WfCommons: ticks per second of the plan's time unit (default 1: seconds)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub ticks_per_second: Option<u64>,
}

/// What a problem file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A format of [`dagplan::io::Format`].
    Library(Format),
    /// An Argo Workflow.
    Argo,
    /// A WfCommons trace.
    WfCommons,
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "argo" | "yaml" | "yml" => Ok(Kind::Argo),
        "wfcommons" | "wfformat" => Ok(Kind::WfCommons),
        _ => text.parse().map(Kind::Library).map_err(|e: UnknownFormat| format!("{e}; also argo, wfcommons")),
    }
}

fn parse_bandwidth(text: &str) -> Result<u64, String> {
    dagplan::parse_quantity(text, Scale::One).map_err(|e| e.to_string())
}

/// The top-level fields that tell a JSON file's kind.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "schemaVersion")]
    schema_version: Option<IgnoredAny>,
    workflow: Option<IgnoredAny>,
    kind: Option<IgnoredAny>,
}

/// A problem read from a file: the problem, and the Argo workflow it came from, if it did
/// (the export keeps its templates).
pub struct Input {
    /// The validated problem.
    pub problem: Problem,
    /// The Argo workflow read.
    pub argo: Option<ArgoWorkflow>,
}

impl ProblemArgs {
    /// Reads and validates the problem; the error names the file, the line and what is wrong.
    pub fn read(&self) -> Result<Problem, String> {
        self.load().map(|input| input.problem)
    }

    /// Reads the problem with the reader its format needs, then moves it onto `--cluster`.
    pub fn load(&self) -> Result<Input, String> {
        let kind = match self.input_format {
            Some(kind) => kind,
            None => self.detect()?,
        };
        if self.durations.is_some() && kind != Kind::Argo {
            return Err("--durations applies to Argo workflows only".into());
        }
        if (self.bandwidth.is_some() || self.ticks_per_second.is_some()) && kind != Kind::WfCommons {
            return Err("--bandwidth and --ticks-per-second apply to WfCommons traces only".into());
        }
        let (spec, argo) = match kind {
            Kind::Library(format) => {
                let problem = dagplan::io::read_problem_as(&self.file, format).map_err(|e| e.to_string())?;
                if self.cluster.is_none() {
                    return Ok(Input { problem, argo: None });
                }
                (problem.to_spec(), None)
            }
            Kind::Argo => {
                let mut options = ArgoOptions::default();
                if let Some(path) = &self.durations {
                    options = options.durations_file(path).map_err(|e| e.to_string())?;
                }
                let workflow = read_argo(&self.file, &options).map_err(|e| e.to_string())?;
                if self.cluster.is_none() {
                    return Err(format!(
                        "{}: an Argo workflow names no nodes: give the cluster with --cluster NODES",
                        self.file.display()
                    ));
                }
                (workflow.spec.clone(), Some(workflow))
            }
            Kind::WfCommons => {
                let mut options = WfCommonsOptions::default();
                if let Some(bandwidth) = self.bandwidth {
                    options = options.bandwidth(bandwidth);
                }
                if let Some(ticks) = self.ticks_per_second {
                    options = options.ticks_per_second(ticks);
                }
                (read_wfcommons(&self.file, &options).map_err(|e| e.to_string())?.spec, None)
            }
        };
        let spec = match &self.cluster {
            Some(path) => spec.on_cluster(dagplan::io::read_cluster(path).map_err(|e| e.to_string())?),
            None => spec,
        };
        let problem = Problem::try_from(spec).map_err(|e| match &self.cluster {
            Some(cluster) => format!("{} on the cluster {}: {e}", self.file.display(), cluster.display()),
            None => format!("{}: {e}", self.file.display()),
        })?;
        Ok(Input { problem, argo })
    }

    /// The kind of the file: Argo by a YAML extension; for JSON, a WfCommons trace or an
    /// Argo manifest by their top-level fields; else the library's format by extension.
    fn detect(&self) -> Result<Kind, String> {
        let extension = self.file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("yaml" | "yml") => Ok(Kind::Argo),
            Some("json") => {
                let text = std::fs::read_to_string(&self.file).map_err(|e| format!("{}: {e}", self.file.display()))?;
                Ok(match serde_json::from_str::<Probe>(&text) {
                    Ok(Probe { schema_version: Some(_), workflow: Some(_), .. }) => Kind::WfCommons,
                    Ok(Probe { kind: Some(_), .. }) => Kind::Argo,
                    // Not JSON or a problem: the JSON reader says what is wrong, and where.
                    _ => Kind::Library(Format::Json),
                })
            }
            _ => Format::from_path(&self.file).map(Kind::Library).ok_or_else(|| {
                format!(
                    "{}: unknown file type (expected {}, .yaml or .yml; or name the format with --input-format)",
                    self.file.display(),
                    Format::EXTENSIONS
                )
            }),
        }
    }

    /// One line describing the problem: file, size, resources.
    pub fn describe(&self, problem: &Problem) -> String {
        let resources = problem.resources();
        format!(
            "{}{}: {} task{}, {} node{}, {} dependenc{}, resources {}",
            self.file.display(),
            self.cluster.as_ref().map_or_else(String::new, |c| format!(" on {}", c.display())),
            problem.task_count(),
            plural(problem.task_count()),
            problem.node_count(),
            plural(problem.node_count()),
            problem.dependency_count(),
            if problem.dependency_count() == 1 { "y" } else { "ies" },
            if resources.is_empty() { "none".to_owned() } else { resources.join(", ") }
        )
    }
}

/// `"s"` unless there is exactly one.
pub fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// A plan read from a file: its schedule, and the result document it came in, if it did.
#[derive(Debug)]
pub struct Plan {
    /// The schedule, its names resolved against the problem.
    pub schedule: Schedule,
    /// The result document (solver, status, bound, ...), when the file is one.
    pub document: Option<ResultDocument>,
}

/// Reads a plan for `problem`: a result document (`"version": 1`, as `dagplan solve --out`
/// writes) or a plain schedule (`{"makespan": .., "assignments": [..]}`). A result document
/// from a newer dagplan is an error that says so.
pub fn read_plan(problem: &Problem, path: &Path) -> Result<Plan, String> {
    let at = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| at(&e))?;
    match ResultDocument::from_json(&text) {
        Ok(document) => {
            let schedule = document.schedule(problem).map_err(|e| at(&e))?;
            Ok(Plan { schedule, document: Some(document) })
        }
        Err(ResultError::NoVersion) => match Schedule::from_json(problem, &text) {
            Ok(schedule) => Ok(Plan { schedule, document: None }),
            Err(e) => Err(at(&format!("neither a result document (it has no `version` field) nor a schedule: {e}"))),
        },
        Err(e) => Err(at(&e)),
    }
}
