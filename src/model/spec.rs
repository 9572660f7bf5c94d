//! The wire format: plain, name-based descriptions that serde reads and writes.
//!
//! A [`ProblemSpec`] is what a user writes (JSON, or Rust through the chained setters); it
//! becomes a validated [`Problem`](crate::Problem) through [`ProblemSpec::build`]. The spec
//! types double as the builder API:
//!
//! ```
//! use dagplan::{NodeSpec, ProblemSpec, TaskSpec};
//!
//! let problem = ProblemSpec::new()
//!     .node(NodeSpec::new("n1").capacity("cpu", 2))
//!     .task(TaskSpec::new("a", 3).demand("cpu", 1))
//!     .task(TaskSpec::new("b", 4).demand("cpu", 2).after("a"))
//!     .build()?;
//! assert_eq!(problem.task_count(), 2);
//! # Ok::<(), dagplan::ModelError>(())
//! ```
//!
//! Capacities and demands are [`Amount`]s: plain numbers, or Kubernetes quantities
//! (`"500m"`, `"2Gi"`) read exactly in the dimension's [`Scale`](crate::Scale)(crate::Scale).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::select::{Taint, Toleration};
use crate::model::{ModelError, Problem};

/// A whole problem as written by a user: resources, nodes and tasks, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProblemSpec {
    /// The resource dimensions, in order. `None`: the union of the names used by nodes and
    /// tasks, in order of first use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
    /// The nodes (machines) tasks run on.
    pub nodes: Vec<NodeSpec>,
    /// The tasks.
    pub tasks: Vec<TaskSpec>,
    /// The plan's start: no task that is not fixed starts before it (default 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub now: u64,
}

/// A node: a name and a capacity per resource (a missing resource has capacity 0), and
/// optionally Kubernetes labels and taints (see [`Taint`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    /// Unique node name.
    pub name: String,
    /// Capacity per resource name: a plain number or a Kubernetes quantity ([`Amount`]).
    #[serde(default, deserialize_with = "unique_keys")]
    pub capacity: BTreeMap<String, Amount>,
    /// Labels (`kubernetes.io/hostname`, `pool`, ...), matched by tasks' `node_selector`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "unique_keys")]
    pub labels: BTreeMap<String, String>,
    /// Taints: a task runs here only if it tolerates each `NoSchedule`/`NoExecute` one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
    /// Half-open windows `[from, to)` in which the node runs nothing (maintenance,
    /// reservations), not even a task without demand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unavailable: Vec<WindowSpec>,
}

/// A half-open time window `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowSpec {
    /// First tick of the window.
    pub from: u64,
    /// First tick after the window.
    pub to: u64,
}

/// Where and when a fixed task runs: it is running, finished or committed there, and every
/// solver keeps it exactly (for its duration on that node).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FixedSpec {
    /// The node it runs on.
    pub node: String,
    /// Its start time.
    pub start: u64,
}

/// A task: duration, demand, dependencies and optional placement restrictions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    /// Unique task name.
    pub name: String,
    /// Duration in ticks on any node without an entry in `durations`.
    pub duration: u64,
    /// Demand per resource name while the task runs (missing = 0): a plain number or a
    /// Kubernetes quantity ([`Amount`]).
    #[serde(default, deserialize_with = "unique_keys")]
    pub demand: BTreeMap<String, Amount>,
    /// Tasks that must finish before this one starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<DependencySpec>,
    /// The nodes this task may run on; `None` means every node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<String>>,
    /// Labels a node must have (each with this value) for the task to run there, as a pod's
    /// `nodeSelector`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "unique_keys")]
    pub node_selector: BTreeMap<String, String>,
    /// The node taints the task tolerates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// Per-node durations overriding `duration` (heterogeneous nodes).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "unique_keys")]
    pub durations: BTreeMap<String, u64>,
    /// Earliest start (release date; default 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub release: u64,
    /// Latest finish (a hard deadline); `None`: no deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<u64>,
    /// The task's node and start when it is already running, finished or committed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<FixedSpec>,
}

/// A dependency: the name of a task that must finish first, optionally with a transfer
/// delay paid only when the two tasks run on different nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum DependencySpec {
    /// `"a"`: plain precedence.
    Plain(String),
    /// `{"task": "a", "delay": 5}`: precedence plus a cross-node transfer delay.
    Delayed(DelayedDependency),
}

/// The object form of a dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DelayedDependency {
    /// The task that must finish first.
    pub task: String,
    /// Ticks added when the two tasks run on different nodes.
    #[serde(default)]
    pub delay: u64,
}

