//! The `check` VM module that IREE's self-checking test programs import
//! (`check.expect_true`, `expect_false`, `expect_all_true`, `expect_eq`,
//! `expect_almost_eq`). As upstream's, a failed expectation does not stop
//! the program: it is recorded (with a message naming the values) and the
//! call returns; whoever runs the program (a test driver such as
//! `iree-check-module`) reads [`CheckModule::failures`] afterwards. Bad
//! arguments (wrong ref types, unsupported element types) are errors.

pub mod compare;

use std::sync::{Arc, Mutex, PoisonError};

use crate::hal::buffer_view::BufferView;
use crate::hal::text_format::format_buffer_view;
use crate::modules::hal::call::Args;
use crate::modules::hal::types::{deref, DeviceObject};
use crate::vm::interface::{ModuleSignature, FRAME_NATIVE};
use crate::vm::module::{Call, FunctionInfo, Linkage, Module, ModuleState};
use crate::vm::stack::Stack;
use crate::{iree_bail, iree_err, Result};

/// Failed expectations, in the order they happened.
#[derive(Clone, Default, Debug)]
pub struct CheckFailures(Arc<Mutex<Vec<String>>>);

impl CheckFailures {
    fn record(&self, message: String) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(message);
    }

    /// Takes the failures recorded so far (for one function, say).
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The `check` module (version 0, as upstream's).
#[derive(Default)]
pub struct CheckModule {
    failures: CheckFailures,
}

type ExportFn = fn(&CheckFailures, &mut Args<'_>) -> Result<()>;

/// Sorted by name.
const EXPORTS: [(&str, &str, ExportFn); 5] = [
    ("expect_all_true", "0rr_v", expect_all_true),
    ("expect_almost_eq", "0rrrff_v", expect_almost_eq),
    ("expect_eq", "0rrr_v", expect_eq),
    ("expect_false", "0i_v", expect_false),
    ("expect_true", "0i_v", expect_true),
];

impl CheckModule {
    pub fn new() -> CheckModule {
        CheckModule::default()
    }

    /// The handle its failures are recorded in (shared with the module).
    pub fn failures(&self) -> CheckFailures {
        self.failures.clone()
    }
}

impl Module for CheckModule {
    fn name(&self) -> &str {
        "check"
    }

    fn signature(&self) -> ModuleSignature {
        ModuleSignature {
            import_function_count: 0,
            export_function_count: EXPORTS.len(),
            internal_function_count: EXPORTS.len(),
        }
    }

    fn function(&self, linkage: Linkage, ordinal: usize) -> Result<FunctionInfo<'_>> {
        if matches!(linkage, Linkage::Import | Linkage::ImportOptional) {
            iree_bail!(OutOfRange, "the check module imports nothing");
        }
        let Some((name, cconv, _)) = EXPORTS.get(ordinal) else {
            iree_bail!(OutOfRange, "export ordinal {ordinal} out of range");
        };
        Ok(FunctionInfo {
            name,
            calling_convention: cconv,
            linkage,
        })
    }

    fn lookup_function(&self, linkage: Linkage, name: &str) -> Result<usize> {
        if matches!(linkage, Linkage::Import | Linkage::ImportOptional) {
            iree_bail!(NotFound, "the check module imports nothing");
        }
        EXPORTS
            .iter()
            .position(|(n, _, _)| *n == name)
            .ok_or_else(|| iree_err!(NotFound, "function '{name}' not found in module 'check'"))
    }

    fn alloc_state(&self) -> Result<ModuleState> {
        Ok(Box::new(()))
    }

    fn begin_call(&self, stack: &mut Stack, _: &mut ModuleState, call: Call<'_>) -> Result<()> {
        let Some((name, _, run)) = EXPORTS.get(call.function.ordinal as usize) else {
            iree_bail!(
                OutOfRange,
                "function ordinal {} out of range",
                call.function.ordinal
            );
        };
        stack.function_enter(&call.function, FRAME_NATIVE, 0, None)?;
        let mut args = Args::new(call.arguments);
        let outcome = run(&self.failures, &mut args)
            .and_then(|()| args.finish())
            .map_err(|e| e.annotate(format!("in check.{name}")));
        let left = stack.function_leave();
        outcome.and(left)
    }
}

fn expect_true(failures: &CheckFailures, args: &mut Args<'_>) -> Result<()> {
    let operand = args.i32()?;
    if operand == 0 {
        failures.record(format!("Expected {operand} to be nonzero."));
    }
    Ok(())
}

fn expect_false(failures: &CheckFailures, args: &mut Args<'_>) -> Result<()> {
    let operand = args.i32()?;
    if operand != 0 {
        failures.record(format!("Expected {operand} to be zero."));
    }
    Ok(())
}

/// The bytes a view covers.
fn contents(view: &BufferView) -> Result<Vec<u8>> {
    let length = usize::try_from(view.byte_length())
        .map_err(|_| iree_err!(OutOfRange, "buffer view too large for the host"))?;
    let mut bytes = vec![0u8; length];
    view.buffer().map_read(0, &mut bytes)?;
    Ok(bytes)
}

fn text(view: &BufferView) -> Result<String> {
    format_buffer_view(view, 1024)
}

fn expect_all_true(failures: &CheckFailures, args: &mut Args<'_>) -> Result<()> {
    let device = args.r()?;
    let operand = args.r()?;
    deref::<DeviceObject>(&device, "device")?;
    let view = deref::<BufferView>(&operand, "operand")?;
    if let Some(index) = compare::first_zero(&contents(view)?, view.element_type())? {
        failures.record(format!(
            "Expected all elements to be nonzero, but element {index} is zero:\n  {}",
            text(view)?
        ));
    }
    Ok(())
}

/// The two views and what differs between them besides their contents.
fn operands<'a>(
    lhs: &'a crate::vm::r#ref::Ref,
    rhs: &'a crate::vm::r#ref::Ref,
) -> Result<(&'a BufferView, &'a BufferView, String)> {
    let lhs = deref::<BufferView>(lhs, "lhs")?;
    let rhs = deref::<BufferView>(rhs, "rhs")?;
    let mut differences = String::new();
    if lhs.element_type() != rhs.element_type() {
        differences.push_str(" Element types do not match.");
    }
    if lhs.shape() != rhs.shape() {
        differences.push_str(" Shapes do not match.");
    }
    Ok((lhs, rhs, differences))
}

