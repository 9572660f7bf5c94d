//! The SVG Gantt chart: one lane per node, tasks drawn as tall as their share of the node's
//! capacity and stacked so that tasks running at once stay readable, a usage profile per node
//! and resource against its capacity, the critical path, the lower bound and the makespan.

use std::fmt::Write;

use super::layout::{Bar, stack, ticks, usage_steps};
use super::{RenderError, escape};
use crate::bounds::lower_bound;
use crate::graph::Cpm;
use crate::model::{NodeId, Problem, TaskId, Time};
use crate::schedule::{Assignment, Schedule};

/// Fill colours, by task id (a colour-blind-friendly palette without the critical red).
const PALETTE: [&str; 9] =
    ["#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#8cd17d"];
/// The colour of the critical path.
const CRITICAL: &str = "#d62728";
/// Height of one usage profile, px.
const PROFILE_HEIGHT: f64 = 22.0;
/// Space below each node's block, px.
const NODE_GAP: f64 = 18.0;
/// Header (title, legend, makespan and bound labels) above the first lane, px.
const HEADER: f64 = 84.0;
/// Axis below the last lane, px.
const FOOTER: f64 = 40.0;
/// Right margin, px.
const RIGHT: f64 = 24.0;
/// Approximate width of one character at the 11 px font, px.
const CHAR: f64 = 6.6;
/// A task with no demand in the drawn resource gets this share of the lane (drawn dashed).
const ZERO_DEMAND_SHARE: u128 = 8;
/// Lane units per unit of capacity: the lane height is `capacity × SCALE` units, so a task
/// with no demand can be given `capacity × SCALE / ZERO_DEMAND_SHARE` units exactly.
const SCALE: u128 = ZERO_DEMAND_SHARE;

/// How [`svg_gantt`] draws a plan: plain values with chained setters; [`svg_gantt`] checks them
/// against the problem and says what is wrong.
///
/// ```
/// let options = dagplan::SvgOptions::default().resource("memory").dependencies(true).width(1200);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgOptions {
    resource: Option<String>,
    width: u32,
    lane_height: u32,
    profiles: bool,
    dependencies: bool,
    critical_path: bool,
    lower_bound: Option<Time>,
    title: Option<String>,
}

impl Default for SvgOptions {
    fn default() -> Self {
        Self {
            resource: None,
            width: 960,
            lane_height: 72,
            profiles: true,
            dependencies: false,
            critical_path: true,
            lower_bound: None,
            title: None,
        }
    }
}

impl SvgOptions {
    /// The smallest picture width, px.
    pub const MIN_WIDTH: u32 = 320;
    /// The largest picture width, px.
    pub const MAX_WIDTH: u32 = 100_000;
    /// The smallest lane height, px.
    pub const MIN_LANE_HEIGHT: u32 = 16;
    /// The largest lane height, px.
    pub const MAX_LANE_HEIGHT: u32 = 2_000;

    /// The resource whose share of the node's capacity sets each task's height (default: the
    /// problem's first resource).
    pub fn resource(mut self, name: impl Into<String>) -> Self {
        self.resource = Some(name.into());
        self
    }

    /// The picture's width in px, from [`MIN_WIDTH`](Self::MIN_WIDTH) to
    /// [`MAX_WIDTH`](Self::MAX_WIDTH) (default 960).
    pub fn width(mut self, px: u32) -> Self {
        self.width = px;
        self
    }

    /// The height of a node's full capacity in px, from
    /// [`MIN_LANE_HEIGHT`](Self::MIN_LANE_HEIGHT) to [`MAX_LANE_HEIGHT`](Self::MAX_LANE_HEIGHT)
    /// (default 72).
    pub fn lane_height(mut self, px: u32) -> Self {
        self.lane_height = px;
        self
    }

    /// Whether to draw each node's usage profile per resource under its lane (default yes).
    pub fn profiles(mut self, on: bool) -> Self {
        self.profiles = on;
        self
    }

    /// Whether to draw every dependency as an arrow (default no).
    pub fn dependencies(mut self, on: bool) -> Self {
        self.dependencies = on;
        self
    }

