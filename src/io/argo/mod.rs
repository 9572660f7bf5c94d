//! Argo Workflows in and out: a DAG workflow becomes the tasks of a problem
//! ([`parse_argo`]), and a plan becomes an Argo Workflow that makes the cluster carry it out
//! ([`export_argo`]).
//!
//! **Reading** (`read.rs`). The entrypoint template must be a `dag`. Each DAG task running a
//! `container` or `script` template becomes a task; a task running another `dag` template is
//! flattened into that DAG's tasks, named `outer-inner` (the inner roots wait for the outer
//! task's dependencies, the outer dependents for the inner sinks). Dependencies come from
//! `dependencies` or from `depends`: every task an expression names is a predecessor (Argo
//! evaluates it once they have all finished); conditions such as `C.Failed` or `||` are
//! kept for the export, but the plan assumes every task runs. `dag.target` (also written as
//! `{{workflow.parameters.NAME}}` with a default value) keeps only the targets and what they
//! depend on. A task's demand is its container's resource `requests` (a `limits` entry
//! stands in for a missing request, as in Kubernetes), as quantities; the template's and
//! the workflow's `nodeSelector` and `tolerations` choose its nodes.
//!
//! Durations are not in Argo files: each task needs one, in ticks, from a side file
//! ([`ArgoOptions::durations`]: by task name, or by template name for every task running it)
//! or from the template annotation `dagplan.io/duration` (`metadata.annotations`). A task
//! with neither is an error naming it and both ways to give it.
//!
//! Refused, with the reason: a workflow without a DAG entrypoint, `steps` templates,
//! `templateRef`, fan-out (`withItems`, `withParam`, `withSequence`), other template kinds
//! (`resource`, `suspend`, `http`, `plugin`, `containerSet`), recursion.
//!
//! **Writing** (`export.rs`): see [`export_argo`].
//!
//! YAML needs the `yaml` feature (default), which reads it with `serde-saphyr`: serde_yaml
//! is deprecated and archived, its fork serde_yml was archived after a soundness advisory
//! (RUSTSEC-2025-0068), and the remaining forks of it (serde_yaml_ng, serde_norway) keep the
//! C-to-Rust translation of libyaml (`unsafe-libyaml`). serde-saphyr is maintained, pure safe
//! Rust on the saphyr parser, panic-free by design and bounds alias expansion (no "billion
//! laughs"), which suits a reader fed untrusted files. JSON manifests read without it.

mod export;
mod read;

use std::collections::BTreeMap;
use std::path::Path;

#[cfg(feature = "yaml")]
pub use export::to_yaml;
pub use export::{ArgoExport, ExportError, HOSTNAME_LABEL, export_argo};

use super::{ParseError, Source, read_text};
use crate::model::ProblemSpec;

/// The template annotation that gives a task's duration in ticks.
pub const DURATION_ANNOTATION: &str = "dagplan.io/duration";

/// How an Argo workflow becomes a problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArgoOptions {
    durations: BTreeMap<String, u64>,
}

impl ArgoOptions {
    /// Durations in ticks by DAG task name (a flattened task: `outer-inner`) or by template
    /// name (every task running it); a task name wins over its template's name, and both
    /// over the template annotation.
    pub fn durations(mut self, durations: BTreeMap<String, u64>) -> Self {
        self.durations = durations;
        self
    }

    /// [`durations`](Self::durations) from a JSON file: an object of names to ticks,
    /// e.g. `{"train": 3600, "echo": 5}`.
    pub fn durations_file(self, path: impl AsRef<Path>) -> Result<Self, ParseError> {
        let path = path.as_ref();
        let file = Source::File(path.to_owned());
        let durations = serde_json::from_str(&read_text(path)?).map_err(|e| super::syntax_error(&e, &file))?;
        Ok(self.durations(durations))
    }
}

/// A workflow read from an Argo file: its tasks as a problem without nodes (plan it on a
/// cluster with [`ProblemSpec::on_cluster`]), and what the export needs to write it back.
#[derive(Debug, Clone, PartialEq)]
pub struct ArgoWorkflow {
    /// The tasks (no nodes).
    pub spec: ProblemSpec,
    /// The manifest as read.
    document: serde_json::Value,
    /// Per task of `spec`, in order: where it comes from.
    origins: Vec<Origin>,
}

/// Where a task of the problem comes from in the manifest.
#[derive(Debug, Clone, PartialEq)]
struct Origin {
    /// The task's name in the problem.
    name: String,
    /// The DAG task (name, template, arguments, `when`, `depends`), as written.
    dag_task: serde_json::Value,
    /// The template it runs, as written.
    template: serde_json::Value,
    /// Its `depends` expression with names as in the problem, when it has conditions.
    condition: Option<String>,
}

impl ArgoWorkflow {
    /// The manifest as read (JSON values).
    pub fn document(&self) -> &serde_json::Value {
        &self.document
    }
}

/// Reads an Argo Workflow (YAML with the `yaml` feature, or JSON) from a string.
pub fn parse_argo(text: &str, options: &ArgoOptions) -> Result<ArgoWorkflow, ParseError> {
    parse_from(text, options, &Source::Text)
}

/// Reads an Argo Workflow (YAML with the `yaml` feature, or JSON) from a file.
pub fn read_argo(path: impl AsRef<Path>, options: &ArgoOptions) -> Result<ArgoWorkflow, ParseError> {
    let path = path.as_ref();
    parse_from(&read_text(path)?, options, &Source::File(path.to_owned()))
}

fn parse_from(text: &str, options: &ArgoOptions, file: &Source) -> Result<ArgoWorkflow, ParseError> {
    let document = parse_document(text, file)?;
    read::workflow(document, options).map_err(|message| ParseError::Content { file: file.clone(), message })
}

/// The manifest as JSON values: JSON text as is, anything else as YAML (feature `yaml`).
fn parse_document(text: &str, file: &Source) -> Result<serde_json::Value, ParseError> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| super::syntax_error(&e, file));
    }
    parse_yaml(text, file)
}

#[cfg(feature = "yaml")]
fn parse_yaml(text: &str, file: &Source) -> Result<serde_json::Value, ParseError> {
    serde_saphyr::from_str(text)
        .map_err(|e| ParseError::Content { file: file.clone(), message: format!("not a YAML manifest: {e}") })
}

#[cfg(not(feature = "yaml"))]
fn parse_yaml(_text: &str, file: &Source) -> Result<serde_json::Value, ParseError> {
    Err(ParseError::Content {
        file: file.clone(),
        message: "reading YAML needs dagplan's `yaml` feature (or give the manifest as JSON)".into(),
    })
}
