//! `dagplan`: the command line of the dagplan scheduler (a minimal start; the research
//! examples of this package hold the full tooling for now).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => {
            println!("{}", usage());
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("dagplan {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("solvers") => {
            for name in dagplan::solver_names() {
                println!("{name}");
            }
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("dagplan: unknown command `{other}`\n\n{}", usage());
            ExitCode::from(2)
        }
    }
}

fn usage() -> String {
    format!(
        "dagplan {}: plans task DAGs on heterogeneous clusters\n\n\
         usage: dagplan <command>\n\n\
         commands:\n  \
         solvers     list the solver names\n  \
         help        this text\n\n\
         For now, solve and benchmark with the examples of this package:\n  \
         cargo run --release -p dagplan-cli --example solve -- FILE\n  \
         cargo run --release -p dagplan-cli --example benchmark -- --solver greedy DIR",
        env!("CARGO_PKG_VERSION")
    )
}
