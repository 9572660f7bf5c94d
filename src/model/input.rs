//! What validation reads: the spec's fields, with the names that are numerous at scale (task
//! names, dependencies, demand keys, eligible nodes, per-node durations) borrowed where they
//! can be.
//!
//! The JSON reader deserializes straight into an [`Input`] that borrows those names from the
//! text (an escaped name is the only one copied), and a [`ProblemSpec`] becomes one by moving
//! its strings; both then go through the same validation (`build.rs`). On a million tasks this
//! saves allocating and freeing some seven million strings and maps.
//!
//! The field names, defaults and type names in messages are the spec's (`spec.rs`), so a
//! malformed file gets the same error from either; a test reads every field both ways.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::spec::{sorted_entries, unique_keys};
use super::{Amount, DelayedDependency, DependencySpec, FixedSpec, NodeSpec, ProblemSpec, TaskSpec, Toleration};

/// A name, borrowed from the input text when it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Name<'a>(Cow<'a, str>);

impl Deref for Name<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Name<'_> {
    fn from(name: String) -> Self {
        Self(Cow::Owned(name))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Name<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor("a string"))
    }
}

/// Reads a string into a [`Name`]; `expecting` completes "invalid type: ..., expected".
struct NameVisitor(&'static str);

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Name<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(Name(Cow::Borrowed(name)))
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(Name(Cow::Owned(name.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, name: String) -> Result<Self::Value, E> {
        Ok(Name(Cow::Owned(name)))
    }
}

/// A whole problem ([`ProblemSpec`]'s fields).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "struct ProblemSpec")]
pub(crate) struct Input<'a> {
    #[serde(default)]
    pub(super) resources: Option<Vec<String>>,
    pub(super) nodes: Vec<NodeSpec>,
    #[serde(borrow)]
    pub(super) tasks: Vec<TaskInput<'a>>,
    #[serde(default)]
    pub(super) now: u64,
}

/// A task ([`TaskSpec`]'s fields).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "struct TaskSpec")]
pub(crate) struct TaskInput<'a> {
    #[serde(borrow)]
    pub(super) name: Name<'a>,
    pub(super) duration: u64,
    #[serde(default, borrow, deserialize_with = "sorted_entries")]
    pub(super) demand: Vec<(Name<'a>, Amount)>,
    #[serde(default, borrow)]
    pub(super) after: Vec<DependencyInput<'a>>,
    #[serde(default, borrow)]
    pub(super) nodes: Option<Vec<Name<'a>>>,
    #[serde(default, deserialize_with = "unique_keys")]
    pub(super) node_selector: BTreeMap<String, String>,
    #[serde(default)]
    pub(super) tolerations: Vec<Toleration>,
    #[serde(default, borrow, deserialize_with = "sorted_entries")]
    pub(super) durations: Vec<(Name<'a>, u64)>,
    #[serde(default)]
    pub(super) release: u64,
    #[serde(default)]
    pub(super) deadline: Option<u64>,
    #[serde(default)]
    pub(super) fixed: Option<FixedSpec>,
}

/// A dependency ([`DependencySpec`]): a task name, or an object with a transfer delay.
#[derive(Debug)]
pub(crate) enum DependencyInput<'a> {
    Plain(Name<'a>),
    Delayed(DelayedInput<'a>),
}

/// The object form of a dependency ([`DelayedDependency`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "struct DelayedDependency")]
pub(crate) struct DelayedInput<'a> {
    #[serde(borrow)]
    task: Name<'a>,
    #[serde(default)]
    delay: u64,
}

impl DependencyInput<'_> {
    /// The name of the task depended on.
    pub(super) fn task(&self) -> &str {
        match self {
            Self::Plain(task) | Self::Delayed(DelayedInput { task, .. }) => task,
        }
    }

    /// The cross-node transfer delay (0 for a plain dependency).
    pub(super) fn delay(&self) -> u64 {
        match self {
            Self::Plain(_) => 0,
            Self::Delayed(d) => d.delay,
        }
    }
}

// Read by hand rather than as an untagged enum: serde would buffer every dependency to try
// one form after the other, which dominated reading a problem with millions of them.
impl<'de: 'a, 'a> Deserialize<'de> for DependencyInput<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = DependencyInput<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"a task name, or an object {"task": name, "delay": ticks}"#)
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
                NameVisitor("").visit_borrowed_str(name).map(DependencyInput::Plain)
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
                NameVisitor("").visit_str(name).map(DependencyInput::Plain)
            }

            fn visit_string<E: serde::de::Error>(self, name: String) -> Result<Self::Value, E> {
                NameVisitor("").visit_string(name).map(DependencyInput::Plain)
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
                let object = serde::de::value::MapAccessDeserializer::new(map);
                DelayedInput::deserialize(object).map(DependencyInput::Delayed)
            }
        }
        deserializer.deserialize_any(Either)
    }
}

