//! `dagplan verify PROBLEM PLAN`: check a plan against every rule of the problem, with the
//! library's independent checker. Exit code 0 when it holds, 1 (and every violation) when not.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dagplan::{Status, lower_bound};

use super::input::{ProblemArgs, plural, read_plan};
use super::{Outcome, answer_no, emit};

/// `dagplan verify` arguments.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    problem: ProblemArgs,
    /// The plan: a result document (`dagplan solve --out`) or a schedule
    /// ({"makespan": .., "assignments": [{"task", "node", "start", "finish"}, ..]})
    #[arg(value_name = "PLAN")]
    plan: PathBuf,
}

/// Runs `dagplan verify`.
pub fn run(args: &VerifyArgs) -> Outcome {
    let problem = args.problem.read()?;
    let plan = read_plan(&problem, &args.plan)?;
    let name = args.plan.display();
    if let Some(document) = plan.document.as_ref().filter(|d| d.status == Status::Infeasible) {
        emit(&format!(
            "{name}: no plan to check: {} claims that no plan meets every deadline (a proof this command cannot check)\n",
            document.solver
        ));
        return Ok(answer_no());
    }
    match plan.schedule.verify(&problem) {
        Ok(()) => {
            let makespan = plan.schedule.makespan();
            let mut out = format!(
                "{name}: valid: every rule of {} holds; {} task{} placed, makespan {makespan}\n",
                args.problem.file.display(),
                problem.task_count(),
                plural(problem.task_count())
            );
            if let Some(document) = &plan.document {
                let _ = writeln!(
                    out,
                    "result of {}: {}, lower bound {} as claimed by the solver (the problem's own bounds prove {})",
                    document.solver,
                    document.status,
                    document.lower_bound,
                    lower_bound(&problem)
                );
            }
            emit(&out);
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            emit(&format!("{name}: INVALID: {error}\n"));
            Ok(answer_no())
        }
    }
}
