//! Kubernetes cluster snapshots: the `NodeList` that `kubectl get nodes -o json` prints
//! becomes the problem's nodes.
//!
//! | NodeList field | becomes |
//! |---|---|
//! | `items[].metadata.name` | the node's name |
//! | `items[].metadata.labels` | its `labels` (matched by tasks' `node_selector`; `kubernetes.io/hostname` pins exported plans) |
//! | `items[].status.allocatable` | its capacity, as quantities: `cpu` (millicores), `memory` and `ephemeral-storage` (bytes), and every extended resource (a name with a `/`, e.g. `nvidia.com/gpu`, in devices) |
//! | `items[].spec.taints` | its `taints` (`NoSchedule`/`NoExecute` keep tasks without a toleration away) |
//! | `items[].spec.unschedulable: true` (cordoned) | left out, listed in [`NodeList::cordoned`] |
//!
//! `pods` and `hugepages-*` are not read (tasks do not demand them). A single `Node` object
//! (`kubectl get node NAME -o json`) reads as a list of one. Other fields are ignored. The
//! quantities are kept as written and converted exactly when the problem is built, so a bad
//! one is reported with the node and the resource.
//!
//! ```
//! let list = dagplan::io::kubernetes::parse_node_list(r#"{"kind": "NodeList", "items": [
//!   {"metadata": {"name": "gpu-1", "labels": {"pool": "gpu"}},
//!    "spec": {"taints": [{"key": "nvidia.com/gpu", "effect": "NoSchedule"}]},
//!    "status": {"allocatable": {"cpu": "7910m", "memory": "31Gi", "nvidia.com/gpu": "4", "pods": "110"}}},
//!   {"metadata": {"name": "old"}, "spec": {"unschedulable": true}, "status": {"allocatable": {"cpu": "4"}}}
//! ]}"#)?;
//! assert_eq!(list.nodes.len(), 1);
//! assert_eq!(list.cordoned, ["old"]);
//! let problem = dagplan::ProblemSpec::new().on_cluster(list.nodes).build()?;
//! assert_eq!(problem.capacity(dagplan::NodeId(0)), [7910, 31 << 30, 4]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{ParseError, Source, read_text, syntax_error};
use crate::model::{Amount, NodeSpec, Taint, TaintEffect};

/// The schedulable nodes of a snapshot and the names of the cordoned ones left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeList {
    /// The nodes tasks may be planned on, in the snapshot's order.
    pub nodes: Vec<NodeSpec>,
    /// The cordoned (`unschedulable`) nodes, left out.
    pub cordoned: Vec<String>,
}

#[derive(Deserialize)]
struct Document {
    kind: Option<String>,
    #[serde(default)]
    items: Vec<Node>,
    metadata: Option<serde_json::Value>,
    #[serde(default)]
    spec: NodeSpecDoc,
    #[serde(default)]
    status: Status,
}

#[derive(Deserialize)]
struct Node {
    metadata: Metadata,
    #[serde(default)]
    spec: NodeSpecDoc,
    #[serde(default)]
    status: Status,
}

