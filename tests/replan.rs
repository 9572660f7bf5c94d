//! Replanning a live cluster: the user story of issue 14 and the replanning rules.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use dagplan::example::{documented_deployment, five_tasks};
use dagplan::{CriticalPath, Dp, Greedy, NodeSpec, Replan, Scheduler, SolveOptions, Status, TaskSpec, solver_by_name};

/// The five-task example planned by the library; at 35, v3 is still running and will take 10
/// ticks longer than planned, and the node that would run v4 is in maintenance from 45 to 80.
/// Replanned at 35: the plan verifies, keeps v3 where it runs, avoids the downtime and is
/// proven optimal.
#[test]
fn user_story_v3_runs_late_and_v4_node_goes_down() {
    let problem = five_tasks().unwrap();
    let plan = Greedy::default().schedule(&problem).unwrap();
    assert_eq!(plan.makespan(), 70);
    let v3 = plan.schedule.assignment(problem.task_id("v3").unwrap()).copied().unwrap();
    let v4 = plan.schedule.assignment(problem.task_id("v4").unwrap()).copied().unwrap();
    assert!(v3.start < 35 && v3.finish > 35, "v3 runs at 35 in the plan: {v3:?}");
    let v4_node = problem.node_name(v4.node).to_owned();

    let replanning = Replan::at(35)
        .running_until("v3", v3.finish + 10)
        .node_unavailable(v4_node.clone(), 45, 80)
        .problem(&problem, &plan.schedule)
        .unwrap();
    let p = &replanning.problem;
    assert_eq!(p.now(), 35);
    let solvers = ["greedy", "critical-path", "topological", "dp", "ilp", "cp", "search", "auto"];
    for solver in solvers.into_iter().filter(|name| dagplan::solver_names().contains(name)) {
        let replanned = replanning.solve(SolveOptions::default(), |o| solver_by_name(solver, &o).unwrap()).unwrap();
        let schedule = &replanned.solution.schedule;
        assert_eq!(schedule.verify(p), Ok(()), "{solver}");
        let new_v3 = schedule.assignment(p.task_id("v3").unwrap()).unwrap();
        assert_eq!(
            (new_v3.node, new_v3.start, new_v3.finish),
            (p.node_id(problem.node_name(v3.node)).unwrap(), v3.start, v3.finish + 10)
        );
        let down = p.node_id(&v4_node).unwrap();
        for a in schedule.assignments() {
            assert!(a.node != down || a.finish <= 45 || a.start >= 80, "{solver} runs in the maintenance: {a:?}");
        }
        // v4 waits for v3 (until 50), runs 20, then v5 runs 10.
        assert_eq!(replanned.solution.makespan(), 80, "{solver}");
        assert_eq!(replanned.solution.status, Status::Optimal, "{solver}");
    }
}

#[test]
fn replanning_with_nothing_changed_is_no_worse() {
    let problem = five_tasks().unwrap();
    let plan = documented_deployment(&problem).unwrap();
    for now in [0, 5, 10, 25, 40, 55, 65, 70] {
        let replanning = Replan::at(now).problem(&problem, &plan).unwrap();
        assert!(replanning.warm_start().is_some(), "at {now}");
        let replanned = replanning.solve(SolveOptions::default(), CriticalPath::new).unwrap();
        assert_eq!(replanned.solution.schedule.verify(&replanning.problem), Ok(()));
        assert!(replanned.solution.makespan() <= 70, "at {now}: {}", replanned.solution.makespan());
    }
}

