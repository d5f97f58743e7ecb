//! Entry points shared by the fuzz targets (`fuzz/fuzz_targets/`) and the
//! deterministic malformed-input tests (`tests/vm_malformed.rs`,
//! `tests/hal_fuzz_corpus.rs`), plus the small fixed-seed mutator they use.

use crate::session::Session;
use iree_runtime::vm::bytecode::interp::program::Program;
use iree_runtime::vm::bytecode::module_def::ModuleDef;
use iree_runtime::vm::list::List;
use iree_runtime::vm::value::{Value, Variant};
use iree_runtime::Result;

/// Parses and verifies a module file without executing anything.
pub fn load_and_verify(data: &[u8]) -> Result<Program> {
    let def = ModuleDef::parse(data)?;
    let mut program = Program::from_module_def(&def, data);
    program.prepare()?;
    Ok(program)
}

/// Loads `data` into a context (running `__init`) and invokes every
/// exported function that takes only scalars and refs, with zeros and null
/// refs. Returns how many invocations were attempted. Statuses are expected
/// and ignored; what matters to the caller is that this returns at all (no
/// panic, abort or runaway loop).
///
/// A mutated module may loop forever, so the calls run with a branch
/// budget ([`FUZZ_BRANCH_BUDGET`]) and such a loop ends with
/// `DEADLINE_EXCEEDED`.
pub fn load_and_run(data: &[u8]) -> usize {
    iree_runtime::vm::bytecode::interp::set_branch_budget(Some(FUZZ_BRANCH_BUDGET));
    let invoked = invoke_exports(data);
    iree_runtime::vm::bytecode::interp::set_branch_budget(None);
    invoked
}

/// Branches and calls per invocation in [`load_and_run`]: well past what
/// the test modules take, a fraction of a second of looping.
pub const FUZZ_BRANCH_BUDGET: u64 = 1 << 22;

fn invoke_exports(data: &[u8]) -> usize {
    let Ok(session) = Session::from_bytes(vec![data.to_vec()], &[]) else {
        return 0;
    };
    let mut invoked = 0;
    for name in session.user_exports() {
        let Ok(f) = session.lookup(&name) else {
            continue;
        };
        let args: Option<Vec<Variant>> = f
            .arg_types()
            .iter()
            .map(|&c| match c {
                b'i' => Some(Variant::Value(Value::I32(0))),
                b'I' => Some(Variant::Value(Value::I64(0))),
                b'f' => Some(Variant::Value(Value::F32(0.0))),
                b'F' => Some(Variant::Value(Value::F64(0.0))),
                b'r' => Some(Variant::Empty),
                _ => None,
            })
            .collect();
        let Some(args) = args else {
            continue;
        };
        let (Ok(inputs), Ok(outputs)) = (Session::new_list(args.len()), Session::new_list(8))
        else {
            continue;
        };
        let (Ok(i), Ok(o)) = (List::from_ref(&inputs), List::from_ref(&outputs)) else {
            continue;
        };
        if args.into_iter().all(|a| i.push_variant(a).is_ok()) {
            invoked += 1;
            let _ = session.invoke(&f, i, o);
        }
    }
    invoked
}

/// Largest buffer view [`parse_and_load_hal`] lets the text parser make:
/// hostile shapes must fail before allocating, not after.
pub const FUZZ_VIEW_LIMIT: u64 = 1 << 20;

/// What [`parse_and_load_hal`] made of one input.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HalOutcome {
    /// The input parsed as a buffer view in IREE's text form.
    pub text_parsed: bool,
    /// Arrays read when the input was taken as a `.npy` file (`None`: refused).
    pub npy_arrays: Option<usize>,
}

