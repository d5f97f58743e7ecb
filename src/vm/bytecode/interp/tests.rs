//! Hand-assembled snippets plus the compiled modules under testdata/vm.

use super::code::Inst;
use super::host_interface::Host;
use super::program::{FunctionDesc, Program};
use super::{Globals, Invocation, Outcome};
use crate::vm::bytecode::frame::RegisterValue;
use crate::vm::bytecode::verifier::verify_program;
use crate::vm::cconv::Cconv;

/// A host with no imports and a trivial ref type.
struct NoHost;
impl Host for NoHost {
    type Ref = Option<u32>;
}

fn program_of(code: Vec<u8>, i32s: u16, cconv: &str) -> Program {
    Program {
        module_name: "t".into(),
        functions: vec![FunctionDesc {
            name: "f".into(),
            offset: 0,
            length: code.len(),
            i32_register_count: i32s,
            ref_register_count: 0,
            block_count: 0,
            cconv: Cconv::parse(cconv),
            locations: vec![],
        }],
        bytecode: code,
        ..Default::default()
    }
}

fn run(
    p: &Program,
    args: &[RegisterValue<Option<u32>>],
) -> crate::Result<Vec<RegisterValue<Option<u32>>>> {
    let mut p = p.clone();
    p.prepare()?;
    let p = &p;
    let mut inv = Invocation::default();
    let mut g = Globals::new(p);
    inv.begin(p, 0, args)?;
    assert_eq!(inv.run(p, &mut g, &mut NoHost)?, Outcome::Returned);
    Ok(inv.results.clone())
}

#[test]
fn add_min_return() {
    // ^bb0: %1 = add.i32 %0, %1; %0 = min.i32.s %1, %0; return %0
    let code = vec![
        0x79, 0x22, 0, 0, 1, 0, 1, 0, 0x7A, 1, 0, 0, 0, 0, 0, 0x5A, 1, 0, 0, 0,
    ];
    let p = program_of(code, 2, "0ii_i");
    assert_eq!(
        run(&p, &[RegisterValue::I32(5), RegisterValue::I32(7)]).unwrap(),
        vec![RegisterValue::I32(5)]
    );
    assert_eq!(
        run(&p, &[RegisterValue::I32(-5), RegisterValue::I32(1)]).unwrap(),
        vec![RegisterValue::I32(-5)]
    );
}

#[test]
fn division_by_zero_fails() {
    let code = vec![0x79, 0x25, 0, 0, 1, 0, 0, 0, 0x5A, 1, 0, 0, 0];
    let p = program_of(code, 2, "0ii_i");
    let e = run(&p, &[RegisterValue::I32(5), RegisterValue::I32(0)]).unwrap_err();
    assert_eq!(e.code(), crate::StatusCode::InvalidArgument);
}

#[test]
fn verifier_rejects_bad_register_and_target() {
    // Register 9 with only 2 registers.
    let code = vec![0x79, 0x22, 9, 0, 1, 0, 1, 0, 0x5A, 0, 0];
    assert!(verify_program(&program_of(code, 2, "0ii_i")).is_err());
    // Branch into the middle of an instruction.
    let code = vec![0x79, 0x56, 2, 0, 0, 0, 0, 0];
    assert!(verify_program(&program_of(code, 0, "0_")).is_err());
    // Unknown opcode.
    let code = vec![0x79, 0xD0, 0x5A, 0, 0];
    assert!(verify_program(&program_of(code, 0, "0_")).is_err());
}

#[test]
fn frames_hold_the_registers_named_and_the_arguments_not_the_rounded_limits() {
    let frame = |code: Vec<u8>, i32s: u16, cconv: &str| {
        let mut p = program_of(code, i32s, cconv);
        p.prepare().unwrap();
        (
            p.functions[0].i32_register_count,
            p.functions[0].ref_register_count,
        )
    };
    // 3 declared (limit 4): `%3 = add.i32 %0, %1; return %3` names %3.
    let names_3 = vec![0x79, 0x22, 0, 0, 1, 0, 3, 0, 0x5A, 0, 1, 0, 3, 0];
    assert_eq!(frame(names_3.clone(), 3, "0ii_i"), (4, 0));
    let p = program_of(names_3, 3, "0ii_i");
    assert_eq!(
        run(&p, &[RegisterValue::I32(5), RegisterValue::I32(7)]).unwrap(),
        vec![RegisterValue::I32(12)]
    );
    // None declared, one argument: `return`.
    let returns = vec![0x79, 0x5A, 0, 0];
    assert_eq!(frame(returns.clone(), 0, "0i_"), (1, 0));
    // The declared count stays the floor; no refs declared, none held.
    assert_eq!(frame(returns, 5, "0i_"), (5, 0));
}