#[test]
fn finished_running_added_cancelled_and_removed() {
    let problem = five_tasks().unwrap();
    let plan = documented_deployment(&problem).unwrap();
    // At 20: v1 done, v2 and v3 running; v2 finishes early at 20 (reported), v5 is cancelled,
    // a new task w after v4 arrives, n1 leaves and n4 joins.
    let replanning = Replan::at(20)
        .finished("v2", 20)
        .task_cancelled("v5")
        .task_added(TaskSpec::new("w", 5).demand("cpu", 1).after("v4").after("v5"))
        .node_removed("n1")
        .node_added(NodeSpec::new("n4").capacity("cpu", 2).capacity("memory", 8))
        .problem(&problem, &plan)
        .unwrap();
    let p = &replanning.problem;
    let names: Vec<&str> = p.tasks().map(|t| p.task_name(t)).collect();
    assert_eq!(names, ["v3", "v4", "w"]);
    assert!(p.node_id("n1").is_none() && p.node_id("n4").is_some());
    let v4 = p.task_id("v4").unwrap();
    let after: Vec<&str> = p.predecessors(v4).iter().map(|e| p.task_name(e.task)).collect();
    assert_eq!(after, ["v3"]);
    let w = p.task_id("w").unwrap();
    assert_eq!(p.predecessors(w).len(), 1);
    let replanned = replanning.solve(SolveOptions::default(), Greedy::new).unwrap();
    assert_eq!(replanned.solution.schedule.verify(p), Ok(()));
    assert_eq!(replanned.solution.makespan(), 65); // v3 until 40, v4 40..60, w 60..65
}

#[test]
fn keep_nodes_moves_only_when_it_pays() {
    let problem = five_tasks().unwrap();
    let plan = documented_deployment(&problem).unwrap();
    // n2 (v4's node) goes down for a long time: v4 must move to make the plan shorter.
    let replanning = Replan::at(35).node_unavailable("n2", 35, 1000).keep_nodes(true).problem(&problem, &plan).unwrap();
    let replanned = replanning.solve(SolveOptions::default(), Greedy::new).unwrap();
    assert_eq!(replanned.solution.schedule.verify(&replanning.problem), Ok(()));
    assert_eq!(replanned.solution.makespan(), 70);
    assert!(replanned.moved >= 1);
    // Nothing happened: nothing moves.
    let replanning = Replan::at(35).keep_nodes(true).problem(&problem, &plan).unwrap();
    let replanned = replanning.solve(SolveOptions::default(), Greedy::new).unwrap();
    assert_eq!(replanned.moved, 0);
    assert_eq!(replanned.solution.makespan(), 70);
    // One exact solve: the kept plan is the warm start, proven optimal, and nothing moves.
    let replanned = replanning.solve(SolveOptions::default(), Dp::new).unwrap();
    assert_eq!((replanned.moved, replanned.solution.status, replanned.kept_previous), (0, Status::Optimal, true));
    assert_eq!(replanned.solution.makespan(), 70);
    // With n2 down, the optimum moves v4 (and proves 70).
    let replanning = Replan::at(35).node_unavailable("n2", 35, 1000).keep_nodes(true).problem(&problem, &plan).unwrap();
    let replanned = replanning.solve(SolveOptions::default(), Dp::new).unwrap();
    assert_eq!(replanned.solution.schedule.verify(&replanning.problem), Ok(()));
    assert_eq!((replanned.solution.makespan(), replanned.solution.status), (70, Status::Optimal));
    assert!(replanned.moved >= 1);
}

#[test]
fn events_that_contradict_the_plan_are_errors() {
    let problem = five_tasks().unwrap();
    let plan = documented_deployment(&problem).unwrap();
    let e = Replan::at(35).running_until("v5", 80).problem(&problem, &plan).unwrap_err();
    assert!(e.to_string().contains("`v5`") && e.to_string().contains("60"), "{e}");
    let e = Replan::at(35).finished("v3", 36).problem(&problem, &plan).unwrap_err();
    assert!(e.to_string().contains("`v3`") && e.to_string().contains("36"), "{e}");
    let e = Replan::at(35).node_removed("n9").problem(&problem, &plan).unwrap_err();
    assert!(e.to_string().contains("`n9`"), "{e}");
    let e = Replan::at(35).task_cancelled("ghost").problem(&problem, &plan).unwrap_err();
    assert!(e.to_string().contains("`ghost`"), "{e}");
}
