//! `dagplan`: plan task DAGs on heterogeneous clusters from the command line.
//!
//! `dagplan --help` lists the commands and `dagplan COMMAND --help` explains each; the
//! README's *Command line* section documents them with examples. Exit codes: 0 success;
//! 1 the answer is "no" (`verify`: the plan breaks a rule; `solve`: no plan meets the
//! deadlines); 2 an error (bad arguments, a file that cannot be read or is invalid, a solver
//! failure).

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use commands::{bench, convert, explain, export, render, solve, verify};

/// Plans task DAGs on heterogeneous clusters: where and when each task runs, with a proven
/// lower bound on the makespan.
#[derive(Debug, Parser)]
#[command(name = "dagplan", version, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Plan a problem with one solver: its row (makespan, lower bound, status, gap, time),
    /// the bounds and a text Gantt chart; optionally the result document and an SVG
    Solve(solve::SolveArgs),
    /// Check a plan against every rule of a problem (exit code 0 when valid, 1 and every
    /// violation when not)
    Verify(verify::VerifyArgs),
    /// Run solvers over benchmark sets: every plan verified, a summary table, a CSV per
    /// instance
    Bench(bench::BenchArgs),
    /// Draw a plan: text Gantt, SVG Gantt, HTML report or Mermaid gantt
    Render(render::RenderArgs),
    /// Write a problem in another format (any format read, to the JSON format)
    Convert(convert::ConvertArgs),
    /// Explain a problem's makespan: critical path, slack per task, lower bounds and the one
    /// that binds
    Explain(explain::ExplainArgs),
    /// Write a plan as a manifest for the cluster (an Argo Workflow), on standard output
    Export(export::ExportArgs),
    /// List the solver names
    Solvers,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Solve(args) => solve::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Render(args) => render::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Export(args) => export::run(args),
        Command::Solvers => {
            commands::emit(&(dagplan::solver_names().join("\n") + "\n"));
            Ok(ExitCode::SUCCESS)
        }
    };
    outcome.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    })
}