#[derive(Deserialize)]
struct Metadata {
    name: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
struct NodeSpecDoc {
    #[serde(default)]
    unschedulable: bool,
    #[serde(default)]
    taints: Vec<TaintDoc>,
}

/// A taint as the API server writes it (with `timeAdded` and the like, ignored).
#[derive(Deserialize)]
struct TaintDoc {
    key: String,
    #[serde(default)]
    value: String,
    effect: TaintEffect,
}

#[derive(Deserialize, Default)]
struct Status {
    #[serde(default)]
    allocatable: BTreeMap<String, String>,
}

/// Whether an allocatable resource becomes a capacity (see the [module docs](self)).
fn is_planned(resource: &str) -> bool {
    matches!(resource, "cpu" | "memory" | "ephemeral-storage") || resource.contains('/')
}

/// Reads a `kubectl get nodes -o json` snapshot from a string.
pub fn parse_node_list(text: &str) -> Result<NodeList, ParseError> {
    parse_from(text, &Source::Text)
}

/// Reads a `kubectl get nodes -o json` snapshot from a file.
pub fn read_node_list(path: impl AsRef<Path>) -> Result<NodeList, ParseError> {
    let path = path.as_ref();
    parse_from(&read_text(path)?, &Source::File(path.to_owned()))
}

pub(super) fn parse_from(text: &str, file: &Source) -> Result<NodeList, ParseError> {
    let document: Document = serde_json::from_str(text).map_err(|e| syntax_error(&e, file))?;
    let content = |message: String| ParseError::Content { file: file.clone(), message };
    let items = match document.kind.as_deref() {
        Some("NodeList") | Some("List") => document.items,
        Some("Node") => {
            let metadata = document.metadata.ok_or_else(|| content("a Node without metadata".into()))?;
            let metadata: Metadata = serde_json::from_value(metadata).map_err(|e| content(format!("metadata: {e}")))?;
            vec![Node { metadata, spec: document.spec, status: document.status }]
        }
        Some(other) => {
            return Err(content(format!("expected a NodeList (`kubectl get nodes -o json`), found kind `{other}`")));
        }
        None => return Err(content("expected a NodeList (`kubectl get nodes -o json`): no `kind`".into())),
    };
    let mut list = NodeList { nodes: Vec::new(), cordoned: Vec::new() };
    for node in items {
        if node.spec.unschedulable {
            list.cordoned.push(node.metadata.name);
            continue;
        }
        let capacity = node
            .status
            .allocatable
            .into_iter()
            .filter(|(resource, _)| is_planned(resource))
            .map(|(resource, quantity)| (resource, Amount::quantity(quantity)))
            .collect();
        let mut spec = NodeSpec::new(node.metadata.name);
        spec.capacity = capacity;
        spec.labels = node.metadata.labels;
        spec.taints = node.spec.taints.into_iter().map(|t| Taint::new(t.key, t.value, t.effect)).collect();
        list.nodes.push(spec);
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ProblemSpec, TaskSpec, Toleration};

    const SNAPSHOT: &str = r#"{"apiVersion": "v1", "kind": "NodeList", "items": [
      {"metadata": {"name": "cp", "labels": {"node-role.kubernetes.io/control-plane": ""}},
       "spec": {"taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule",
                                 "timeAdded": "2026-01-01T00:00:00Z"}]},
       "status": {"allocatable": {"cpu": "2", "memory": "7Gi", "pods": "110"}, "capacity": {"cpu": "2"}}},
      {"metadata": {"name": "w1", "labels": {"kubernetes.io/hostname": "w1"}},
       "spec": {"podCIDR": "10.0.1.0/24"},
       "status": {"allocatable": {"cpu": "7910m", "memory": "31Gi", "ephemeral-storage": "95G",
                                  "hugepages-2Mi": "0", "nvidia.com/gpu": "4"}}},
      {"metadata": {"name": "w2"}, "spec": {"unschedulable": true,
       "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]},
       "status": {"allocatable": {"cpu": "8"}}}
    ]}"#;

    #[test]
    fn a_snapshot_becomes_nodes_with_labels_taints_and_allocatable() {
        let list = parse_node_list(SNAPSHOT).unwrap();
        assert_eq!(list.cordoned, ["w2"]);
        let names: Vec<&str> = list.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["cp", "w1"]);
        assert_eq!(list.nodes[0].taints[0].effect, TaintEffect::NoSchedule);
        let keys: Vec<&str> = list.nodes[1].capacity.keys().map(String::as_str).collect();
        assert_eq!(keys, ["cpu", "ephemeral-storage", "memory", "nvidia.com/gpu"]);
        let spec = ProblemSpec::new()
            .on_cluster(list.nodes)
            .task(TaskSpec::new("train", 10).demand_quantity("nvidia.com/gpu", "1").demand_quantity("cpu", "500m"))
            .task(TaskSpec::new("admin", 1).tolerate(Toleration::exists("node-role.kubernetes.io/control-plane")));
        let problem = spec.build().unwrap();
        let w1 = problem.node_id("w1").unwrap();
        assert_eq!(problem.resources(), ["cpu", "memory", "ephemeral-storage", "nvidia.com/gpu"]);
        assert_eq!(problem.capacity(w1), [7910, 31 << 30, 95_000_000_000, 4]);
        assert_eq!(problem.node_labels(w1)["kubernetes.io/hostname"], "w1");
        // The control plane's taint keeps the untolerating task away, not the tolerating one.
        assert_eq!(problem.eligible_nodes(problem.task_id("train").unwrap()), Some(&[w1][..]));
        assert_eq!(problem.eligible_nodes(problem.task_id("admin").unwrap()), None);
    }

    #[test]
    fn other_documents_are_refused_with_the_reason() {
        let e = parse_node_list(r#"{"kind": "PodList", "items": []}"#).unwrap_err().to_string();
        assert!(e.contains("found kind `PodList`"), "{e}");
        let e = parse_node_list(r#"{"items": []}"#).unwrap_err().to_string();
        assert!(e.contains("no `kind`"), "{e}");
        let e = parse_node_list(r#"{"kind": "NodeList", "items": [{"metadata": {}}]}"#).unwrap_err().to_string();
        assert!(e.contains("missing field `name`"), "{e}");
        let one = r#"{"kind": "Node", "metadata": {"name": "n"}, "status": {"allocatable": {"cpu": "1"}}}"#;
        assert_eq!(parse_node_list(one).unwrap().nodes.len(), 1);
        let bad = r#"{"kind": "Node", "metadata": {"name": "n"}, "status": {"allocatable": {"cpu": "1.5m"}}}"#;
        let nodes = parse_node_list(bad).unwrap().nodes;
        let e = ProblemSpec::new().on_cluster(nodes).build().unwrap_err().to_string();
        assert!(e.contains("node `n`") && e.contains("`cpu`") && e.contains("`1.5m`"), "{e}");
    }
}
