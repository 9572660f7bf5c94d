//! A plan written as an Argo Workflow that makes the cluster carry it out.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use super::{ArgoWorkflow, DURATION_ANNOTATION, Origin};
use crate::model::{NodeId, Problem, TaskId};
use crate::quantity::format_quantity;
use crate::schedule::{Assignment, Schedule};
use crate::verify::VerifyError;

/// The node label the export pins tasks with.
pub const HOSTNAME_LABEL: &str = "kubernetes.io/hostname";

/// Why a plan cannot be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The schedule is not a valid plan of the problem.
    #[error("the schedule is not a valid plan of the problem: {0}")]
    Unverified(VerifyError),
    /// The problem has a task the source workflow does not.
    #[error("task `{task}` is not a task of the source workflow")]
    NotInSource {
        /// The task.
        task: String,
    },
    /// YAML output failed.
    #[error("writing YAML failed: {0}")]
    Yaml(String),
}

/// How a plan is written (see [`export_argo`]).
#[derive(Debug, Clone)]
pub struct ArgoExport<'a> {
    source: Option<&'a ArgoWorkflow>,
    image: String,
    name: String,
}

impl Default for ArgoExport<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> ArgoExport<'a> {
    /// Templates with image `busybox`, workflow name `dagplan-plan-` (a `generateName`).
    pub fn new() -> Self {
        Self { source: None, image: "busybox".into(), name: "dagplan-plan".into() }
    }

    /// The Argo workflow the problem was read from: its templates (image, command,
    /// arguments, resources, volumes...), metadata and spec are kept.
    pub fn source(mut self, source: &'a ArgoWorkflow) -> Self {
        self.source = Some(source);
        self
    }

    /// The container image of tasks that do not come from an Argo source.
    pub fn image(mut self, image: impl Into<String>) -> Self {
        self.image = image.into();
        self
    }

    /// The workflow's `generateName` prefix when there is no source.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

