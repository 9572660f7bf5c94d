//! Choosing nodes as Kubernetes pods do: node labels and taints, task node selectors and
//! tolerations.
//!
//! A task may run on a node when (1) the node is in the task's `nodes` list, if it has one,
//! (2) every `node_selector` entry is one of the node's labels with that value, and (3) the
//! task tolerates every `NoSchedule` and `NoExecute` taint of the node (`PreferNoSchedule`
//! is a preference and excludes nothing). A toleration matches a taint as in Kubernetes: the
//! effects agree (an empty effect matches all), and with operator `Exists` the keys agree (an
//! empty key matches every taint), with `Equal` (the default) the keys and the values agree.
//! Cordoned nodes are not nodes of the problem: the NodeList reader leaves them out. A node
//! without a `kubernetes.io/hostname` label answers to it with its name (as kubelet labels
//! nodes by default), so plans pinned by hostname read back on JSON nodes too.

use serde::{Deserialize, Serialize};

use super::input::TaskInput;
use super::{ModelError, NodeId, NodeMismatch, NodeSpec};

/// A node taint: tasks that do not tolerate it may not run there (effects `NoSchedule` and
/// `NoExecute`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Taint {
    /// The taint's key, e.g. `nvidia.com/gpu`.
    pub key: String,
    /// Its value (may be empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// What it does to tasks that do not tolerate it.
    pub effect: TaintEffect,
}

/// A taint's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TaintEffect {
    /// No task runs there unless it tolerates the taint.
    NoSchedule,
    /// A preference only: excludes nothing.
    PreferNoSchedule,
    /// No task runs there unless it tolerates the taint (running ones are evicted).
    NoExecute,
}

/// A task's toleration of taints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Toleration {
    /// The taint key it tolerates; empty with `Exists`: every taint.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// `Equal` (default): key and value must agree; `Exists`: the key alone.
    #[serde(default, skip_serializing_if = "is_equal")]
    pub operator: TolerationOperator,
    /// The value for `Equal`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// The effect it tolerates; `None`: every effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<TaintEffect>,
}

/// How a toleration compares with a taint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TolerationOperator {
    /// Key and value agree.
    #[default]
    Equal,
    /// The key agrees (an empty key: any taint).
    Exists,
}

fn is_equal(operator: &TolerationOperator) -> bool {
    *operator == TolerationOperator::Equal
}

impl Taint {
    /// A taint with this key, value and effect.
    pub fn new(key: impl Into<String>, value: impl Into<String>, effect: TaintEffect) -> Self {
        Self { key: key.into(), value: value.into(), effect }
    }

    /// Whether it keeps tasks that do not tolerate it away.
    pub fn repels(&self) -> bool {
        self.effect != TaintEffect::PreferNoSchedule
    }
}

impl Toleration {
    /// Tolerates taints with this key and value (any effect).
    pub fn equal(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self { key: key.into(), value: value.into(), ..Self::default() }
    }

    /// Tolerates taints with this key, whatever their value (an empty key: every taint).
    pub fn exists(key: impl Into<String>) -> Self {
        Self { key: key.into(), operator: TolerationOperator::Exists, ..Self::default() }
    }

    /// Only for taints of this effect.
    pub fn effect(mut self, effect: TaintEffect) -> Self {
        self.effect = Some(effect);
        self
    }

    /// Whether it tolerates the taint, by Kubernetes' rule: the effects agree (no effect
    /// matches all); with `Exists` the keys agree (an empty key matches every taint), with
    /// `Equal` the keys and the values agree.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if self.effect.is_some_and(|e| e != taint.effect) {
            return false;
        }
        match self.operator {
            TolerationOperator::Exists => self.key.is_empty() || self.key == taint.key,
            TolerationOperator::Equal => self.key == taint.key && self.value == taint.value,
        }
    }
}

/// The node label naming the host.
const HOSTNAME: &str = "kubernetes.io/hostname";

/// Why a node is not for a task, `None` when it is (labels and taints only).
pub(super) fn mismatch(task: &TaskInput<'_>, node: &NodeSpec) -> Option<String> {
    for (key, value) in &task.node_selector {
        let label = node.labels.get(key).or_else(|| (key == HOSTNAME).then_some(&node.name));
        match label {
            None => return Some(format!("no label `{key}`")),
            Some(have) if have != value => return Some(format!("label `{key}={have}`, not `{value}`")),
            Some(_) => {}
        }
    }
    let untolerated = node.taints.iter().find(|t| t.repels() && !task.tolerations.iter().any(|o| o.tolerates(t)));
    untolerated.map(|t| format!("untolerated taint `{}={}:{:?}`", t.key, t.value, t.effect))
}

/// Whether some node has a taint that keeps tasks away (computed once per problem: then
/// every task goes through [`select`]; without one, only tasks with a node selector do).
pub(super) fn any_repelling_taint(nodes: &[NodeSpec]) -> bool {
    nodes.iter().any(|n| n.taints.iter().any(Taint::repels))
}

/// The candidate nodes (ids with their specs) a task's selector and tolerations keep, or
/// the error listing why each was refused.
pub(super) fn select<'a>(
    task: &TaskInput<'_>,
    candidates: impl Iterator<Item = (NodeId, &'a NodeSpec)>,
) -> Result<Vec<NodeId>, ModelError> {
    let mut kept = Vec::new();
    let mut refused = Vec::new();
    for (id, node) in candidates {
        match mismatch(task, node) {
            None => kept.push(id),
            Some(reason) => refused.push(NodeMismatch { node: node.name.clone(), reason }),
        }
    }
    if kept.is_empty() && !refused.is_empty() {
        return Err(ModelError::NoMatchingNode {
            task: task.name.to_string(),
            selector: task.node_selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
            nodes: refused,
        });
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TaskSpec;

    #[test]
    fn tolerations_match_as_in_kubernetes() {
        let gpu = Taint::new("gpu", "true", TaintEffect::NoSchedule);
        assert!(Toleration::equal("gpu", "true").tolerates(&gpu));
        assert!(!Toleration::equal("gpu", "false").tolerates(&gpu));
        assert!(Toleration::exists("gpu").tolerates(&gpu));
        assert!(Toleration::exists("").tolerates(&gpu));
        assert!(!Toleration::exists("gpu").effect(TaintEffect::NoExecute).tolerates(&gpu));
        assert!(Toleration::exists("gpu").effect(TaintEffect::NoSchedule).tolerates(&gpu));
        assert!(!Taint::new("x", "", TaintEffect::PreferNoSchedule).repels());
    }

    #[test]
    fn selectors_and_taints_exclude_nodes_with_reasons() {
        let node = NodeSpec::new("g1").label("pool", "gpu").taint(Taint::new("gpu", "", TaintEffect::NoSchedule));
        let check = |task: TaskSpec| mismatch(&TaskInput::from(task), &node);
        assert_eq!(check(TaskSpec::new("a", 1)).unwrap(), "untolerated taint `gpu=:NoSchedule`");
        let tolerant = TaskSpec::new("b", 1).tolerate(Toleration::exists("gpu"));
        assert_eq!(check(tolerant.clone()), None);
        assert_eq!(check(tolerant.clone().select("pool", "cpu")).unwrap(), "label `pool=gpu`, not `cpu`");
        assert_eq!(check(tolerant.select("zone", "a")).unwrap(), "no label `zone`");
    }
}