/// Feeds `data` to the buffer-view text parser (bounded by
/// [`FUZZ_VIEW_LIMIT`]) and to the `.npy` reader, then formats and
/// re-serialises whatever they accept. Any status is fine; a panic, an
/// abort or an allocation past the bounds is a finding. Asserts the
/// invariants a caller relies on: a parsed view fits the limit and prints in
/// the text form, which parses back to the same shape and size; the arrays
/// of a `.npy` file are no larger than the file and save and reload to
/// themselves.
pub fn parse_and_load_hal(data: &[u8]) -> HalOutcome {
    use iree_runtime::hal::allocator::HeapAllocator;
    use iree_runtime::hal::{npy, text, text_format};

    let allocator = HeapAllocator::new("fuzz");
    let mut outcome = HalOutcome::default();
    if let Ok(view) = text::parse_buffer_view_bounded(data, &allocator, FUZZ_VIEW_LIMIT) {
        outcome.text_parsed = true;
        assert!(view.byte_length() <= FUZZ_VIEW_LIMIT);
        if let Ok(printed) = text_format::format_buffer_view(&view, usize::MAX) {
            let again =
                text::parse_buffer_view_bounded(printed.as_bytes(), &allocator, FUZZ_VIEW_LIMIT)
                    .unwrap_or_else(|e| {
                        panic!("printed view {printed:?} does not parse back: {e}")
                    });
            assert_eq!(again.shape(), view.shape());
            // The element type is not compared: the text form names two
            // types `i1` (INT_1 and BOOL_8), as the reference's does.
            assert_eq!(again.byte_length(), view.byte_length(), "{printed:?}");
        }
    }
    if let Ok(views) = npy::load_all(data, &allocator) {
        outcome.npy_arrays = Some(views.len());
        let total: u64 = views.iter().map(|v| v.byte_length()).sum();
        assert!(total <= data.len() as u64);
        for view in &views {
            let Ok(saved) = npy::save_ndarray(view) else {
                continue;
            };
            let (again, used) = npy::load_ndarray(&saved, &allocator)
                .unwrap_or_else(|e| panic!("a saved array does not load back: {e}"));
            assert_eq!(used, saved.len());
            assert_eq!(again.shape(), view.shape());
            assert_eq!(again.element_type(), view.element_type());
            assert_eq!(
                again.buffer().read_all().ok(),
                view.buffer().read_all().ok()
            );
        }
    }
    outcome
}

/// xorshift64*: deterministic, dependency-free randomness for mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform-ish value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A mutant of `seed`: a few random byte edits of the kinds that break
/// parsers (random byte, bit flip, interesting integer, copied span).
pub fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    if out.is_empty() {
        return out;
    }
    let edits = 1 + rng.below(4);
    for _ in 0..edits {
        let at = rng.below(out.len());
        match rng.below(4) {
            0 => out[at] = rng.next_u64() as u8,
            1 => out[at] ^= 1 << rng.below(8),
            2 => {
                const INTERESTING: [u32; 6] = [0, 1, 0x7F, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF];
                let v = INTERESTING[rng.below(INTERESTING.len())].to_le_bytes();
                for (i, b) in v.iter().enumerate() {
                    if let Some(slot) = out.get_mut(at + i) {
                        *slot = *b;
                    }
                }
            }
            _ => {
                let from = rng.below(out.len());
                let len = rng.below(16).min(out.len() - from).min(out.len() - at);
                let span = out[from..from + len].to_vec();
                out[at..at + len].copy_from_slice(&span);
            }
        }
    }
    out
}

/// What [`validate_and_load_elf`] made of one input.
#[derive(Debug)]
pub struct ElfOutcome {
    /// The input checked and relocated as an executable for the host.
    pub host: iree_runtime::Result<iree_runtime::hal::elf::ImageInfo>,
    /// The same as an AArch64 executable (relocated, never executable).
    pub aarch64: iree_runtime::Result<iree_runtime::hal::elf::ImageInfo>,
    /// Whether it was also loaded for real (sealed and unmapped again).
    pub loaded: bool,
}

/// Feeds `data` to the embedded-ELF loader: validation for x86-64 and for
/// AArch64, then, when the host validation passed and the file has no
/// initializers (so loading runs none of its code), a real load. Any
/// status is fine; a crash is a finding, and so is a load that disagrees
/// with its validation.
pub fn validate_and_load_elf(data: &[u8]) -> ElfOutcome {
    use iree_runtime::hal::elf::{validate, ElfImage, Machine};

    let host_machine = Machine::host().unwrap_or(Machine::X86_64);
    let host = validate(data, host_machine);
    let aarch64 = validate(data, Machine::Aarch64);
    let mut loaded = false;
    if let Ok(info) = &host {
        if info.initializer_count == 0 && Machine::host().is_some() {
            let image = ElfImage::load(data)
                .unwrap_or_else(|e| panic!("validated for the host but did not load: {e}"));
            let query = image.query_function() as usize;
            assert!(image.contains_code(query));
            assert_eq!(
                query - image.address_range().start,
                info.query_offset as usize
            );
            assert_eq!(image.address_range().len() as u64, info.image_size);
            loaded = true;
        }
    }
    ElfOutcome {
        host,
        aarch64,
        loaded,
    }
}