fn report(lhs: &BufferView, rhs: &BufferView, summary: &str) -> Result<String> {
    Ok(format!(
        "{summary}\n  lhs:\n    {}\n  rhs:\n    {}",
        text(lhs)?,
        text(rhs)?
    ))
}

fn expect_eq(failures: &CheckFailures, args: &mut Args<'_>) -> Result<()> {
    let device = args.r()?;
    let lhs = args.r()?;
    let rhs = args.r()?;
    deref::<DeviceObject>(&device, "device")?;
    let (lhs, rhs, mut differences) = operands(&lhs, &rhs)?;
    if contents(lhs)? != contents(rhs)? {
        differences.push_str(" Contents does not match.");
    }
    if !differences.is_empty() {
        let summary = format!("Expected equality of these values.{differences}");
        failures.record(report(lhs, rhs, &summary)?);
    }
    Ok(())
}

fn expect_almost_eq(failures: &CheckFailures, args: &mut Args<'_>) -> Result<()> {
    let device = args.r()?;
    let lhs = args.r()?;
    let rhs = args.r()?;
    let atol = f32::from_bits(args.i32()? as u32);
    let rtol = f32::from_bits(args.i32()? as u32);
    deref::<DeviceObject>(&device, "device")?;
    let (lhs, rhs, mut differences) = operands(&lhs, &rhs)?;
    if differences.is_empty() {
        let mismatch = compare::first_mismatch(
            &contents(lhs)?,
            &contents(rhs)?,
            lhs.element_type(),
            atol as f64,
            rtol as f64,
        )?;
        if let Some((index, actual, expected)) = mismatch {
            differences.push_str(&format!(
                " Contents does not match to tolerance parameters atol={atol}, rtol={rtol}. The first failure occurs at index {index} as the lhs value {actual} differs from the rhs value {expected} by {:.3e}.",
                expected - actual
            ));
        }
    }
    if !differences.is_empty() {
        let summary = format!("Expected near equality of these values.{differences}");
        failures.record(report(lhs, rhs, &summary)?);
    }
    Ok(())
}

/// A `check` module the VM can register in a context, and the handle its
/// failures are recorded in.
pub fn create_module() -> Result<(crate::vm::module::CModule, CheckFailures)> {
    let module = CheckModule::new();
    let failures = module.failures();
    let table = crate::vm::module::export_module(Box::new(module));
    // SAFETY: `table` is the live table just made; `retain` takes a
    // reference of its own.
    let held = unsafe { crate::vm::module::CModule::retain(table) }?;
    // SAFETY: gives up the creation reference (`held` keeps the module).
    unsafe { crate::vm::module::module_release(table) };
    Ok((held, failures))
}
