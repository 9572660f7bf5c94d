//! Stopping HiGHS from outside: a solve that ends when the [`Deadline`] is reached.
//!
//! HiGHS polls a user callback at its interrupt points (the MIP solver between nodes and
//! heuristics, the simplex and interior-point solvers between iterations) and stops with
//! status "interrupted" — keeping its best solution and dual bound — when the callback sets
//! `user_interrupt`. The `highs` crate does not expose callbacks, so this module registers
//! one through the C API of `highs-sys` (`Highs_setCallback`, `Highs_startCallback`). It is
//! the crate's only `unsafe` code: one callback that reads the deadline, and the calls that
//! register and clear it around a single `Highs_run`.
//!
//! What the callback cannot reach: HiGHS's MIP presolve (probing above all: about a second on
//! a 1,200-column model of a 30-task RCPSP on a 2-vCPU VM, more on larger models) and a single
//! LP solve have no interrupt point, so a cancel waits for the current one to end. HiGHS's own
//! `time_limit` option (set by the caller) does reach them, so the time limit holds there too.

#![expect(unsafe_code, reason = "HiGHS's user-interrupt callback is reachable only through its C API")]

use std::ffi::{c_char, c_int, c_void};

use highs_sys::{
    Highs_setCallback, Highs_startCallback, HighsCallbackDataIn, HighsCallbackDataOut, STATUS_ERROR,
    kHighsCallbackIpmInterrupt, kHighsCallbackMipInterrupt, kHighsCallbackSimplexInterrupt,
};

use crate::solver::{Deadline, SolveError};

/// The callback types at which HiGHS accepts an interrupt.
const INTERRUPTS: [c_int; 3] = [kHighsCallbackMipInterrupt, kHighsCallbackSimplexInterrupt, kHighsCallbackIpmInterrupt];

/// Runs HiGHS on `model` until it finishes or `deadline` is reached (time up or cancelled),
/// whichever comes first. HiGHS's error status is returned as [`SolveError::Backend`].
pub(super) fn solve(mut model: highs::Model, deadline: &Deadline) -> Result<highs::SolvedModel, SolveError> {
    let data = std::ptr::from_ref(deadline).cast_mut().cast::<c_void>();
    // SAFETY: `model.as_mut_ptr()` is the live `Highs` instance owned by `model`. `data`
    // points to `deadline`, which outlives this function; the callback only reads it (through
    // a shared reference: `Deadline` is `Sync`), and the registration is cleared below before
    // `deadline` can go out of scope.
    let registered = unsafe { Highs_setCallback(model.as_mut_ptr(), Some(on_callback), data) };
    if registered == STATUS_ERROR {
        return Err(SolveError::Backend("HiGHS refused the interrupt callback".into()));
    }
    for kind in INTERRUPTS {
        // SAFETY: the same live instance; `kind` is one of HiGHS's callback type constants.
        if unsafe { Highs_startCallback(model.as_mut_ptr(), kind) } == STATUS_ERROR {
            return Err(SolveError::Backend(format!("HiGHS refused to start interrupt callback {kind}")));
        }
    }
    let solved = model.try_solve();
    let mut solved = solved.map_err(|e| SolveError::Backend(format!("HiGHS failed: {e:?}")))?;
    // SAFETY: the solved model owns the same instance. Registering no callback clears the
    // pointer to `deadline` and deactivates every callback type, so nothing can reach
    // `deadline` after this function returns.
    unsafe { Highs_setCallback(solved.as_mut_ptr(), None, std::ptr::null_mut()) };
    Ok(solved)
}

/// HiGHS's callback: asks for an interrupt once the deadline is reached. Never unwinds (it
/// only reads an atomic flag and the clock).
unsafe extern "C" fn on_callback(
    kind: c_int,
    _message: *const c_char,
    _out: *const HighsCallbackDataOut,
    input: *mut HighsCallbackDataIn,
    data: *mut c_void,
) {
    if !INTERRUPTS.contains(&kind) || input.is_null() || data.is_null() {
        return;
    }
    // SAFETY: `data` is the `&Deadline` registered by `solve`, alive for the whole run (see
    // there); it is only read.
    let deadline = unsafe { &*data.cast_const().cast::<Deadline>() };
    if deadline.reached() {
        // SAFETY: for interrupt callbacks HiGHS passes a valid input record that it reads back
        // after the call (non-null: checked above); no one else writes it during the call.
        unsafe { (*input).user_interrupt = 1 };
    }
}
