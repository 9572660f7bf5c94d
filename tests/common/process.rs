//! The process seen from outside: its CPU time and the machine's cores (Linux `/proc`).

use std::time::Duration;

/// CPU time (user + system) of the whole process so far, from `/proc/self/stat` (10 ms ticks).
pub fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // After the command name in parentheses: field 14 (utime) and 15 (stime) of the man page.
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

/// The threads a solver with `threads: 0` may use: the machine's.
pub fn cores() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
}
