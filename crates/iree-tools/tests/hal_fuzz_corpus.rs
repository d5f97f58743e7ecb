//! Replays the seed corpus of the `hal_text_npy` fuzz target (fuzz/,
//! docs/FUZZING.md) in process on every `cargo test`, plus fixed-seed
//! mutants of it: the text-form cases of testdata/hal/text_cases.txt, the
//! `.npy` files of testdata/hal/npy and the hostile inputs of
//! testdata/fuzz/hal (overflowing and negative dimensions, ranks past the
//! maximum, splats of gigabytes, truncated arrays, header lengths past the
//! end). Each must come back with a status, within the harness's bounds.

use std::path::{Path, PathBuf};

use iree_tools::fuzzing::{mutate, parse_and_load_hal, HalOutcome, Rng};

const MUTANTS_PER_SEED: usize = 150;

fn testdata(relative: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata")).join(relative)
}

fn files_in(relative: &str) -> Vec<(String, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(testdata(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// The text-form inputs of the reference table, with whether the reference
/// HAL parser accepted each (its output column is not `!error`); `None`
/// where `iree-run-module` itself refused the input before the parser (no
/// `=` and no `x`, as tests/hal_text_cases.rs says).
fn text_cases() -> Vec<(Vec<u8>, Option<bool>)> {
    let table = std::fs::read_to_string(testdata("hal/text_cases.txt")).unwrap();
    table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(input, output)| {
            let tool_rejects = !input.contains('=') && !input.contains('x');
            let accepted = (!tool_rejects).then(|| !output.starts_with("!error"));
            (input.as_bytes().to_vec(), accepted)
        })
        .collect()
}

#[test]
fn hostile_inputs_are_refused_by_both_readers() {
    let hostile = files_in("fuzz/hal");
    assert!(hostile.len() >= 15);
    for (name, data) in &hostile {
        let outcome = parse_and_load_hal(data);
        // The second array of this file is cut short; the first is fine
        // but a file that is partly garbage is refused as a whole.
        assert_eq!(outcome, HalOutcome::default(), "{name}");
    }
}

#[test]
fn seeds_are_read_as_the_reference_reads_them() {
    for (input, accepted) in text_cases() {
        let Some(accepted) = accepted else {
            continue;
        };
        let outcome = parse_and_load_hal(&input);
        assert_eq!(
            outcome.text_parsed,
            accepted,
            "{:?}",
            String::from_utf8_lossy(&input)
        );
    }
    for (name, data) in files_in("hal/npy") {
        let arrays = parse_and_load_hal(&data).npy_arrays;
        assert!(arrays.is_some_and(|n| n >= 1), "{name}: {arrays:?}");
    }
}

#[test]
fn mutants_of_every_seed_come_back() {
    let mut seeds: Vec<Vec<u8>> = text_cases().into_iter().map(|(i, _)| i).collect();
    seeds.extend(files_in("hal/npy").into_iter().map(|(_, d)| d));
    seeds.extend(files_in("fuzz/hal").into_iter().map(|(_, d)| d));
    let mut rng = Rng::new(0x0005_EED0_F4A1);
    let mut accepted = 0;
    for seed in &seeds {
        for end in 0..seed.len() {
            parse_and_load_hal(&seed[..end]);
        }
        for _ in 0..MUTANTS_PER_SEED {
            let outcome = parse_and_load_hal(&mutate(seed, &mut rng));
            accepted += usize::from(outcome.text_parsed || outcome.npy_arrays.is_some());
        }
    }
    // Most mutants of valid seeds are still valid text: the harness's
    // round-trip checks ran on real views, not only on refusals.
    assert!(accepted > seeds.len() * MUTANTS_PER_SEED / 10, "{accepted}");
}
