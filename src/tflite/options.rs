//! Interpreter options: how many threads (which picks the device) and
//! where error messages go.

use std::sync::Arc;

use crate::Error;

/// Receives every error message of the interpreter (and of its tensors).
pub type ErrorReporter = Arc<dyn Fn(&str) + Send + Sync>;

/// `TfLiteInterpreterOptions`.
#[derive(Clone, Default)]
pub struct InterpreterOptions {
    /// `-1` (TFLite's default: the implementation decides) and `1` run on
    /// local-sync; more run on local-task when that driver is registered.
    pub num_threads: i32,
    pub error_reporter: Option<ErrorReporter>,
}

impl InterpreterOptions {
    pub fn new() -> InterpreterOptions {
        InterpreterOptions {
            num_threads: -1,
            error_reporter: None,
        }
    }
}

/// Where one interpreter's errors go: its reporter, or standard error as
/// TFLite's default reporter does.
#[derive(Clone, Default)]
pub struct Reporter(Option<ErrorReporter>);

impl Reporter {
    pub fn new(reporter: Option<ErrorReporter>) -> Reporter {
        Reporter(reporter)
    }

    pub fn report(&self, message: &str) {
        match &self.0 {
            Some(reporter) => reporter(message),
            None => eprintln!("ERROR: {message}"),
        }
    }

    pub fn report_error(&self, error: &Error) {
        self.report(&error.to_string());
    }

    /// Reports the error of `result`, if any, and passes it on.
    pub fn check<T>(&self, result: crate::Result<T>) -> crate::Result<T> {
        if let Err(e) = &result {
            self.report_error(e);
        }
        result
    }
}
