//! Parse → solve with every fast solver → verify: any accepted problem gets a schedule that
//! passes the verifier and is never shorter than the lower bound.
#![no_main]

use dagplan::Scheduler;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(problem) = dagplan::io::read_json_str(text) else { return };
    if problem.task_count() > 300 || problem.node_count() > 50 {
        return;
    }
    let bound = dagplan::lower_bound(&problem);
    let solvers: Vec<Box<dyn Scheduler>> = vec![Box::new(dagplan::Topological), Box::new(dagplan::CriticalPath)];
    for solver in solvers {
        let solution = solver.schedule(&problem).expect("a valid problem always has a schedule");
        assert_eq!(solution.schedule.verify(&problem), Ok(()), "{}", solver.name());
        assert!(solution.makespan() >= bound);
    }
});