/// Writes a plan as an Argo Workflow (JSON values; YAML with `to_yaml`, feature `yaml`; `argo submit`
/// takes either).
///
/// - Every task becomes a DAG task running its own template, pinned to its planned node by
///   `nodeSelector` on [`kubernetes.io/hostname`](HOSTNAME_LABEL) (the node's label of that
///   name, else its name). Not `nodeName`: the Kubernetes scheduler still checks resources,
///   taints and the rest.
/// - Its `depends` holds every original dependency and, on its node, the tasks planned to
///   finish by its start (those not implied by another such task), so on each node no task
///   starts before the tasks planned ahead of it there, and tasks the plan runs side by side
///   stay side by side. Any tasks that then run at once on a node also ran at once in the
///   plan, so they fit. A `depends` with conditions (`C.Failed`) is kept, joined by `&&`.
/// - The template carries the plan as annotations: `dagplan.io/task`, `dagplan.io/node`,
///   `dagplan.io/start` and `dagplan.io/duration` (the planned duration on that node, which
///   [`parse_argo`](super::parse_argo) reads back).
/// - Without a source, the template runs the [image](ArgoExport::image) and requests the
///   task's demand in the dimensions written as quantities (cpu in millicores, the others in
///   base units); dimensions of plain numbers have no Kubernetes unit and are not requested.
///
/// Argo starts a task when its dependencies are done: the plan's order and placement are
/// enforced, its start times are not (a task may start earlier than planned when others run
/// faster). Release dates, downtime and fixed starts are therefore annotations only.
///
/// With a source, the workflow's metadata and spec are kept (arguments, volumes, service
/// account, its exit handler's template); the other templates are replaced by the plan's.
///
/// Task and template names are made valid for Argo (letters, digits and `-`; others become
/// `-`; repeats get a suffix).
pub fn export_argo(problem: &Problem, schedule: &Schedule, options: &ArgoExport<'_>) -> Result<Value, ExportError> {
    schedule.verify(problem).map_err(ExportError::Unverified)?;
    let origins: HashMap<&str, &Origin> =
        options.source.map(|s| s.origins.iter().map(|o| (o.name.as_str(), o)).collect()).unwrap_or_default();
    if let Some(missing) =
        options.source.and_then(|_| problem.tasks().find(|&t| !origins.contains_key(problem.task_name(t))))
    {
        return Err(ExportError::NotInSource { task: problem.task_name(missing).to_owned() });
    }
    let source_spec = options.source.and_then(|s| s.document.get("spec"));
    let entry = source_spec.and_then(|s| s.get("entrypoint")).and_then(Value::as_str).unwrap_or("plan").to_owned();
    let names = argo_names(problem, &entry);
    let placed: HashMap<TaskId, &Assignment> = schedule.assignments().iter().map(|a| (a.task, a)).collect();
    let ahead = node_order(schedule);

    let mut dag_tasks = Vec::with_capacity(problem.task_count());
    let mut templates = Vec::with_capacity(problem.task_count() + 1);
    for t in problem.tasks() {
        let name = names.get(&t).cloned().unwrap_or_default();
        let Some(a) = placed.get(&t) else { continue }; // verified: every task is placed
        let origin = origins.get(problem.task_name(t)).copied();
        let mut before: BTreeSet<TaskId> = problem.predecessors(t).iter().map(|e| e.task).collect();
        let original = before.clone();
        before.extend(ahead.get(&t).into_iter().flatten());
        let name_of = |d: &TaskId| names.get(d).cloned().unwrap_or_default();
        let depends = match origin.and_then(|o| o.condition.as_deref()) {
            Some(condition) => {
                let renamed = rename_in(condition, problem, &names);
                let extra: Vec<String> = before.difference(&original).map(name_of).collect();
                std::iter::once(format!("({renamed})")).chain(extra).collect::<Vec<_>>().join(" && ")
            }
            None => before.iter().map(name_of).collect::<Vec<_>>().join(" && "),
        };
        let mut dag_task = Map::new();
        dag_task.insert("name".into(), json!(name));
        dag_task.insert("template".into(), json!(name));
        if !depends.is_empty() {
            dag_task.insert("depends".into(), json!(depends));
        }
        for kept in ["arguments", "when", "continueOn"] {
            if let Some(value) = origin.and_then(|o| o.dag_task.get(kept)) {
                dag_task.insert(kept.into(), value.clone());
            }
        }
        dag_tasks.push(Value::Object(dag_task));
        templates.push(template(problem, t, a, &name, origin, options));
    }
    let mut all_templates = vec![json!({"name": entry, "dag": {"tasks": dag_tasks}})];
    all_templates.extend(templates);
    // The exit handler runs after the plan, as in the source.
    let on_exit = source_spec.and_then(|s| s.get("onExit")).and_then(Value::as_str);
    let handler = on_exit.and_then(|name| {
        let source_templates = source_spec?.get("templates")?.as_array()?;
        source_templates.iter().find(|t| t.get("name").and_then(Value::as_str) == Some(name))
    });
    if let Some(handler) = handler {
        let taken = |name: &str| names.values().any(|n| n == name) || name == entry;
        if handler.get("name").and_then(Value::as_str).is_some_and(|n| !taken(n)) {
            all_templates.push(handler.clone());
        }
    }

    let mut spec = source_spec.and_then(Value::as_object).cloned().unwrap_or_default();
    spec.insert("entrypoint".into(), json!(entry));
    spec.insert("templates".into(), Value::Array(all_templates));
    let mut metadata = options
        .source
        .and_then(|s| s.document.get("metadata"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_else(|| Map::from_iter([("generateName".to_owned(), json!(format!("{}-", options.name)))]));
    let annotations = metadata.entry("annotations").or_insert_with(|| json!({}));
    if let Some(map) = annotations.as_object_mut() {
        map.insert("dagplan.io/makespan".into(), json!(schedule.makespan().to_string()));
    }
    Ok(json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": metadata,
        "spec": spec,
    }))
}

/// The manifest as YAML text.
#[cfg(feature = "yaml")]
pub fn to_yaml(manifest: &Value) -> Result<String, ExportError> {
    serde_saphyr::to_string(manifest).map_err(|e| ExportError::Yaml(e.to_string()))
}

