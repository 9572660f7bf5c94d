//! `dagplan render PROBLEM PLAN... --format text|svg|html|mermaid`: a plan as a picture.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use dagplan::{Problem, SvgOptions, html_report, mermaid_gantt, svg_gantt, text_gantt};

use super::input::{Plan, ProblemArgs, read_plan};
use super::{Outcome, output};

/// What `render` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Picture {
    /// A text Gantt chart, one row per task, for a terminal
    Text,
    /// An SVG Gantt chart: a lane per node, tasks as tall as their share of it, usage profiles
    Svg,
    /// An HTML report: the solver table, the bounds and the gap, the SVG, the task table
    Html,
    /// A Mermaid gantt block for Markdown pages, a section per node
    Mermaid,
}

/// `dagplan render` arguments.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    problem: ProblemArgs,
    /// The plan: a result document (`dagplan solve --out`) or a schedule; the html report
    /// takes several result documents and compares them
    #[arg(value_name = "PLAN", required = true, num_args = 1..)]
    plans: Vec<PathBuf>,
    /// The output format
    #[arg(long, value_name = "FORMAT")]
    format: Picture,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// text: width in characters (default 60); svg and html: width in pixels (default 960)
    #[arg(long, value_name = "N")]
    width: Option<u32>,
    /// svg and html: the resource whose share of a node sets a task's height (default: the
    /// problem's first)
    #[arg(long, value_name = "NAME")]
    resource: Option<String>,
    /// svg and html: draw every dependency as an arrow
    #[arg(long)]
    dependencies: bool,
}

/// Runs `dagplan render`.
pub fn run(args: &RenderArgs) -> Outcome {
    let drawn = matches!(args.format, Picture::Svg | Picture::Html);
    if !drawn && (args.resource.is_some() || args.dependencies) {
        return Err("--resource and --dependencies apply to --format svg and html only".into());
    }
    if args.format == Picture::Mermaid && args.width.is_some() {
        return Err("--width applies to --format text, svg and html; a Mermaid chart has no width".into());
    }
    let problem = args.problem.read()?;
    let plans = args.plans.iter().map(|path| read_plan(&problem, path)).collect::<Result<Vec<Plan>, _>>()?;
    let mut svg = SvgOptions::default().dependencies(args.dependencies);
    if let Some(resource) = &args.resource {
        svg = svg.resource(resource.clone());
    }
    if let Some(width) = args.width {
        svg = svg.width(width);
    }
    let text = match args.format {
        Picture::Html => {
            let mut documents = Vec::new();
            for (plan, path) in plans.into_iter().zip(&args.plans) {
                documents.push(plan.document.ok_or_else(|| {
                    format!(
                        "{}: a plain schedule; the html report needs result documents (`dagplan solve --out`)",
                        path.display()
                    )
                })?);
            }
            html_report(&problem, &documents, &svg).map_err(|e| e.to_string())?
        }
        Picture::Text => {
            let plan = single(&plans, &problem, "text")?;
            text_gantt(&problem, &plan.schedule, args.width.map_or(60, |w| w as usize)) + "\n"
        }
        Picture::Svg => {
            let plan = single(&plans, &problem, "svg")?;
            if let Some(document) = &plan.document {
                svg = svg.lower_bound(document.lower_bound);
            }
            svg_gantt(&problem, &plan.schedule, &svg).map_err(|e| e.to_string())?
        }
        Picture::Mermaid => {
            let plan = single(&plans, &problem, "mermaid")?;
            mermaid_gantt(&problem, &plan.schedule).map_err(|e| e.to_string())?
        }
    };
    output(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// The one plan a format draws; a plan that breaks the rules is drawn with a warning.
fn single<'a>(plans: &'a [Plan], problem: &Problem, format: &str) -> Result<&'a Plan, String> {
    let [plan] = plans else {
        return Err(format!("--format {format} draws one plan, {} given; only html compares several", plans.len()));
    };
    if let Err(error) = plan.schedule.verify(problem) {
        eprintln!("warning: drawing a plan that breaks the rules (see `dagplan verify`): {error}");
    }
    Ok(plan)
}
