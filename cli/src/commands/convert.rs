//! `dagplan convert PROBLEM --to json`: any format the library reads, written as the JSON
//! problem format.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::input::ProblemArgs;
use super::{Outcome, output};

/// The formats `convert` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Target {
    /// The JSON problem format (schemas/problem.schema.json)
    Json,
}

/// `dagplan convert` arguments.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    #[command(flatten)]
    problem: ProblemArgs,
    /// The format to write
    #[arg(long, value_name = "FORMAT")]
    to: Target,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Runs `dagplan convert`.
pub fn run(args: &ConvertArgs) -> Outcome {
    let problem = args.problem.read()?;
    let text = match args.to {
        Target::Json => dagplan::io::write_json(&problem) + "\n",
    };
    output(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
