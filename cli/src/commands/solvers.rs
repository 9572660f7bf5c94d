//! Solvers from their command-line names and options.
//!
//! A solver is named as in the library's registry (`dagplan solvers`), or
//! `greedy/RULE/SCHEME[/POLICY]` for one list-scheduling pass of the greedy engine (policy
//! `earliest-finish` unless given). `bench` also takes `all` (every registered solver) and
//! `greedy/all` (every rule with both schemes, one pass each). Solver-specific options
//! (`--max-states`, `--schedules`, `--dp-share`, `--no-shaving`) apply to the solver they
//! name; one that no chosen solver uses is an error, never silently ignored.

use std::time::Duration;

use clap::Args;
use dagplan::{Dp, Greedy, Policy, Rule, Scheduler, Scheme, Search, SolveOptions, solver_by_name, solver_names};
use dagplan_cli::harness::parse_seconds;

/// The options every solver takes, and those of particular solvers.
#[derive(Debug, Args)]
pub struct SolverArgs {
    /// Stop each solve after S seconds and keep the best plan found (default: no limit; the
    /// exact solvers may then run for a very long time)
    #[arg(long, value_name = "S", value_parser = parse_seconds, allow_negative_numbers = true)]
    pub time_limit: Option<Duration>,
    /// Worker threads per solve (default 0: every core)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// Seed of the randomised choices (same seed, same plan)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// dp: give up after N states (keeping the best plan found)
    #[arg(long, value_name = "N")]
    pub max_states: Option<usize>,
    /// search: stop after N decoded schedules (reproducible for a seed and thread count)
    #[arg(long, value_name = "N")]
    pub schedules: Option<u64>,
    /// ilp: share of the time limit for a dp run before HiGHS starts, 0 to 1 (0: no dp runs;
    /// default: the library's)
    #[arg(long, value_name = "F")]
    pub dp_share: Option<f64>,
    /// ilp: presolve without shaving
    #[arg(long)]
    pub no_shaving: bool,
}

/// A solver and the name it goes by in tables and result files.
pub struct Contender {
    /// `greedy`, `dp`, `greedy/lft/serial`, ...
    pub label: String,
    /// The configured solver.
    pub solver: Box<dyn Scheduler + Send + Sync>,
}

impl SolverArgs {
    /// The common options.
    pub fn options(&self) -> SolveOptions {
        let mut options = SolveOptions::default();
        if let Some(limit) = self.time_limit {
            options = options.time_limit(limit);
        }
        if let Some(threads) = self.threads {
            options = options.threads(threads);
        }
        if let Some(seed) = self.seed {
            options = options.seed(seed);
        }
        options
    }

    /// The solvers named by `specs` (see the [module docs](self)), in order, each configured
    /// with these options.
    pub fn build(&self, specs: &[String]) -> Result<Vec<Contender>, String> {
        let options = self.options();
        let mut names = Vec::new();
        for spec in specs {
            match spec.as_str() {
                "all" => names.extend(solver_names().into_iter().map(str::to_owned)),
                "greedy/all" => {
                    for rule in Rule::ALL {
                        for scheme in Scheme::ALL {
                            names.push(format!("greedy/{rule}/{scheme}"));
                        }
                    }
                }
                name => names.push(name.to_owned()),
            }
        }
        let contenders = names.iter().map(|name| self.one(name, &options)).collect::<Result<Vec<_>, _>>()?;
        let uses = |solver: &str| names.iter().any(|n| n == solver);
        let unused = [
            (self.max_states.is_some(), "--max-states", "dp"),
            (self.schedules.is_some(), "--schedules", "search"),
            (self.dp_share.is_some(), "--dp-share", "ilp"),
            (self.no_shaving, "--no-shaving", "ilp"),
        ];
        for (given, option, solver) in unused {
            if given && !uses(solver) {
                return Err(format!("{option} applies to the `{solver}` solver, which is not among the solvers run"));
            }
        }
        Ok(contenders)
    }

    fn one(&self, name: &str, options: &SolveOptions) -> Result<Contender, String> {
        let solver: Box<dyn Scheduler + Send + Sync> = match name {
            "dp" => {
                let dp = Dp::new(options.clone());
                Box::new(match self.max_states {
                    Some(states) => dp.max_states(states),
                    None => dp,
                })
            }
            "search" => {
                let search = Search::new(options.clone());
                Box::new(match self.schedules {
                    Some(budget) => search.schedules(budget),
                    None => search,
                })
            }
            #[cfg(feature = "ilp")]
            "ilp" => {
                let mut ilp = dagplan::Ilp::new(options.clone()).shaving(!self.no_shaving);
                if let Some(share) = self.dp_share {
                    ilp = ilp.dp_share(share).map_err(|e| e.to_string())?;
                }
                Box::new(ilp)
            }
            _ if name.starts_with("greedy/") => Box::new(single_pass(name, options)?),
            _ => solver_by_name(name, options).map_err(|e| {
                format!("{e}; also greedy/RULE/SCHEME[/POLICY] for one pass, and in `bench` all and greedy/all")
            })?,
        };
        Ok(Contender { label: name.to_owned(), solver })
    }
}

/// `greedy/RULE/SCHEME[/POLICY]`: one pass of the list-scheduling engine.
fn single_pass(name: &str, options: &SolveOptions) -> Result<Greedy, String> {
    let parts: Vec<&str> = name.split('/').skip(1).collect();
    let (rule, scheme, policy) = match parts.as_slice() {
        [rule, scheme] => (*rule, *scheme, Policy::EarliestFinish.name()),
        [rule, scheme, policy] => (*rule, *scheme, *policy),
        _ => return Err(format!("`{name}`: expected greedy/RULE/SCHEME or greedy/RULE/SCHEME/POLICY")),
    };
    let pick = |what: &str, text: &str, known: &[&'static str]| {
        known
            .iter()
            .position(|k| *k == text)
            .ok_or_else(|| format!("`{name}`: unknown {what} `{text}` (the {what}s are {})", known.join(", ")))
    };
    let rules: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    let schemes: Vec<&str> = Scheme::ALL.iter().map(|s| s.name()).collect();
    let policies: Vec<&str> = Policy::ALL.iter().map(|p| p.name()).collect();
    let rule = Rule::ALL.get(pick("rule", rule, &rules)?);
    let scheme = Scheme::ALL.get(pick("scheme", scheme, &schemes)?);
    let policy = Policy::ALL.get(pick("policy", policy, &policies)?);
    match (rule, scheme, policy) {
        (Some(&rule), Some(&scheme), Some(&policy)) => Ok(Greedy::new(options.clone()).single(rule, policy, scheme)),
        _ => Err(format!("`{name}`: internal error: a name found has no value")),
    }
}
