//! The subcommands of `dagplan`, one file each, and what they share: reading problems and
//! plans ([`input`]), building solvers from their names and options ([`solvers`]), and
//! writing output.

pub mod bench;
pub mod convert;
pub mod explain;
pub mod export;
pub mod input;
pub mod render;
pub mod solve;
pub mod solvers;
pub mod verify;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// What a command returns: its exit code, or the message of the error that stopped it
/// (printed as `error: ...`, exit code 2).
pub type Outcome = Result<ExitCode, String>;

/// Exit code 1: the command ran, and its answer is "no" (a plan breaks a rule, no plan meets
/// the deadlines).
pub fn answer_no() -> ExitCode {
    ExitCode::from(1)
}

/// Writes text to standard output in one write; a closed pipe (`| head`) is not an error.
pub fn emit(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Writes a file, or says which file could not be written and why.
pub fn write_file(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes `text` to the file, or to standard output when there is none.
pub fn output(path: Option<&Path>, text: &str) -> Result<(), String> {
    match path {
        Some(path) => write_file(path, text),
        None => {
            emit(text);
            Ok(())
        }
    }
}