impl DependencySpec {
    /// The name of the task depended on.
    pub fn task(&self) -> &str {
        match self {
            Self::Plain(task) => task,
            Self::Delayed(d) => &d.task,
        }
    }

    /// The cross-node transfer delay (0 for a plain dependency).
    pub fn delay(&self) -> u64 {
        match self {
            Self::Plain(_) => 0,
            Self::Delayed(d) => d.delay,
        }
    }
}

impl ProblemSpec {
    /// An empty problem.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares the resource dimensions explicitly, in this order.
    pub fn resources<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.resources = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Adds a node.
    pub fn node(mut self, node: NodeSpec) -> Self {
        self.nodes.push(node);
        self
    }

    /// Adds a task.
    pub fn task(mut self, task: TaskSpec) -> Self {
        self.tasks.push(task);
        self
    }

    /// The same tasks on another cluster: replaces the nodes (for a workflow read from a
    /// trace or an Argo file, planned onto a [NodeList](crate::io::kubernetes) or JSON nodes).
    pub fn on_cluster(mut self, nodes: Vec<NodeSpec>) -> Self {
        self.nodes = nodes;
        self
    }

    /// Sets the plan's start: no task that is not fixed starts before `now`.
    pub fn now(mut self, now: u64) -> Self {
        self.now = now;
        self
    }

    /// Validates the description and builds the [`Problem`].
    pub fn build(self) -> Result<Problem, ModelError> {
        Problem::try_from(self)
    }
}

impl NodeSpec {
    /// A node with no capacity yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            capacity: BTreeMap::new(),
            labels: BTreeMap::new(),
            taints: Vec::new(),
            unavailable: Vec::new(),
        }
    }

    /// Sets the capacity in one resource as a Kubernetes quantity (`"8"`, `"7910m"`, `"32Gi"`).
    pub fn capacity_quantity(mut self, resource: impl Into<String>, quantity: impl Into<String>) -> Self {
        self.capacity.insert(resource.into(), Amount::quantity(quantity));
        self
    }

    /// Adds a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Adds a taint.
    pub fn taint(mut self, taint: Taint) -> Self {
        self.taints.push(taint);
        self
    }

    /// Adds a window `[from, to)` in which the node runs nothing.
    pub fn unavailable(mut self, from: u64, to: u64) -> Self {
        self.unavailable.push(WindowSpec { from, to });
        self
    }

    /// Sets the capacity in one resource.
    pub fn capacity(mut self, resource: impl Into<String>, amount: u64) -> Self {
        self.capacity.insert(resource.into(), Amount::Number(amount));
        self
    }
}

impl TaskSpec {
    /// A task with this duration, no demand, no dependencies, eligible everywhere.
    pub fn new(name: impl Into<String>, duration: u64) -> Self {
        Self {
            name: name.into(),
            duration,
            demand: BTreeMap::new(),
            after: Vec::new(),
            nodes: None,
            node_selector: BTreeMap::new(),
            tolerations: Vec::new(),
            durations: BTreeMap::new(),
            release: 0,
            deadline: None,
            fixed: None,
        }
    }

    /// Sets the release date: the task starts no earlier.
    pub fn release(mut self, release: u64) -> Self {
        self.release = release;
        self
    }

    /// Sets a hard deadline: the task finishes no later.
    pub fn deadline(mut self, deadline: u64) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Fixes the task on `node` from `start` (running, finished or committed).
    pub fn fixed(mut self, node: impl Into<String>, start: u64) -> Self {
        self.fixed = Some(FixedSpec { node: node.into(), start });
        self
    }

    /// Sets the demand in one resource.
    pub fn demand(mut self, resource: impl Into<String>, amount: u64) -> Self {
        self.demand.insert(resource.into(), Amount::Number(amount));
        self
    }

    /// Sets the demand in one resource as a Kubernetes quantity (`"500m"`, `"2Gi"`).
    pub fn demand_quantity(mut self, resource: impl Into<String>, quantity: impl Into<String>) -> Self {
        self.demand.insert(resource.into(), Amount::quantity(quantity));
        self
    }

    /// Requires the node label `key` with this value (a pod's `nodeSelector`).
    pub fn select(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.node_selector.insert(key.into(), value.into());
        self
    }

    /// Adds a toleration.
    pub fn tolerate(mut self, toleration: Toleration) -> Self {
        self.tolerations.push(toleration);
        self
    }

    /// Adds a dependency: `task` must finish before this one starts.
    pub fn after(mut self, task: impl Into<String>) -> Self {
        self.after.push(DependencySpec::Plain(task.into()));
        self
    }

