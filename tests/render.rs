//! The pictures: every SVG parses as XML, has one `<title>` per task, and draws (with resvg)
//! to a non-empty image of the size it declares; Mermaid lists every task once; the HTML
//! report embeds the same SVG. Run over the five-task example and over generated instances
//! of several shapes, solved by the fast solvers.
//!
//! With `DAGPLAN_PNG_DIR=dir`, the drawn images are also written there as PNG files, to be
//! looked at.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use dagplan::{Problem, ResultDocument, Schedule, SolveOptions};
use dagplan::{SvgOptions, html_report, mermaid_gantt, svg_gantt};

fn five_tasks() -> Problem {
    dagplan::io::read_json_str(dagplan::example::FIVE_TASKS_JSON).unwrap()
}

/// Checks the SVG's structure and draws it; returns the number of non-white pixels.
fn check_svg(svg: &str, problem: &Problem, schedule: &Schedule, png: Option<&str>) -> usize {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let width: f32 = root.attribute("width").unwrap().parse().unwrap();
    let height: f32 = root.attribute("height").unwrap().parse().unwrap();

    // One <title> per assignment, each the first child of a group holding the task's bar, and
    // naming the task, its node, start, finish and demand.
    let titles: Vec<_> = document.descendants().filter(|n| n.has_tag_name("title")).collect();
    assert_eq!(titles.len(), schedule.assignments().len());
    let mut named: Vec<&str> = Vec::new();
    for (title, a) in titles.iter().zip(sorted_by_node(schedule)) {
        let text = title.text().unwrap();
        let mut lines = text.lines();
        let task = lines.next().unwrap().strip_prefix("task ").unwrap();
        assert_eq!(task, problem.task_name(a.task));
        assert_eq!(lines.next(), Some(format!("node {}", problem.node_name(a.node)).as_str()));
        assert_eq!(lines.next(), Some(format!("start {}, finish {}", a.start, a.finish).as_str()));
        assert!(lines.next().unwrap().starts_with("demand "));
        let group = title.parent().unwrap();
        assert!(group.has_tag_name("g") && group.children().any(|c| c.has_tag_name("rect")));
        named.push(task);
    }
    named.sort_unstable();
    named.dedup();
    assert_eq!(named.len(), schedule.assignments().len(), "a task drawn twice");

    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = resvg::usvg::Tree::from_str(svg, &options).unwrap();
    let size = tree.size().to_int_size();
    assert_eq!((size.width() as f32, size.height() as f32), (width, height));
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
    if let (Some(name), Ok(dir)) = (png, std::env::var("DAGPLAN_PNG_DIR")) {
        pixmap.save_png(std::path::Path::new(&dir).join(format!("{name}.png"))).unwrap();
    }
    pixmap.pixels().iter().filter(|p| (p.red(), p.green(), p.blue()) != (255, 255, 255)).count()
}

/// The order the SVG draws tasks in: by node, then as the schedule lists them.
fn sorted_by_node(schedule: &Schedule) -> Vec<dagplan::Assignment> {
    let mut list = schedule.assignments().to_vec();
    list.sort_by_key(|a| a.node);
    list
}

#[test]
fn the_five_task_plan_draws_with_every_option() {
    let problem = five_tasks();
    let schedule = dagplan::example::documented_deployment(&problem).unwrap();
    let plain = SvgOptions::default();
    let full = SvgOptions::default().dependencies(true).resource("memory").lane_height(90).width(1200);
    let bare = SvgOptions::default().profiles(false).critical_path(false).width(400);
    let mut inked = Vec::new();
    for (name, options) in [("five_tasks", &plain), ("five_tasks_full", &full), ("five_tasks_bare", &bare)] {
        let svg = svg_gantt(&problem, &schedule, options).unwrap();
        let ink = check_svg(&svg, &problem, &schedule, Some(name));
        assert!(ink > 5_000, "{name}: only {ink} pixels drawn");
        inked.push(ink);
    }
    // Profiles and arrows add ink; a narrow picture without them has less.
    assert!(inked[2] < inked[0], "{inked:?}");
}

#[test]
fn generated_plans_of_every_shape_draw_and_list_every_task_once() {
    use dagplan::Generator;
    let shapes = [
        Generator { tasks: 40, nodes: 3, seed: 1, ..Generator::default() },
        Generator {
            tasks: 60,
            nodes: 6,
            resources: 3,
            max_delay: 4,
            eligibility: 0.2,
            seed: 2,
            ..Generator::default()
        },
        Generator { tasks: 25, nodes: 1, resources: 4, seed: 3, ..Generator::default() },
    ];
    for (i, generator) in shapes.iter().enumerate() {
        let problem = generator.generate().unwrap();
        for solver in dagplan::heuristic_solvers() {
            let solution = solver.schedule(&problem).unwrap();
            assert!(solution.schedule.verify(&problem).is_ok());
            let options = SvgOptions::default().dependencies(true).lower_bound(solution.lower_bound);
            let svg = svg_gantt(&problem, &solution.schedule, &options).unwrap();
            let png = format!("generated_{i}_{}", solver.name());
            assert!(check_svg(&svg, &problem, &solution.schedule, Some(&png)) > 5_000);

            let mermaid = mermaid_gantt(&problem, &solution.schedule).unwrap();
            let mut ids: Vec<String> = mermaid
                .lines()
                .filter_map(|l| l.split_once(" :"))
                .map(|(_, meta)| meta.trim_start_matches("crit, ").split(',').next().unwrap().to_owned())
                .collect();
            ids.sort();
            let mut expected: Vec<String> = problem.tasks().map(|t| format!("t{}", t.0)).collect();
            expected.sort();
            assert_eq!(ids, expected, "every task exactly once in\n{mermaid}");

            let result = ResultDocument::new(&problem, solver.name(), &solution, &SolveOptions::default());
            let back = ResultDocument::from_json(&result.to_json()).unwrap();
            assert_eq!(back, result);
            assert_eq!(back.schedule(&problem).unwrap(), solution.schedule);
            let page = html_report(&problem, &[result], &options).unwrap();
            assert!(page.contains(&svg), "the report embeds the same picture");
        }
    }
}