impl From<ProblemSpec> for Input<'static> {
    fn from(spec: ProblemSpec) -> Self {
        let ProblemSpec { resources, nodes, tasks, now } = spec;
        Self { resources, nodes, tasks: tasks.into_iter().map(TaskInput::from).collect(), now }
    }
}

impl From<TaskSpec> for TaskInput<'static> {
    fn from(task: TaskSpec) -> Self {
        let TaskSpec {
            name,
            duration,
            demand,
            after,
            nodes,
            node_selector,
            tolerations,
            durations,
            release,
            deadline,
            fixed,
        } = task;
        Self {
            name: name.into(),
            duration,
            demand: demand.into_iter().map(|(resource, amount)| (resource.into(), amount)).collect(),
            after: after.into_iter().map(DependencyInput::from).collect(),
            nodes: nodes.map(|nodes| nodes.into_iter().map(Name::from).collect()),
            node_selector,
            tolerations,
            durations: durations.into_iter().map(|(node, d)| (node.into(), d)).collect(),
            release,
            deadline,
            fixed,
        }
    }
}

impl From<DependencySpec> for DependencyInput<'static> {
    fn from(dependency: DependencySpec) -> Self {
        match dependency {
            DependencySpec::Plain(task) => Self::Plain(task.into()),
            DependencySpec::Delayed(DelayedDependency { task, delay }) => {
                Self::Delayed(DelayedInput { task: task.into(), delay })
            }
        }
    }
}

impl From<DependencyInput<'_>> for DependencySpec {
    fn from(dependency: DependencyInput<'_>) -> Self {
        match dependency {
            DependencyInput::Plain(task) => Self::Plain(task.0.into_owned()),
            DependencyInput::Delayed(DelayedInput { task, delay }) => {
                Self::Delayed(DelayedDependency { task: task.0.into_owned(), delay })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Taint, TaintEffect};

    /// A spec with every field set, names with escapes among them.
    fn every_field() -> ProblemSpec {
        ProblemSpec::new()
            .resources(["cpu", "memory"])
            .now(2)
            .node(NodeSpec::new("n\"1").capacity("cpu", 4).capacity("memory", 8).label("pool", "a").unavailable(40, 50))
            .node(NodeSpec::new("n2").capacity("cpu", 8).capacity("memory", 16).taint(Taint::new(
                "gpu",
                "yes",
                TaintEffect::NoSchedule,
            )))
            .task(TaskSpec::new("a", 3).demand("cpu", 1).fixed("n2", 2).tolerate(Toleration::exists("gpu")))
            .task(TaskSpec::new("b\\n", 4).demand("memory", 2).after("a").release(5).deadline(90).select("pool", "a"))
            .task(
                TaskSpec::new("c", 5)
                    .demand("cpu", 2)
                    .after_with_delay("a", 3)
                    .after("b\\n")
                    .nodes(["n\"1", "n2"])
                    .duration_on("n2", 2)
                    .tolerate(Toleration::equal("gpu", "yes")),
            )
    }

    #[test]
    fn the_json_reader_and_the_builder_read_every_field_alike() {
        let spec = every_field();
        let text = serde_json::to_string(&spec).unwrap();
        let input: Input<'_> = serde_json::from_str(&text).unwrap();
        assert!(matches!(input.tasks[0].name, Name(Cow::Borrowed("a"))), "plain names are borrowed");
        assert!(matches!(&input.tasks[1].name, Name(Cow::Owned(name)) if name == "b\\n"), "escaped ones copied");
        let read = crate::model::build(input).unwrap();
        assert_eq!(read, spec.clone().build().unwrap());
        assert_eq!(read.to_spec(), spec.build().unwrap().to_spec());
    }

    #[test]
    fn dependencies_keep_their_form() {
        let read = |text: &str| serde_json::from_str::<DependencySpec>(text).unwrap();
        assert_eq!(read(r#""a""#), DependencySpec::Plain("a".into()));
        let delayed = DependencySpec::Delayed(DelayedDependency { task: "a".into(), delay: 0 });
        assert_eq!(read(r#"{"task": "a"}"#), delayed);
    }

    #[test]
    fn a_long_object_is_sorted_and_a_repeat_refused_past_the_sorted_reading() {
        let demand = |keys: &[String]| {
            let entries: Vec<String> = keys.iter().map(|k| format!(r#""{k}": 1"#)).collect();
            format!(r#"{{"name": "a", "duration": 1, "demand": {{{}}}}}"#, entries.join(", "))
        };
        let mut keys: Vec<String> = (0..100).rev().map(|i| format!("r{i:03}")).collect();
        let text = demand(&keys);
        let task: TaskInput<'_> = serde_json::from_str(&text).unwrap();
        let read: Vec<&str> = task.demand.iter().map(|(k, _)| &**k).collect();
        keys.sort();
        assert_eq!(read, keys);
        keys.push("r042".into());
        let error = serde_json::from_str::<TaskInput<'_>>(&demand(&keys)).unwrap_err();
        assert!(error.to_string().contains("duplicate key `r042`"), "{error}");
    }
}
