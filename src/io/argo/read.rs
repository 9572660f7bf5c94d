//! An Argo Workflow's DAG as tasks (see the [module docs](super)): flattening nested DAGs,
//! reading `dependencies`/`depends`, targets, resources, selectors and durations.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;
use serde_json::Value;

use super::{ArgoOptions, ArgoWorkflow, DURATION_ANNOTATION, Origin};
use crate::model::{Amount, DependencySpec, ProblemSpec, TaskSpec, Toleration, TolerationOperator};

type Result<T> = std::result::Result<T, String>;

/// How deep DAG templates may nest (the expansion recurses once per level).
const MAX_NESTING: usize = 64;

/// The task results a `depends` expression may test (`A.Succeeded`).
const RESULTS: [&str; 8] =
    ["Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed"];

/// Reads the workflow's entrypoint DAG into tasks.
pub(super) fn workflow(document: Value, options: &ArgoOptions) -> Result<ArgoWorkflow> {
    let kind = document.get("kind").and_then(Value::as_str).unwrap_or("");
    if !matches!(kind, "Workflow" | "WorkflowTemplate") {
        return Err(format!("expected an Argo Workflow (kind: Workflow), found kind `{kind}`"));
    }
    let spec = document.get("spec").ok_or("the workflow has no `spec`")?;
    let entry = spec.get("entrypoint").and_then(Value::as_str).ok_or("the workflow has no `spec.entrypoint`")?;
    let templates: HashMap<&str, &Value> = spec
        .get("templates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| Some((t.get("name")?.as_str()?, t)))
        .collect();
    let reader = Reader { templates, spec, options };
    let root = reader.template(entry)?;
    if root.get("dag").is_none() {
        return Err(format!(
            "the entrypoint template `{entry}` is a {} template, not a DAG: dagplan plans DAG workflows (`dag.tasks`)",
            kind_of(root)
        ));
    }
    let mut leaves = Vec::new();
    reader.dag(entry, root, "", &BTreeMap::new(), &mut vec![entry.to_owned()], &mut leaves)?;
    let mut tasks = Vec::with_capacity(leaves.len());
    let mut origins = Vec::with_capacity(leaves.len());
    for leaf in leaves {
        tasks.push(reader.task(&leaf)?);
        origins.push(Origin {
            name: leaf.name,
            dag_task: leaf.dag_task,
            template: leaf.template.clone(),
            condition: leaf.condition,
        });
    }
    let spec = ProblemSpec { resources: None, nodes: Vec::new(), tasks, now: 0 };
    Ok(ArgoWorkflow { spec, document, origins })
}

struct Reader<'a> {
    templates: HashMap<&'a str, &'a Value>,
    spec: &'a Value,
    options: &'a ArgoOptions,
}

/// A task of the flattened DAG.
struct Leaf<'a> {
    name: String,
    template_name: String,
    template: &'a Value,
    dag_task: Value,
    after: BTreeSet<String>,
    condition: Option<String>,
}

/// A DAG task after expansion: the leaves that start it and those that end it.
struct Unit {
    roots: Vec<usize>,
    sinks: Vec<usize>,
}