    /// Whether to outline the critical path ([`Cpm::critical_path`]) in red (default yes).
    pub fn critical_path(mut self, on: bool) -> Self {
        self.critical_path = on;
        self
    }

    /// The proven lower bound to mark (default: the problem's [`lower_bound`]); pass a
    /// solver's stronger bound here.
    pub fn lower_bound(mut self, bound: Time) -> Self {
        self.lower_bound = Some(bound);
        self
    }

    /// The title line (default: makespan, bound and size).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
}

/// Draws the schedule as an SVG Gantt chart.
///
/// Every lane is a node; a task's height is its demand's share of the node's capacity in the
/// chosen resource (a task with no demand there gets an eighth of the lane, outlined dashed),
/// and tasks running at the same time are stacked, so a lane full to the top is a node used
/// to capacity. Each task carries a `<title>` (task, node, start, finish, demand) that
/// browsers show on hover. The output depends only on the problem, the schedule and the
/// options. The schedule is drawn as it is; check it with [`Schedule::verify`].
///
/// ```
/// use dagplan::{SvgOptions, svg_gantt};
/// let problem = dagplan::io::read_json_str(dagplan::example::FIVE_TASKS_JSON)?;
/// let schedule = dagplan::example::documented_deployment(&problem)?;
/// let svg = svg_gantt(&problem, &schedule, &SvgOptions::default())?;
/// assert!(svg.starts_with("<svg") && svg.matches("<title>").count() == 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn svg_gantt(problem: &Problem, schedule: &Schedule, options: &SvgOptions) -> Result<String, RenderError> {
    let plan = Plan::new(problem, schedule, options)?;
    let mut out = String::new();
    plan.write(&mut out).map_err(|_| RenderError::Internal("formatting the SVG failed".into()))?;
    Ok(out)
}

/// One node's block: its tasks' vertical placement and the block's size.
struct Lane {
    node: NodeId,
    /// Assignments on the node, with their offset and height in lane units.
    bars: Vec<(Assignment, u128, u128)>,
    /// Units of the node's full capacity.
    capacity_units: u128,
    /// Units the stacking reached (at least the capacity).
    total_units: u128,
    /// The lane's top, px.
    top: f64,
    /// The lane's height, px.
    height: f64,
}

/// Everything needed to write the picture.
struct Plan<'a> {
    problem: &'a Problem,
    options: &'a SvgOptions,
    resource: Option<usize>,
    lanes: Vec<Lane>,
    on_path: Vec<bool>,
    path: Vec<TaskId>,
    /// The CPM length (the critical path's length).
    critical_length: Time,
    /// Where each task was drawn: (x start, x end, y middle), by task id.
    centre: Vec<Option<(f64, f64, f64)>>,
    makespan: Time,
    bound: Time,
    span: Time,
    left: f64,
    width: f64,
    height: f64,
}

impl<'a> Plan<'a> {
    fn new(problem: &'a Problem, schedule: &Schedule, options: &'a SvgOptions) -> Result<Self, RenderError> {
        let resource = match &options.resource {
            Some(name) => Some(problem.resources().iter().position(|r| r == name).ok_or_else(|| {
                RenderError::UnknownResource { name: name.clone(), known: problem.resources().to_vec() }
            })?),
            None => (problem.resource_count() > 0).then_some(0),
        };
        check_range("width", options.width, SvgOptions::MIN_WIDTH, SvgOptions::MAX_WIDTH)?;
        check_range("lane height", options.lane_height, SvgOptions::MIN_LANE_HEIGHT, SvgOptions::MAX_LANE_HEIGHT)?;
        for a in schedule.assignments() {
            if a.task.index() >= problem.task_count() || a.node.index() >= problem.node_count() {
                return Err(RenderError::ForeignSchedule { task: a.task.0, node: a.node.0 });
            }
        }
        let cpm = Cpm::analyze(problem);
        let path = if options.critical_path { cpm.critical_path().to_vec() } else { Vec::new() };
        let mut on_path = vec![false; problem.task_count()];
        for t in &path {
            if let Some(flag) = on_path.get_mut(t.index()) {
                *flag = true;
            }
        }
        let makespan = schedule.makespan();
        let bound = options.lower_bound.unwrap_or_else(|| lower_bound(problem));
        let longest_label = problem
            .nodes()
            .map(|n| problem.node_name(n).chars().count())
            .chain(problem.resources().iter().map(|r| r.chars().count() + 12))
            .max()
            .unwrap_or(0);
        let left = (longest_label as f64 * CHAR + 24.0).clamp(96.0, 280.0);
        let mut plan = Self {
            problem,
            options,
            resource,
            lanes: Vec::new(),
            on_path,
            path,
            critical_length: cpm.length(),
            centre: vec![None; problem.task_count()],
            makespan,
            bound,
            span: makespan.max(bound).max(1),
            left,
            width: f64::from(options.width),
            height: 0.0,
        };
        plan.lay_out(schedule);
        Ok(plan)
    }