#[test]
fn fail_carries_status_and_backtrace() {
    // %0 = const.i32 9 (ABORTED... code 10); fail %0, "boom"
    let code = vec![
        0x79, 0x0D, 10, 0, 0, 0, 0, 0, 0x5B, 0, 0, 4, 0, b'b', b'o', b'o', b'm',
    ];
    let p = program_of(code, 1, "0_");
    let e = run(&p, &[]).unwrap_err();
    assert_eq!(e.code(), crate::StatusCode::Aborted);
    assert_eq!(e.message(), "boom");
    let notes = &e.payload().unwrap().annotations;
    assert!(notes.iter().any(|n| n.contains("t.f+")), "{notes:?}");
}

/// Compiles testdata/vm/*.mlir with the pinned toolchain (when present),
/// verifies every function, and runs each argument-less `test_*` export.
#[test]
fn testdata_modules_verify_and_run() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let compiler = root.join(".venv/bin/iree-compile");
    let dir = root.join("testdata/vm");
    if !compiler.exists() || !dir.exists() {
        eprintln!("toolchain or testdata missing; skipped");
        return;
    }
    let out = std::env::temp_dir().join(format!("h7_vmfb_{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let (mut verified, mut ran, mut ok) = (0, 0, 0);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) != Some("mlir") {
            continue;
        }
        let vmfb = out.join(path.file_stem().unwrap()).with_extension("vmfb");
        let status = std::process::Command::new(&compiler)
            .args([
                "--compile-mode=vm",
                "--iree-vm-target-extension-f32",
                "--iree-vm-target-extension-f64",
            ])
            .arg(&path)
            .arg("-o")
            .arg(&vmfb)
            .status()
            .unwrap();
        if !status.success() {
            let status = std::process::Command::new(&compiler)
                .arg("--compile-mode=vm")
                .arg(&path)
                .arg("-o")
                .arg(&vmfb)
                .status()
                .unwrap();
            assert!(status.success(), "compiling {}", path.display());
        }
        let file = std::fs::read(&vmfb).unwrap();
        let def = match crate::vm::bytecode::module_def::ModuleDef::parse(&file) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{}: loader rejected: {}", path.display(), e.message());
                continue;
            }
        };
        let mut p = Program::from_module_def(&def, &file);
        // debug.mlir's vm.cond_break is emitted without its condition by
        // the 3.13 compiler; upstream's verifier rejects it too.
        if let Err(e) = p.prepare() {
            eprintln!("{}: verifier rejected: {}", path.display(), e.message());
            assert_eq!(
                path.file_stem().unwrap(),
                "debug",
                "unexpected verifier failure"
            );
            continue;
        }
        verified += p.functions.len();
        for ex in &def.exports {
            let f = &p.functions[ex.internal_ordinal as usize];
            if !ex.name.starts_with("test_") || f.cconv.as_ref().is_some_and(|c| !c.args.is_empty())
            {
                continue;
            }
            ran += 1;
            let mut inv = Invocation::default();
            let mut g = Globals::new(&p);
            inv.begin(&p, ex.internal_ordinal as u32, &[]).unwrap();
            let mut outcome = inv.run(&p, &mut g, &mut NoHost);
            while let Ok(Outcome::Yielded) = outcome {
                outcome = inv.run(&p, &mut g, &mut NoHost);
            }
            match outcome {
                Ok(_) => {
                    ok += 1;
                    eprintln!("{}.{} -> {:?}", def.name, ex.name, inv.results);
                }
                Err(e) => eprintln!(
                    "{}.{} FAILED {:?}: {}",
                    def.name,
                    ex.name,
                    e.code(),
                    e.message()
                ),
            }
        }
    }
    eprintln!("verified {verified} functions; ran {ran} test exports, {ok} returned");
    let _ = std::fs::remove_dir_all(&out);
}