impl<'a> Reader<'a> {
    fn template(&self, name: &str) -> Result<&'a Value> {
        self.templates.get(name).copied().ok_or_else(|| format!("no template named `{name}`"))
    }

    /// Expands the DAG of template `name` into `leaves`; returns its roots and sinks.
    fn dag(
        &self,
        name: &str,
        template: &'a Value,
        prefix: &str,
        inputs: &BTreeMap<String, String>,
        stack: &mut Vec<String>,
        leaves: &mut Vec<Leaf<'a>>,
    ) -> Result<Unit> {
        let dag = template.get("dag").ok_or_else(|| format!("template `{name}` is not a DAG"))?;
        let tasks: Vec<&Value> = dag.get("tasks").and_then(Value::as_array).into_iter().flatten().collect();
        let mut local: Vec<(&str, &Value)> = Vec::with_capacity(tasks.len());
        for task in tasks {
            let task_name = task
                .get("name")
                .and_then(Value::as_str)
                .ok_or(format!("template `{name}`: a DAG task without a name"))?;
            local.push((task_name, task));
        }
        let known: BTreeSet<&str> = local.iter().map(|&(n, _)| n).collect();
        let mut deps: BTreeMap<&str, Dependencies> = BTreeMap::new();
        for &(task_name, task) in &local {
            let parsed = dependencies(task).map_err(|e| format!("DAG task `{task_name}`: {e}"))?;
            if let Some(missing) = parsed.names.iter().find(|d| !known.contains(d.as_str())) {
                return Err(format!(
                    "DAG task `{task_name}` depends on `{missing}`, which is not a task of DAG `{name}`"
                ));
            }
            deps.insert(task_name, parsed);
        }
        let kept = self.targets(dag, name, &known, &deps)?;

        let mut units: BTreeMap<&str, Unit> = BTreeMap::new();
        for &(task_name, task) in local.iter().filter(|(n, _)| kept.contains(n)) {
            let unit = self.task_unit(task_name, task, prefix, inputs, stack, leaves)?;
            units.insert(task_name, unit);
        }
        // Each unit's roots wait for its dependencies' sinks.
        for (task_name, unit) in &units {
            let Some(parsed) = deps.get(task_name) else { continue };
            let before: Vec<usize> = parsed
                .names
                .iter()
                .filter_map(|d| units.get(d.as_str()))
                .flat_map(|u| u.sinks.iter().copied())
                .collect();
            let names: Vec<String> = before.iter().filter_map(|&i| leaves.get(i).map(|l| l.name.clone())).collect();
            for &root in &unit.roots {
                if let Some(leaf) = leaves.get_mut(root) {
                    leaf.after.extend(names.iter().cloned());
                }
            }
            if let Some(expression) = &parsed.condition {
                let single =
                    |d: &String| units.get(d.as_str()).is_some_and(|u| u.roots.len() == 1 && u.sinks.len() == 1);
                if !parsed.names.iter().all(single) || unit.roots.len() != 1 {
                    return Err(format!(
                        "DAG task `{task_name}` sets conditions (`{expression}`) on a nested DAG: not supported"
                    ));
                }
                let rename = |d: &str| format!("{prefix}{d}");
                let rewritten = rewrite(expression, &rename);
                if let Some(leaf) = unit.roots.first().and_then(|&r| leaves.get_mut(r)) {
                    leaf.condition = Some(rewritten);
                }
            }
        }
        let depended: BTreeSet<&str> =
            units.keys().filter_map(|n| deps.get(n)).flat_map(|d| d.names.iter().map(String::as_str)).collect();
        let roots = units
            .iter()
            .filter(|(n, _)| deps.get(*n).is_none_or(|d| d.names.is_empty()))
            .flat_map(|(_, u)| u.roots.clone())
            .collect();
        let sinks = units.iter().filter(|(n, _)| !depended.contains(*n)).flat_map(|(_, u)| u.sinks.clone()).collect();
        Ok(Unit { roots, sinks })
    }

    /// One DAG task: a leaf, or a nested DAG expanded.
    fn task_unit(
        &self,
        task_name: &str,
        task: &'a Value,
        prefix: &str,
        inputs: &BTreeMap<String, String>,
        stack: &mut Vec<String>,
        leaves: &mut Vec<Leaf<'a>>,
    ) -> Result<Unit> {
        for fan_out in ["withItems", "withParam", "withSequence"] {
            if task.get(fan_out).is_some() {
                return Err(format!(
                    "DAG task `{task_name}` fans out with `{fan_out}`: dagplan plans one pod per task; list the tasks instead"
                ));
            }
        }
        if task.get("templateRef").is_some() {
            return Err(format!(
                "DAG task `{task_name}` uses `templateRef` (a template of another WorkflowTemplate): not supported; inline the template"
            ));
        }
        let (template_name, template) = match (task.get("template").and_then(Value::as_str), task.get("inline")) {
            (Some(name), _) => (name.to_owned(), self.template(name)?),
            (None, Some(inline)) => (format!("{task_name}-inline"), inline),
            (None, None) => return Err(format!("DAG task `{task_name}` names no template")),
        };
        let dag_task = substitute(task, inputs);
        let name = format!("{prefix}{task_name}");
        match kind_of(template) {
            "container" | "script" => {
                let index = leaves.len();
                leaves.push(Leaf { name, template_name, template, dag_task, after: BTreeSet::new(), condition: None });
                Ok(Unit { roots: vec![index], sinks: vec![index] })
            }
            "dag" => {
                if stack.len() >= MAX_NESTING {
                    return Err(format!("DAG task `{task_name}`: DAGs nested more than {MAX_NESTING} deep"));
                }
                if stack.contains(&template_name) {
                    return Err(format!(
                        "template `{template_name}` runs itself (through DAG task `{task_name}`): recursion is not planned"
                    ));
                }
                stack.push(template_name.clone());
                let inner_inputs = parameters(template, &dag_task);
                let unit = self.dag(&template_name, template, &format!("{name}-"), &inner_inputs, stack, leaves);
                stack.pop();
                unit
            }
            "steps" => Err(format!(
                "DAG task `{task_name}` runs `{template_name}`, a steps template: dagplan plans DAGs of container and script templates; write the steps as a DAG"
            )),
            other => Err(format!(
                "DAG task `{task_name}` runs `{template_name}`, a {other} template: dagplan plans container and script templates"
            )),
        }
    }

    /// The tasks to keep: all, or the `dag.target` tasks and what they depend on.
    fn targets<'t>(
        &self,
        dag: &Value,
        name: &str,
        known: &BTreeSet<&'t str>,
        deps: &BTreeMap<&str, Dependencies>,
    ) -> Result<BTreeSet<&'t str>> {
        let Some(target) = dag.get("target").and_then(Value::as_str) else { return Ok(known.clone()) };
        let resolved = self.workflow_parameters(target);
        if resolved.contains("{{") {
            return Err(format!("DAG `{name}`: target `{target}` is not a list of task names with known values"));
        }
        let mut kept = BTreeSet::new();
        let mut todo: Vec<&str> = Vec::new();
        for t in resolved.split_whitespace() {
            let found = known.get(t).ok_or_else(|| format!("DAG `{name}`: target `{t}` is not one of its tasks"))?;
            todo.push(found);
        }
        while let Some(t) = todo.pop() {
            if kept.insert(t) {
                let before = deps.get(t).into_iter().flat_map(|d| d.names.iter());
                todo.extend(before.filter_map(|d| known.get(d.as_str()).copied()));
            }
        }
        if kept.is_empty() { Ok(known.clone()) } else { Ok(kept) }
    }

    /// `text` with `{{workflow.parameters.NAME}}` replaced by the parameters' values.
    fn workflow_parameters(&self, text: &str) -> String {
        let mut out = text.to_owned();
        let parameters = self.spec.pointer("/arguments/parameters").and_then(Value::as_array).into_iter().flatten();
        for p in parameters {
            if let (Some(n), Some(v)) = (p.get("name").and_then(Value::as_str), p.get("value").and_then(Value::as_str))
            {
                out = out.replace(&format!("{{{{workflow.parameters.{n}}}}}"), v);
            }
        }
        out
    }

    /// A leaf as a task: duration, demand, selector, tolerations, dependencies.
    fn task(&self, leaf: &Leaf<'_>) -> Result<TaskSpec> {
        let duration = self.duration(leaf)?;
        let mut task = TaskSpec::new(leaf.name.clone(), duration);
        task.demand = demand(leaf.template).map_err(|e| format!("template `{}`: {e}", leaf.template_name))?;
        task.after = leaf.after.iter().map(|d| DependencySpec::Plain(d.clone())).collect();
        for source in [self.spec, leaf.template] {
            if let Some(selector) = source.get("nodeSelector") {
                let labels: BTreeMap<String, String> = serde_json::from_value(selector.clone())
                    .map_err(|e| format!("template `{}`: nodeSelector: {e}", leaf.template_name))?;
                task.node_selector.extend(labels);
            }
            if let Some(list) = source.get("tolerations") {
                let read: Vec<TolerationDoc> = serde_json::from_value(list.clone())
                    .map_err(|e| format!("template `{}`: tolerations: {e}", leaf.template_name))?;
                task.tolerations.extend(read.into_iter().map(TolerationDoc::into_toleration));
            }
        }
        Ok(task)
    }

    fn duration(&self, leaf: &Leaf<'_>) -> Result<u64> {
        let durations = &self.options.durations;
        if let Some(&d) = durations.get(&leaf.name).or_else(|| durations.get(&leaf.template_name)) {
            return Ok(d);
        }
        let annotation = leaf.template.pointer("/metadata/annotations").and_then(|a| a.get(DURATION_ANNOTATION));
        match annotation {
            Some(Value::String(text)) => text.trim().parse().map_err(|_| {
                format!(
                    "template `{}`: annotation {DURATION_ANNOTATION} = `{text}` is not a whole number of ticks",
                    leaf.template_name
                )
            }),
            Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
                format!(
                    "template `{}`: annotation {DURATION_ANNOTATION} = {n} is not a whole number of ticks",
                    leaf.template_name
                )
            }),
            _ => Err(format!(
                "task `{}` (template `{}`) has no duration: give it in a durations file (by task or template name) \
                 or as the annotation `{DURATION_ANNOTATION}: \"<ticks>\"` in the template's metadata",
                leaf.name, leaf.template_name
            )),
        }
    }
}

