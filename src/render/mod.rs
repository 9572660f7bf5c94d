//! Turning schedules into something people read: a text Gantt chart for terminals, an SVG
//! Gantt chart and an HTML report for browsers, and a Mermaid gantt for Markdown pages.
//!
//! | function | output |
//! |---|---|
//! | [`text_gantt`] | one row per task, for a terminal |
//! | [`svg_gantt`] | one lane per node, tasks as tall as their share of the node, stacked; usage profiles; critical path; lower bound |
//! | [`html_report`] | a page with the solver table, the bounds and the gap, the SVG and the task table |
//! | [`mermaid_gantt`] | a `gantt` block for Markdown, a section per node, critical tasks marked `crit` |
//!
//! All of them build strings by hand (no drawing dependency), escape every name, and give
//! the same output for the same input.

mod gantt;
mod html;
mod layout;
mod mermaid;
mod svg;

pub use gantt::text_gantt;
pub use html::html_report;
pub use mermaid::mermaid_gantt;
pub use svg::{SvgOptions, svg_gantt};

use crate::schedule::ScheduleError;

/// Why a picture could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The options name a resource the problem does not have.
    #[error("unknown resource `{name}` (the problem has: {})", if known.is_empty() { "none".to_owned() } else { known.join(", ") })]
    UnknownResource {
        /// The name asked for.
        name: String,
        /// The problem's resources.
        known: Vec<String>,
    },
    /// An option's value is out of its range.
    #[error("{option} {value} is out of range: expected {expected}")]
    BadOption {
        /// The option.
        option: &'static str,
        /// The value given.
        value: String,
        /// The allowed values.
        expected: String,
    },
    /// The schedule refers to a task or node id the problem does not have: it was made for
    /// another problem.
    #[error("the schedule was not made for this problem: it assigns task id {task} to node id {node}")]
    ForeignSchedule {
        /// The task id.
        task: u32,
        /// The node id.
        node: u32,
    },
    /// A result's schedule names a task or node the problem does not have.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// A report was asked for with no result in it.
    #[error("no result to report")]
    NoResults,
    /// The plan is too long for the output format.
    #[error("{0}")]
    TooLong(String),
    /// A bug in the renderer.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Escapes text for XML and HTML (element content and attribute values).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in XML 1.0.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
