//! Turning schedules into something people read.

mod gantt;

pub use gantt::text_gantt;