/// The kind of a template: the field that says what it runs.
fn kind_of(template: &Value) -> &'static str {
    const KINDS: [&str; 10] =
        ["container", "script", "dag", "steps", "resource", "suspend", "http", "plugin", "containerSet", "data"];
    KINDS.into_iter().find(|k| template.get(k).is_some()).unwrap_or("empty")
}

/// A task's dependencies: the names, and its `depends` expression when it has conditions.
struct Dependencies {
    names: Vec<String>,
    condition: Option<String>,
}

fn dependencies(task: &Value) -> Result<Dependencies> {
    let mut names: Vec<String> = Vec::new();
    if let Some(list) = task.get("dependencies") {
        let list = list.as_array().ok_or("`dependencies` is not a list")?;
        for d in list {
            names.push(d.as_str().ok_or("`dependencies` holds a non-string")?.to_owned());
        }
    }
    let mut condition = None;
    if let Some(depends) = task.get("depends") {
        let expression = depends.as_str().ok_or("`depends` is not a string")?;
        let mut conditional = false;
        for token in tokens(expression) {
            match token {
                Token::Name(name, result) => {
                    if let Some(result) = result {
                        if !RESULTS.contains(&result) {
                            return Err(format!("`depends: {expression}` tests unknown result `{name}.{result}`"));
                        }
                        conditional = true;
                    }
                    names.push(name.to_owned());
                }
                Token::Operator(op) => conditional |= op != "&&" && op != "(" && op != ")",
                Token::Bad(c) => return Err(format!("`depends: {expression}` has an unexpected `{c}`")),
            }
        }
        if conditional {
            condition = Some(expression.to_owned());
        }
    }
    names.sort();
    names.dedup();
    Ok(Dependencies { names, condition })
}

