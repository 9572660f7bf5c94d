//! JSON Schemas (draft 2020-12) of the problem format ([`ProblemSpec`]) and the result format
//! ([`ResultDocument`]), generated from the types by schemars (feature `schema`).
//!
//! The repository keeps both in `schemas/`; a test regenerates them and fails when the types
//! and the files drift apart, so the files are always the contract the code implements.
//! The schemas describe the shape of the formats; rules that span fields (unique names,
//! resolvable dependencies, an acyclic graph, a makespan equal to its schedule's) are checked
//! by the readers and stated in their errors.
//!
//! ```
//! let schema = dagplan::schema::problem_schema();
//! assert_eq!(schema["title"], "ProblemSpec");
//! assert_eq!(schema["required"], serde_json::json!(["nodes", "tasks"]));
//! ```

use crate::model::ProblemSpec;
use crate::result::ResultDocument;

/// The JSON Schema of the problem format.
pub fn problem_schema() -> serde_json::Value {
    schemars::schema_for!(ProblemSpec).to_value()
}

/// The JSON Schema of the result format.
pub fn result_schema() -> serde_json::Value {
    schemars::schema_for!(ResultDocument).to_value()
}