/// Encodes one instruction whose layout is made of registers and
/// immediates, with registers 0, 2, 4, 6 and zero immediates.
fn encode_register_only(
    prefix: Option<u8>,
    op: u8,
    layout: &[crate::vm::bytecode::isa::Field],
) -> Option<Vec<u8>> {
    use crate::vm::bytecode::isa::Field;
    let mut code = Vec::new();
    code.extend(prefix);
    code.push(op);
    let mut reg = 0u16;
    for f in layout {
        match f {
            Field::R32 | Field::W32 | Field::R64 | Field::W64 => {
                code.extend(reg.to_le_bytes());
                reg += 2;
            }
            Field::Imm32 | Field::GlobalOffset(_) => code.extend([0; 4]),
            Field::Imm64 => code.extend([0; 8]),
            _ => return None,
        }
    }
    Some(code)
}

#[test]
fn every_register_only_opcode_runs_translated() {
    use crate::vm::bytecode::interp::op::Op;
    use crate::vm::bytecode::isa::{self, core};
    type LayoutOf = fn(u8) -> Option<&'static [isa::Field]>;
    let spaces: [(Option<u8>, LayoutOf); 3] = [
        (None, isa::core_layout),
        (Some(core::PREFIX_EXT_F32), isa::f32_layout),
        (Some(core::PREFIX_EXT_F64), isa::f64_layout),
    ];
    let mut checked = 0;
    for (prefix, layout_of) in spaces {
        for op in 0..=u8::MAX {
            let Some(layout) = layout_of(op) else {
                continue;
            };
            if op == core::BLOCK && prefix.is_none() {
                continue;
            }
            let Some(inst) = encode_register_only(prefix, op, layout) else {
                continue;
            };
            let mut code = vec![core::BLOCK];
            code.extend(inst);
            code.push(core::RETURN);
            if code.len() % 2 == 1 {
                code.push(0);
            }
            code.extend([0, 0]);
            let mut p = program_of(code, 8, "0_");
            p.global_bytes = 64;
            p.prepare().unwrap();
            let first = p.translated[0].insts[0];
            assert_ne!(
                first.op,
                Op::SLOW,
                "{prefix:?} {op:#04x} was left to the byte decoder"
            );
            let mut inv = Invocation::default();
            let mut g = Globals::new(&p);
            inv.begin(&p, 0, &[]).unwrap();
            if let Err(e) = inv.run(&p, &mut g, &mut NoHost) {
                // Division by zero is the only failure zeroed operands cause.
                assert!(
                    e.message().contains("division by zero"),
                    "{prefix:?} {op:#04x}: {}",
                    e.message()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} opcodes checked");
}

/// A committed module (path relative to the crate), loaded and prepared.
fn prepared(path: &str) -> Program {
    let file = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let def = crate::vm::bytecode::module_def::ModuleDef::parse(&file).unwrap();
    let mut p = Program::from_module_def(&def, &file);
    p.prepare().unwrap();
    p
}

#[test]
fn failures_carry_the_source_location_from_the_debug_database() {
    let p = prepared("testdata/vm/failures.vmfb");
    let f = p
        .functions
        .iter()
        .position(|f| f.name == "fail_check_eq")
        .unwrap();
    let mut inv = Invocation::default();
    let mut g = Globals::new(&p);
    inv.begin(&p, f as u32, &[]).unwrap();
    let e = inv.run(&p, &mut g, &mut NoHost).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("values differ"), "{text}");
    assert!(text.contains("at failures.fail_check_eq+0x"), "{text}");
    assert!(text.contains("(failures.mlir:29:5)"), "{text}");
}

#[test]
fn branch_into_an_empty_block_falls_through_to_the_next() {
    let code = vec![
        0x79, // ^bb0
        0x56, 8, 0, 0, 0, 0, 0,    // vm.br ^bb1
        0x79, // ^bb1: empty
        0x79, // ^bb2
        0x0D, 5, 0, 0, 0, 0, 0, // %0 = vm.const.i32 5
        0x5A, 1, 0, 0, 0, // vm.return %0
    ];
    let p = program_of(code, 1, "0_i");
    assert_eq!(run(&p, &[]).unwrap(), vec![RegisterValue::I32(5)]);
}

#[test]
fn a_branch_budget_ends_an_endless_loop() {
    // ^bb0: vm.br ^bb0
    let code = vec![0x79, 0x56, 0, 0, 0, 0, 0, 0];
    let p = program_of(code, 0, "0_");
    super::set_branch_budget(Some(1000));
    let e = run(&p, &[]).unwrap_err();
    super::set_branch_budget(None);
    assert_eq!(e.code(), crate::StatusCode::DeadlineExceeded);
    assert!(
        e.message().contains("branch budget of 1000"),
        "{}",
        e.message()
    );
}

#[test]
fn a_branch_budget_lasts_across_yields() {
    // ^bb0: vm.yield ^bb0 (valid bytecode that yields forever)
    let code = vec![0x79, 0x5D, 0, 0, 0, 0, 0, 0];
    let mut p = program_of(code, 0, "0_");
    p.prepare().unwrap();
    let mut inv = Invocation::default();
    let mut g = Globals::new(&p);
    super::set_branch_budget(Some(1000));
    inv.begin(&p, 0, &[]).unwrap();
    let mut yields = 0;
    let e = loop {
        match inv.run(&p, &mut g, &mut NoHost) {
            Ok(Outcome::Yielded) => yields += 1,
            Ok(o) => panic!("{o:?}"),
            Err(e) => break e,
        }
        assert!(yields <= 1000, "the budget did not carry over the yields");
    };
    super::set_branch_budget(None);
    assert_eq!(e.code(), crate::StatusCode::DeadlineExceeded);
    assert_eq!(yields, 999);
}

#[test]
fn an_op_after_a_terminator_outside_a_block_is_rejected() {
    // ^bb0: vm.yield ^bb0, then an op with no block marker before it.
    let code = vec![0x79, 0x5D, 0, 0, 0, 0, 0, 0, 0x0E, 2, 0, 0x5A, 0, 0];
    let p = program_of(code, 4, "0_");
    let e = run(&p, &[]).unwrap_err();
    assert_eq!(e.code(), crate::StatusCode::InvalidArgument);
    assert!(
        e.message().contains("op is not in a block"),
        "{}",
        e.message()
    );
}

#[test]
fn fused_condition_branches_match_the_reference() {
    use crate::vm::bytecode::interp::op::Op;
    let p = prepared("testdata/bench/loop_heavy.vmfb");
    // The loop test `cmp.gte` is lowered to `cmp.lt` + `xor` + `cond_br`.
    assert!(p.translated[0]
        .insts
        .iter()
        .any(|i| i.op == Op::CMP_LT_S_XOR_BRANCH));
    // The back edge's moves (one i32 and one i64 block argument) are
    // coalesced away, and the move-free branch is replaced by a copy of
    // the loop test. Only the entry edge moves (the counter's zero stays
    // live as the counter).
    let insts = &p.translated[0].insts;
    let moving = |i: &&Inst| {
        matches!(
            i.op,
            Op::BR_MOVE_W_MOVE
                | Op::BR_MOVE_MOVE_W
                | Op::BR_MOVE_MOVE
                | Op::BR_MOVE_W
                | Op::BR_MOVE
                | Op::BRANCH_MOVES
                | Op::BRANCH
        )
    };
    let branches: Vec<&Inst> = insts.iter().filter(moving).collect();
    assert_eq!(branches.len(), 1, "{insts:?}");
    assert_eq!(branches[0].op, Op::BR_MOVE, "{insts:?}");
    let tests = insts
        .iter()
        .filter(|i| i.op == Op::CMP_LT_S_XOR_BRANCH)
        .count();
    assert_eq!(tests, 2, "{insts:?}");
    let mut inv = Invocation::default();
    let mut g = Globals::new(&p);
    inv.begin(&p, 0, &[RegisterValue::I32(1000)]).unwrap();
    assert_eq!(inv.run(&p, &mut g, &mut NoHost).unwrap(), Outcome::Returned);
    // As the reference iree-run-module prints for --input=1000.
    assert_eq!(
        inv.results,
        vec![RegisterValue::I32(23895), RegisterValue::I64(26367608)]
    );
}

#[test]
fn plain_import_calls_run_translated() {
    use crate::vm::bytecode::interp::op::Op;
    let p = prepared("testdata/vm/calls.vmfb");
    let f = p
        .functions
        .iter()
        .position(|f| f.name == "test_import_call")
        .unwrap();
    let insts = &p.translated[f].insts;
    assert!(insts.iter().any(|i| i.op == Op::CALL_IMPORT));
    assert!(insts.iter().all(|i| i.op != Op::SLOW), "{insts:?}");
}