enum Token<'e> {
    /// A task name and the result it tests, if any.
    Name(&'e str, Option<&'e str>),
    Operator(&'e str),
    Bad(char),
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'
}

fn tokens(expression: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = expression;
    while let Some(c) = rest.chars().next() {
        let (token, len) = if c.is_whitespace() {
            rest = rest.get(c.len_utf8()..).unwrap_or("");
            continue;
        } else if rest.starts_with("&&") || rest.starts_with("||") {
            (Token::Operator(rest.get(..2).unwrap_or("")), 2)
        } else if matches!(c, '!' | '(' | ')') {
            (Token::Operator(rest.get(..1).unwrap_or("")), 1)
        } else if is_name_char(c) {
            let len = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
            let word = rest.get(..len).unwrap_or("");
            let token = match word.split_once('.') {
                Some((name, result)) => Token::Name(name, Some(result)),
                None => Token::Name(word, None),
            };
            (token, len)
        } else {
            (Token::Bad(c), c.len_utf8())
        };
        out.push(token);
        rest = rest.get(len..).unwrap_or("");
    }
    out
}

/// The expression with every task name renamed.
pub(super) fn rewrite(expression: &str, rename: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    for token in tokens(expression) {
        match token {
            Token::Name(name, Some(result)) => out.push_str(&format!("{}.{result}", rename(name))),
            Token::Name(name, None) => out.push_str(&rename(name)),
            Token::Operator(op) => out.push_str(&format!(" {op} ")),
            Token::Bad(c) => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ").replace("( ", "(").replace(" )", ")").replace("! ", "!")
}

/// The values a nested DAG's `{{inputs.parameters.NAME}}` take: the calling task's
/// arguments, else the template's defaults.
fn parameters(template: &Value, dag_task: &Value) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    let pairs = |list: Option<&Value>| -> Vec<(String, String)> {
        list.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let name = p.get("name")?.as_str()?.to_owned();
                let value = match p.get("value")? {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Some((name, value))
            })
            .collect()
    };
    values.extend(pairs(template.pointer("/inputs/parameters")));
    values.extend(pairs(dag_task.pointer("/arguments/parameters")));
    values
}