    /// Adds a dependency with a transfer delay paid when the two run on different nodes.
    pub fn after_with_delay(mut self, task: impl Into<String>, delay: u64) -> Self {
        self.after.push(DependencySpec::Delayed(DelayedDependency { task: task.into(), delay }));
        self
    }

    /// Restricts the task to these nodes.
    pub fn nodes<S: Into<String>>(mut self, nodes: impl IntoIterator<Item = S>) -> Self {
        self.nodes = Some(nodes.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the duration on one node (overrides `duration` there).
    pub fn duration_on(mut self, node: impl Into<String>, duration: u64) -> Self {
        self.durations.insert(node.into(), duration);
        self
    }
}

// Read as the validation's input form is (one reader for both).
impl<'de> Deserialize<'de> for DependencySpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::input::DependencyInput::deserialize(deserializer).map(Self::from)
    }
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

/// Reads a JSON object into a map, rejecting a key that appears twice (serde would silently
/// keep the last one).
pub(super) fn unique_keys<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    Ok(sorted_entries(deserializer)?.into_iter().collect())
}

/// Reads a JSON object into its entries sorted by key, as a `BTreeMap` would list them but
/// in one small allocation, rejecting a key that appears twice.
pub(super) fn sorted_entries<'de, D, K, V>(deserializer: D) -> Result<Vec<(K, V)>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    /// Entries kept sorted as they come, so that a repeat is refused where it is written;
    /// past this many (never in practice) one sort at the end finds repeats instead.
    const SORTED_AS_READ: usize = 64;
    struct Entries<K, V>(std::marker::PhantomData<(K, V)>);
    impl<'de, K: Deserialize<'de> + Ord + fmt::Display, V: Deserialize<'de>> Visitor<'de> for Entries<K, V> {
        type Value = Vec<(K, V)>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
            let repeated = |key: &K| serde::de::Error::custom(format!("duplicate key `{key}`"));
            let mut out: Vec<(K, V)> = Vec::new();
            while let Some((key, value)) = map.next_entry::<K, V>()? {
                if out.len() >= SORTED_AS_READ {
                    out.push((key, value));
                    continue;
                }
                match out.binary_search_by(|(k, _)| k.cmp(&key)) {
                    Ok(_) => return Err(repeated(&key)),
                    Err(at) => out.insert(at, (key, value)),
                }
            }
            if out.len() > SORTED_AS_READ {
                out.sort_by(|(a, _), (b, _)| a.cmp(b));
                if let Some([(key, _), _]) = out.windows(2).find(|w| matches!(w, [(a, _), (b, _)] if a == b)) {
                    return Err(repeated(key));
                }
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Entries(std::marker::PhantomData))
}

/// An amount of a resource (a capacity or a demand): a plain number in the dimension's own
/// unit, or a Kubernetes quantity string read exactly in the dimension's [`Scale`](crate::Scale)
/// (`cpu` in millicores, every other dimension in base units: bytes, devices).
///
/// In one dimension every amount is written the same way: all plain numbers (your unit,
/// unchanged: `{"cpu": 2}` is 2 of whatever you count cpu in) or all quantities
/// (`{"cpu": "2"}` is 2000 millicores). Validation rejects a dimension that mixes them
/// ([`ModelError::MixedAmounts`]): `2` next to `"500m"` has no single meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Amount {
    /// A plain non-negative integer, in the dimension's own unit.
    Number(u64),
    /// A Kubernetes quantity: `"500m"`, `"2"`, `"1.5"`, `"512Mi"`, `"2Gi"`, `"1G"`, `"1e3"`
    /// (boxed, so that an amount takes 16 bytes: a million tasks' demands stay small; build it
    /// with [`Amount::quantity`]).
    Quantity(Box<String>),
}

impl Amount {
    /// A quantity amount.
    pub fn quantity(text: impl Into<String>) -> Self {
        Self::Quantity(Box::new(text.into()))
    }
}

impl From<u64> for Amount {
    fn from(amount: u64) -> Self {
        Self::Number(amount)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = Amount;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a non-negative integer or a Kubernetes quantity string such as \"500m\" or \"2Gi\"")
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount::Number(v))
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
                u64::try_from(v)
                    .map(Amount::Number)
                    .map_err(|_| E::custom(format!("{v} is negative; amounts are at least 0")))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "{v} is not an integer: write a fraction as a quantity string (\"{v}\" cpu is read in millicores)"
                )))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                Ok(Amount::quantity(v))
            }
        }
        deserializer.deserialize_any(AmountVisitor)
    }
}