    /// Stacks each node's tasks and places the lanes one under the other.
    fn lay_out(&mut self, schedule: &Schedule) {
        let problem = self.problem;
        let mut per_node: Vec<Vec<Assignment>> = vec![Vec::new(); problem.node_count()];
        for a in schedule.assignments() {
            if let Some(list) = per_node.get_mut(a.node.index()) {
                list.push(*a);
            }
        }
        let profiles =
            if self.options.profiles { problem.resource_count() as f64 * (PROFILE_HEIGHT + 4.0) } else { 0.0 };
        let lane_px = f64::from(self.options.lane_height);
        let mut top = HEADER;
        for (node, assignments) in problem.nodes().zip(per_node) {
            let capacity = self.resource.map_or(0, |r| problem.capacity(node).get(r).copied().unwrap_or(0));
            let capacity_units = u128::from(capacity.max(1)) * SCALE;
            let bars: Vec<Bar> = assignments
                .iter()
                .map(|a| {
                    let demand = self.demand(a.task);
                    let height = if demand == 0 {
                        capacity_units / ZERO_DEMAND_SHARE
                    } else {
                        u128::from(demand).saturating_mul(SCALE)
                    };
                    Bar { start: a.start, finish: a.finish, height }
                })
                .collect();
            let offsets = stack(&bars);
            let total_units = bars
                .iter()
                .zip(&offsets)
                .map(|(b, &o)| o.saturating_add(b.height))
                .max()
                .unwrap_or(0)
                .max(capacity_units);
            let height = lane_px * total_units as f64 / capacity_units as f64;
            let bars = assignments.into_iter().zip(offsets).zip(bars).map(|((a, o), b)| (a, o, b.height)).collect();
            self.lanes.push(Lane { node, bars, capacity_units, total_units, top, height });
            top += height + profiles + NODE_GAP;
        }
        let mut centre = Vec::new();
        for lane in &self.lanes {
            let unit = lane.height / lane.total_units as f64;
            let bottom = lane.top + lane.height;
            for &(a, offset, height) in &lane.bars {
                let middle = bottom - (offset as f64 + height as f64 / 2.0) * unit;
                let (from, to) = (self.x(a.start), self.x(a.finish));
                centre.push((a.task, (from, to, middle)));
            }
        }
        for (task, place) in centre {
            if let Some(slot) = self.centre.get_mut(task.index()) {
                *slot = Some(place);
            }
        }
        self.height = top + FOOTER;
    }

    /// The task's demand in the drawn resource (0 when the problem has none).
    fn demand(&self, task: TaskId) -> u64 {
        self.resource.map_or(0, |r| self.problem.demand(task).get(r).copied().unwrap_or(0))
    }