/// One task's template: the source's (or a container of the image), pinned and annotated.
fn template(
    problem: &Problem,
    t: TaskId,
    a: &Assignment,
    name: &str,
    origin: Option<&Origin>,
    options: &ArgoExport<'_>,
) -> Value {
    let mut template = origin.and_then(|o| o.template.as_object()).cloned().unwrap_or_else(|| {
        let mut requests = Map::new();
        for (r, (resource, &amount)) in problem.resources().iter().zip(problem.demand(t)).enumerate() {
            if let (Some(scale), true) = (problem.quantity_scale(r), amount > 0) {
                requests.insert(resource.clone(), json!(format_quantity(amount, scale)));
            }
        }
        let mut container = Map::from_iter([("image".to_owned(), json!(options.image))]);
        if !requests.is_empty() {
            container.insert("resources".into(), json!({"requests": requests}));
        }
        Map::from_iter([("container".to_owned(), Value::Object(container))])
    });
    template.insert("name".into(), json!(name));
    for kind in ["container", "script"] {
        if let Some(resources) = template.get_mut(kind).and_then(|c| c.get_mut("resources")) {
            quantities_as_strings(resources);
        }
    }
    let selector = template.entry("nodeSelector").or_insert_with(|| json!({}));
    if let Some(map) = selector.as_object_mut() {
        map.insert(HOSTNAME_LABEL.into(), json!(hostname(problem, a.node)));
    }
    let metadata = template.entry("metadata").or_insert_with(|| json!({}));
    if let Some(map) = metadata.as_object_mut() {
        let annotations = map.entry("annotations").or_insert_with(|| json!({}));
        if let Some(annotations) = annotations.as_object_mut() {
            annotations.insert("dagplan.io/task".into(), json!(problem.task_name(t)));
            annotations.insert("dagplan.io/node".into(), json!(problem.node_name(a.node)));
            annotations.insert("dagplan.io/start".into(), json!(a.start.to_string()));
            annotations.insert(DURATION_ANNOTATION.into(), json!(a.finish.saturating_sub(a.start).to_string()));
        }
    }
    Value::Object(template)
}

/// Resource amounts written as YAML numbers (`nvidia.com/gpu: 2`) as the strings Kubernetes'
/// schema wants.
fn quantities_as_strings(resources: &mut Value) {
    for part in ["requests", "limits"] {
        if let Some(map) = resources.get_mut(part).and_then(Value::as_object_mut) {
            for amount in map.values_mut() {
                if let Value::Number(n) = amount {
                    *amount = Value::String(n.to_string());
                }
            }
        }
    }
}

/// The value of the node's hostname label, else its name.
fn hostname(problem: &Problem, node: NodeId) -> String {
    problem.node_labels(node).get(HOSTNAME_LABEL).cloned().unwrap_or_else(|| problem.node_name(node).to_owned())
}

/// Per task, the tasks on its node planned to finish by its start and not implied by
/// another of them. Ties (zero-length tasks at the same instant) go by (start, id), so the
/// order is acyclic. O(k²) per node of k tasks.
fn node_order(schedule: &Schedule) -> HashMap<TaskId, Vec<TaskId>> {
    let mut by_node: BTreeMap<NodeId, Vec<&Assignment>> = BTreeMap::new();
    for a in schedule.assignments() {
        by_node.entry(a.node).or_default().push(a);
    }
    let mut ahead: HashMap<TaskId, Vec<TaskId>> = HashMap::new();
    for tasks in by_node.values() {
        for b in tasks {
            let before = |a: &&&Assignment| a.finish <= b.start && (a.start, a.task) < (b.start, b.task);
            let earlier: Vec<&&Assignment> = tasks.iter().filter(before).collect();
            let latest_start = earlier.iter().map(|a| a.start).max().unwrap_or(0);
            // `a` is implied by the one starting last unless it ends after that start (or is
            // zero-length, when the tie rule may not order them).
            let kept = earlier.iter().filter(|a| a.finish > latest_start || a.start == a.finish).map(|a| a.task);
            ahead.insert(b.task, kept.collect());
        }
    }
    ahead
}

/// Argo-valid, unique names for the tasks (and none equal to `entry`).
fn argo_names(problem: &Problem, entry: &str) -> HashMap<TaskId, String> {
    let mut used: BTreeSet<String> = BTreeSet::from([entry.to_owned()]);
    let mut names = HashMap::with_capacity(problem.task_count());
    for t in problem.tasks() {
        let mut base: String =
            problem.task_name(t).chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
        if !base.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            base.insert(0, 't');
        }
        base.truncate(120);
        let mut name = base.clone();
        let mut n = 2;
        while used.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        used.insert(name.clone());
        names.insert(t, name);
    }
    names
}

/// A `depends` expression over problem names, with the tasks' Argo names.
fn rename_in(expression: &str, problem: &Problem, names: &HashMap<TaskId, String>) -> String {
    let rename = |n: &str| problem.task_id(n).and_then(|t| names.get(&t)).cloned().unwrap_or_else(|| n.to_owned());
    super::read::rewrite(expression, &rename)
}