/// A copy of `value` with `{{inputs.parameters.NAME}}` replaced in every string.
fn substitute(value: &Value, inputs: &BTreeMap<String, String>) -> Value {
    match value {
        Value::String(s) if !inputs.is_empty() => {
            let mut out = s.clone();
            for (name, v) in inputs {
                out = out.replace(&format!("{{{{inputs.parameters.{name}}}}}"), v);
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, inputs)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), substitute(v, inputs))).collect()),
        other => other.clone(),
    }
}

/// A container's requests (limits standing in for missing requests), as quantities.
fn demand(template: &Value) -> Result<BTreeMap<String, Amount>> {
    let container = template.get("container").or_else(|| template.get("script"));
    let resources = container.and_then(|c| c.get("resources"));
    let mut demand = BTreeMap::new();
    for part in ["requests", "limits"] {
        let Some(map) = resources.and_then(|r| r.get(part)) else { continue };
        let map = map.as_object().ok_or_else(|| format!("resources.{part} is not a map"))?;
        for (resource, value) in map {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                other => return Err(format!("resources.{part}.{resource} = {other} is not a quantity")),
            };
            demand.entry(resource.clone()).or_insert(Amount::quantity(text));
        }
    }
    Ok(demand)
}

/// A toleration as Kubernetes writes it (`tolerationSeconds` ignored).
#[derive(Deserialize)]
struct TolerationDoc {
    #[serde(default)]
    key: String,
    #[serde(default)]
    operator: Option<TolerationOperator>,
    #[serde(default)]
    value: String,
    #[serde(default)]
    effect: Option<crate::model::TaintEffect>,
}

impl TolerationDoc {
    fn into_toleration(self) -> Toleration {
        Toleration {
            key: self.key,
            operator: self.operator.unwrap_or_default(),
            value: self.value,
            effect: self.effect,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depends_expressions_give_names_and_conditions() {
        let task = serde_json::json!({"depends": "A && (C.Succeeded || C.Failed)"});
        let d = dependencies(&task).unwrap();
        assert_eq!(d.names, ["A", "C"]);
        assert_eq!(d.condition.as_deref(), Some("A && (C.Succeeded || C.Failed)"));
        let plain = dependencies(&serde_json::json!({"depends": "B && C"})).unwrap();
        assert_eq!((plain.names, plain.condition), (vec!["B".to_owned(), "C".to_owned()], None));
        let listed = dependencies(&serde_json::json!({"dependencies": ["X", "Y"]})).unwrap();
        assert_eq!(listed.names, ["X", "Y"]);
        assert!(dependencies(&serde_json::json!({"depends": "A.Finished"})).is_err());
        assert!(dependencies(&serde_json::json!({"depends": "A & B"})).is_err());
        let renamed = rewrite("!A.Failed || (B && C.Succeeded)", &|n| format!("x-{n}"));
        assert_eq!(renamed, "!x-A.Failed || (x-B && x-C.Succeeded)");
    }
}