    /// The x coordinate of a time, px.
    fn x(&self, t: Time) -> f64 {
        let plot = self.width - self.left - RIGHT;
        self.left + plot * (t as f64 / self.span as f64)
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        let (w, h) = (self.width, self.height.ceil());
        writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="11">"#
        )?;
        writeln!(
            out,
            r#"<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="context-stroke"/></marker></defs>"#
        )?;
        writeln!(out, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##)?;
        self.write_header(out)?;
        self.write_grid(out)?;
        for lane in &self.lanes {
            self.write_lane(out, lane)?;
            if self.options.profiles {
                self.write_profiles(out, lane)?;
            }
        }
        if self.options.dependencies {
            self.write_dependencies(out)?;
        }
        self.write_markers(out)?;
        out.push_str("</svg>\n");
        Ok(())
    }

    fn write_header(&self, out: &mut String) -> std::fmt::Result {
        let problem = self.problem;
        let title = match &self.options.title {
            Some(t) => t.clone(),
            None => format!(
                "makespan {} · lower bound {} · {} tasks on {} nodes",
                self.makespan,
                self.bound,
                problem.task_count(),
                problem.node_count()
            ),
        };
        writeln!(out, r#"<text x="12" y="22" font-size="15" font-weight="bold">{}</text>"#, escape(&title))?;
        let height_note = match self.resource {
            Some(r) => format!(
                "bar height: share of the node's {} capacity (dashed: no {} demand)",
                problem.resources().get(r).map_or("", String::as_str),
                problem.resources().get(r).map_or("", String::as_str)
            ),
            None => "bar height: no resources, every task an eighth of a lane".to_owned(),
        };
        writeln!(out, r##"<text x="12" y="42" fill="#444444">{}</text>"##, escape(&height_note))?;
        if !self.path.is_empty() {
            let x = 12.0 + (height_note.chars().count() as f64 + 4.0) * CHAR;
            writeln!(
                out,
                r#"<rect x="{x:.1}" y="33" width="14" height="11" fill="none" stroke="{CRITICAL}" stroke-width="2.5"/>"#
            )?;
            writeln!(
                out,
                r##"<text x="{:.1}" y="42" fill="#444444">critical path (CPM): {} tasks, length {}</text>"##,
                x + 20.0,
                self.path.len(),
                self.critical_length
            )?;
        }
        Ok(())
    }

    fn write_grid(&self, out: &mut String) -> std::fmt::Result {
        let plot = self.width - self.left - RIGHT;
        let ticks = ticks(self.span, (plot / 70.0).max(1.0) as u64);
        let (top, bottom) = (HEADER - 6.0, self.height - FOOTER + 4.0);
        out.push_str(r##"<g stroke="#e6e6e6" stroke-width="1">"##);
        for &t in &ticks {
            let x = self.x(t);
            write!(out, r#"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}"/>"#)?;
        }
        out.push_str("</g>\n");
        writeln!(
            out,
            r##"<line x1="{:.1}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" stroke="#333333"/>"##,
            self.left,
            self.x(self.span)
        )?;
        out.push_str(r#"<g text-anchor="middle">"#);
        for &t in &ticks {
            let x = self.x(t);
            write!(
                out,
                r##"<line x1="{x:.1}" y1="{bottom:.1}" x2="{x:.1}" y2="{:.1}" stroke="#333333"/><text x="{x:.1}" y="{:.1}">{t}</text>"##,
                bottom + 5.0,
                bottom + 17.0
            )?;
        }
        out.push_str("</g>\n");
        writeln!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444444">time</text>"##,
            self.x(self.span),
            bottom + 32.0
        )
    }

    fn write_lane(&self, out: &mut String, lane: &Lane) -> std::fmt::Result {
        let problem = self.problem;
        let (x0, x1) = (self.x(0), self.x(self.span));
        let unit = lane.height / lane.total_units as f64;
        let capacity_px = lane.capacity_units as f64 * unit;
        let bottom = lane.top + lane.height;
        writeln!(
            out,
            r##"<rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="{capacity_px:.1}" fill="#f5f5f5" stroke="#cccccc"/>"##,
            bottom - capacity_px,
            x1 - x0
        )?;
        if lane.total_units > lane.capacity_units {
            // The stacking needed more room than the capacity: mark where the capacity ends.
            writeln!(
                out,
                r##"<line x1="{x0:.1}" y1="{y:.1}" x2="{x1:.1}" y2="{y:.1}" stroke="#999999" stroke-dasharray="4 3"/>"##,
                y = bottom - capacity_px
            )?;
        }
        let name = truncate(problem.node_name(lane.node), ((self.left - 16.0) / 7.5) as usize);
        writeln!(
            out,
            r#"<text x="8" y="{:.1}" font-size="12" font-weight="bold">{}</text>"#,
            lane.top + 13.0,
            escape(&name)
        )?;
        if let Some(r) = self.resource {
            let capacity = problem.capacity(lane.node).get(r).copied().unwrap_or(0);
            let label = format!("{} {capacity}", problem.resources().get(r).map_or("", String::as_str));
            let label = truncate(&label, ((self.left - 16.0) / CHAR) as usize);
            writeln!(out, r##"<text x="8" y="{:.1}" fill="#666666">{}</text>"##, lane.top + 27.0, escape(&label))?;
        }
        for &(a, offset, height) in &lane.bars {
            self.write_task(out, a, bottom - (offset as f64 + height as f64) * unit, height as f64 * unit)?;
        }
        Ok(())
    }

    fn write_task(&self, out: &mut String, a: Assignment, y: f64, h: f64) -> std::fmt::Result {
        let problem = self.problem;
        let name = problem.task_name(a.task);
        let x = self.x(a.start);
        let w = (self.x(a.finish) - x).max(1.5);
        let fill = PALETTE.get(a.task.index() % PALETTE.len()).copied().unwrap_or("#4e79a7");
        let critical = self.on_path.get(a.task.index()).copied().unwrap_or(false);
        let demand: Vec<String> = problem
            .resources()
            .iter()
            .zip(problem.demand(a.task))
            .filter(|&(_, &q)| q > 0)
            .map(|(r, q)| format!("{r} {q}"))
            .collect();
        let demand = if demand.is_empty() { "none".to_owned() } else { demand.join(", ") };
        let mut title = format!(
            "task {name}\nnode {}\nstart {}, finish {}\ndemand {demand}",
            problem.node_name(a.node),
            a.start,
            a.finish
        );
        if critical {
            title.push_str("\non the critical path");
        }
        let stroke = if critical {
            format!(r#"stroke="{CRITICAL}" stroke-width="2.5""#)
        } else if self.demand(a.task) == 0 {
            r##"stroke="#555555" stroke-width="1" stroke-dasharray="3 2""##.to_owned()
        } else {
            r##"stroke="#ffffff" stroke-width="1""##.to_owned()
        };
        write!(
            out,
            r#"<g><title>{}</title><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{fill}" {stroke}/>"#,
            escape(&title),
            h.max(1.0)
        )?;
        let chars = name.chars().count() as f64;
        if w >= chars * CHAR + 6.0 && h >= 12.0 {
            write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
                x + w / 2.0,
                y + h / 2.0 + 4.0,
                escape(name)
            )?;
        }
        out.push_str("</g>\n");
        Ok(())
    }

    fn write_profiles(&self, out: &mut String, lane: &Lane) -> std::fmt::Result {
        let problem = self.problem;
        let (x0, x1) = (self.x(0), self.x(self.span));
        let mut top = lane.top + lane.height + 4.0;
        for (r, resource) in problem.resources().iter().enumerate() {
            let capacity = problem.capacity(lane.node).get(r).copied().unwrap_or(0);
            let steps = usage_steps(
                lane.bars
                    .iter()
                    .map(|&(a, _, _)| (a.start, a.finish, problem.demand(a.task).get(r).copied().unwrap_or(0))),
            );
            let peak = steps.iter().map(|&(_, u)| u).max().unwrap_or(0);
            let bottom = top + PROFILE_HEIGHT;
            let y = |usage: u128| {
                let share = if capacity == 0 { f64::from(u8::from(usage > 0)) } else { usage as f64 / capacity as f64 };
                bottom - PROFILE_HEIGHT * share.min(1.0)
            };
            writeln!(
                out,
                r##"<rect x="{x0:.1}" y="{top:.1}" width="{:.1}" height="{PROFILE_HEIGHT:.1}" fill="#ffffff" stroke="#cccccc"/>"##,
                x1 - x0
            )?;
            if !steps.is_empty() {
                let mut d = String::new();
                for &(t, usage) in &steps {
                    let x = self.x(t);
                    if d.is_empty() {
                        write!(d, "M{x:.1},{bottom:.1}")?;
                    } else {
                        write!(d, " H{x:.1}")?;
                    }
                    write!(d, " V{:.1}", y(usage))?;
                }
                d.push_str(" Z");
                let over = peak > u128::from(capacity);
                let fill = if over { CRITICAL } else { "#6b8fc7" };
                writeln!(
                    out,
                    r#"<path d="{d}" fill="{fill}" fill-opacity="0.55" stroke="{fill}" stroke-width="0.8"/>"#
                )?;
            }
            let label = truncate(&format!("{resource} {peak}/{capacity}"), ((self.left - 16.0) / CHAR) as usize);
            writeln!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#666666">{}</text>"##,
                self.left - 6.0,
                top + PROFILE_HEIGHT / 2.0 + 4.0,
                escape(&label)
            )?;
            top = bottom + 4.0;
        }
        Ok(())
    }

    fn write_dependencies(&self, out: &mut String) -> std::fmt::Result {
        let problem = self.problem;
        let critical_edge =
            |a: TaskId, b: TaskId| self.path.windows(2).any(|w| matches!(w, [x, y] if *x == a && *y == b));
        out.push_str(r#"<g fill="none" stroke-width="1.2">"#);
        out.push('\n');
        for t in problem.tasks() {
            let Some(&Some((_, from_x, from_y))) = self.centre.get(t.index()) else { continue };
            for e in problem.successors(t) {
                let Some(&Some((to_x, _, to_y))) = self.centre.get(e.task.index()) else { continue };
                let bend = ((to_x - from_x).abs() / 2.0).max(12.0);
                let colour = if critical_edge(t, e.task) { CRITICAL } else { "#555555" };
                writeln!(
                    out,
                    r#"<path d="M{from_x:.1},{from_y:.1} C{:.1},{from_y:.1} {:.1},{to_y:.1} {to_x:.1},{to_y:.1}" stroke="{colour}" stroke-opacity="0.7" marker-end="url(#arrow)"/>"#,
                    from_x + bend,
                    to_x - bend
                )?;
            }
        }
        out.push_str("</g>\n");
        Ok(())
    }

    /// Vertical lines at the makespan and the lower bound, labelled above the first lane.
    fn write_markers(&self, out: &mut String) -> std::fmt::Result {
        let (top, bottom) = (HEADER - 22.0, self.height - FOOTER + 4.0);
        let xm = self.x(self.makespan);
        if self.bound == self.makespan {
            writeln!(
                out,
                r##"<line x1="{xm:.1}" y1="{top:.1}" x2="{xm:.1}" y2="{bottom:.1}" stroke="#2ca02c" stroke-width="1.5"/>"##
            )?;
            return writeln!(
                out,
                r##"<text x="{xm:.1}" y="{:.1}" text-anchor="end" fill="#2ca02c">makespan {} = lower bound: optimal</text>"##,
                top - 4.0,
                self.makespan
            );
        }
        let xb = self.x(self.bound);
        writeln!(
            out,
            r##"<line x1="{xm:.1}" y1="{top:.1}" x2="{xm:.1}" y2="{bottom:.1}" stroke="#333333" stroke-width="1.5"/>"##
        )?;
        writeln!(
            out,
            r##"<text x="{xm:.1}" y="{:.1}" text-anchor="end" fill="#333333">makespan {}</text>"##,
            top - 4.0,
            self.makespan
        )?;
        writeln!(
            out,
            r##"<line x1="{xb:.1}" y1="{:.1}" x2="{xb:.1}" y2="{bottom:.1}" stroke="#2ca02c" stroke-width="1.5" stroke-dasharray="5 3"/>"##,
            top - 14.0
        )?;
        writeln!(
            out,
            r##"<text x="{xb:.1}" y="{:.1}" text-anchor="end" fill="#2ca02c">lower bound {}</text>"##,
            top - 18.0,
            self.bound
        )
    }
}

/// Refuses a value outside `[min, max]`, naming the option.
fn check_range(option: &'static str, value: u32, min: u32, max: u32) -> Result<(), RenderError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(RenderError::BadOption { option, value: value.to_string(), expected: format!("{min} to {max}") })
    }
}

/// The text cut to `max` characters, with an ellipsis when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NodeSpec, ProblemSpec, TaskSpec};

    fn five() -> (Problem, Schedule) {
        let problem = crate::io::read_json_str(crate::example::FIVE_TASKS_JSON).unwrap();
        let schedule = crate::example::documented_deployment(&problem).unwrap();
        (problem, schedule)
    }

    #[test]
    fn one_title_per_task_and_the_same_picture_every_time() {
        let (problem, schedule) = five();
        let options = SvgOptions::default().dependencies(true);
        let svg = svg_gantt(&problem, &schedule, &options).unwrap();
        assert_eq!(svg.matches("<title>").count(), 5);
        assert!(
            svg.contains(
                "<title>task v3\nnode n3\nstart 10, finish 40\ndemand cpu 4, memory 16\non the critical path</title>"
            ),
            "{svg}"
        );
        assert!(svg.contains("makespan 70 = lower bound: optimal"));
        assert_eq!(svg.matches("marker-end").count(), problem.dependency_count());
        assert_eq!(svg, svg_gantt(&problem, &schedule, &options).unwrap());
    }

    #[test]
    fn heights_are_shares_of_the_node_capacity() {
        let (problem, schedule) = five();
        let svg = svg_gantt(&problem, &schedule, &SvgOptions::default().lane_height(80).profiles(false)).unwrap();
        // v1 needs 1 of n1's 2 cpus: half the lane; v3 needs 4 of n3's 8: half as well.
        let heights: Vec<&str> = svg
            .split("<g><title>")
            .skip(1)
            .map(|task| task.split("height=\"").nth(1).unwrap().split('"').next().unwrap())
            .collect();
        assert_eq!(heights, ["40.0", "40.0", "40.0", "40.0", "40.0"]);
    }

    #[test]
    fn bad_options_and_foreign_schedules_are_errors() {
        let (problem, schedule) = five();
        let error = svg_gantt(&problem, &schedule, &SvgOptions::default().resource("gpu")).unwrap_err();
        assert_eq!(error.to_string(), "unknown resource `gpu` (the problem has: cpu, memory)");
        let error = svg_gantt(&problem, &schedule, &SvgOptions::default().width(10)).unwrap_err();
        assert_eq!(error.to_string(), "width 10 is out of range: expected 320 to 100000");
        let foreign = Schedule::new(vec![Assignment { task: TaskId(9), node: NodeId(0), start: 0, finish: 1 }]);
        assert!(matches!(
            svg_gantt(&problem, &foreign, &SvgOptions::default()),
            Err(RenderError::ForeignSchedule { .. })
        ));
    }

    #[test]
    fn names_are_escaped_and_no_resources_still_draw() {
        let problem = ProblemSpec::new()
            .node(NodeSpec::new("a<b>&\"c\""))
            .task(TaskSpec::new("x&y", 3))
            .task(TaskSpec::new("<z>", 0).after("x&y"))
            .build()
            .unwrap();
        let schedule = Schedule::new(vec![
            Assignment { task: TaskId(0), node: NodeId(0), start: 0, finish: 3 },
            Assignment { task: TaskId(1), node: NodeId(0), start: 3, finish: 3 },
        ]);
        let svg = svg_gantt(&problem, &schedule, &SvgOptions::default()).unwrap();
        assert!(svg.contains("a&lt;b&gt;&amp;&quot;c&quot;") && svg.contains("task x&amp;y"), "{svg}");
        assert!(!svg.contains("<z>") && !svg.contains("x&y"));
    }
}
