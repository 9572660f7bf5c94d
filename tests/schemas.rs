//! The JSON Schemas in `schemas/` are the types' schemas: regenerating them from the types
//! gives the files byte for byte. After changing a wire type, rewrite them with
//! `DAGPLAN_BLESS=1 cargo test --features schema --test schemas` and review the diff.
//! Also: the shipped examples and a fresh result document are instances of their schemas'
//! top-level shape (required fields present, no field the schema does not list).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use std::path::PathBuf;

use serde_json::Value;

fn check(file: &str, generated: &Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas").join(file);
    let text = serde_json::to_string_pretty(generated).unwrap() + "\n";
    if std::env::var_os("DAGPLAN_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        kept == text,
        "{} differs from the schema of the types: rewrite it with \
         `DAGPLAN_BLESS=1 cargo test --features schema --test schemas` and review the diff",
        path.display()
    );
}

/// The object's keys are all declared by the schema and the required ones present.
fn fits_top_level(schema: &Value, instance: &Value) {
    let properties = schema["properties"].as_object().unwrap();
    let object = instance.as_object().unwrap();
    for key in object.keys() {
        assert!(properties.contains_key(key), "`{key}` is not in the schema");
    }
    for key in schema["required"].as_array().unwrap() {
        assert!(object.contains_key(key.as_str().unwrap()), "required `{key}` missing");
    }
    assert_eq!(schema["additionalProperties"], Value::Bool(false), "unknown fields must be errors");
}

#[test]
fn the_problem_schema_file_matches_the_types() {
    let schema = dagplan::schema::problem_schema();
    check("problem.schema.json", &schema);
    let example: Value = serde_json::from_str(dagplan::example::FIVE_TASKS_JSON).unwrap();
    fits_top_level(&schema, &example);
}

#[test]
fn the_result_schema_file_matches_the_types() {
    use dagplan::{Greedy, ResultDocument, Scheduler, SolveOptions};
    let schema = dagplan::schema::result_schema();
    check("result.schema.json", &schema);
    let problem = dagplan::io::read_json_str(dagplan::example::FIVE_TASKS_JSON).unwrap();
    let solution = Greedy::default().schedule(&problem).unwrap();
    let document = ResultDocument::new(&problem, "greedy", &solution, &SolveOptions::default());
    fits_top_level(&schema, &serde_json::to_value(&document).unwrap());
    assert_eq!(schema["properties"]["status"]["$ref"], "#/$defs/Status");
    let statuses: Vec<&Value> =
        schema["$defs"]["Status"]["oneOf"].as_array().unwrap().iter().map(|v| &v["const"]).collect();
    assert_eq!(statuses, ["optimal", "feasible", "infeasible"]);
}
