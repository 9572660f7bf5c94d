//! `dagplan export PROBLEM PLAN --format argo`: a plan as a manifest the cluster carries out,
//! on standard output.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use dagplan::io::argo::{ArgoExport, export_argo};

use super::input::{ProblemArgs, read_plan};
use super::{Outcome, output};

/// The manifests `export` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Manifest {
    /// An Argo Workflow: every task pinned to its planned node (nodeSelector on
    /// kubernetes.io/hostname) and ordered after the tasks planned before it there
    Argo,
}

/// `dagplan export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    problem: ProblemArgs,
    /// The plan: a result document (`dagplan solve --out`) or a schedule
    #[arg(value_name = "PLAN")]
    plan: PathBuf,
    /// The manifest to write
    #[arg(long, value_name = "FORMAT")]
    format: Manifest,
    /// Write JSON instead of YAML
    #[arg(long)]
    json: bool,
    /// The container image of every task (default busybox), for problems not read from an
    /// Argo workflow (an Argo workflow's templates are kept)
    #[arg(long, value_name = "IMAGE")]
    image: Option<String>,
    /// The workflow's generateName prefix (default dagplan-plan-), for problems not read from
    /// an Argo workflow
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Runs `dagplan export`.
pub fn run(args: &ExportArgs) -> Outcome {
    let input = args.problem.load()?;
    let plan = read_plan(&input.problem, &args.plan)?;
    let mut export = ArgoExport::new();
    match &input.argo {
        Some(source) => {
            if args.image.is_some() || args.name.is_some() {
                return Err("--image and --name apply to problems not read from an Argo workflow \
                            (the workflow's own templates and name are kept)"
                    .into());
            }
            export = export.source(source);
        }
        None => {
            if let Some(image) = &args.image {
                export = export.image(image.clone());
            }
            if let Some(name) = &args.name {
                export = export.name(name.clone());
            }
        }
    }
    let text = match args.format {
        Manifest::Argo => {
            let manifest = export_argo(&input.problem, &plan.schedule, &export)
                .map_err(|e| format!("{}: {e}", args.plan.display()))?;
            if args.json { pretty_json(&manifest)? } else { yaml(&manifest)? }
        }
    };
    output(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn pretty_json(manifest: &serde_json::Value) -> Result<String, String> {
    serde_json::to_string_pretty(manifest).map(|t| t + "\n").map_err(|e| format!("internal error: {e}"))
}

#[cfg(feature = "yaml")]
fn yaml(manifest: &serde_json::Value) -> Result<String, String> {
    dagplan::io::argo::to_yaml(manifest).map_err(|e| e.to_string())
}

#[cfg(not(feature = "yaml"))]
fn yaml(_manifest: &serde_json::Value) -> Result<String, String> {
    Err("YAML output needs the `yaml` feature of dagplan-cli (default); use --json".into())
}
