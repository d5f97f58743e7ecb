//! Replays the seeds of the `elf_loader` fuzz target (fuzz/,
//! docs/FUZZING.md) in process on every `cargo test`: the executables of
//! testdata/hal/elf, a FatELF holding two of them, every truncation of
//! each, and fixed-seed mutants (anywhere, and concentrated on the headers
//! and tables at the front of the file). Each must come back with a
//! status, or validate and load consistently (the harness asserts that).

use std::path::{Path, PathBuf};

use iree_tools::fuzzing::{mutate, validate_and_load_elf, Rng};

const MUTANTS_PER_SEED: usize = 400;

fn testdata(relative: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata")).join(relative)
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(testdata("hal/elf"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "so"))
        .collect();
    paths.sort();
    let mut seeds: Vec<(String, Vec<u8>)> = paths
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    assert!(seeds.len() >= 3, "testdata/hal/elf holds the seeds");
    let fat = fatelf(&[
        (0xB7, &seeds_named(&seeds, "add_arm_64.so")),
        (0x3E, &seeds_named(&seeds, "add_x86_64.so")),
    ]);
    seeds.push(("fat.so".into(), fat));
    seeds
}

fn seeds_named(seeds: &[(String, Vec<u8>)], name: &str) -> Vec<u8> {
    seeds.iter().find(|(n, _)| n == name).unwrap().1.clone()
}

/// A FatELF container: 8-byte header, 24-byte records, 64-byte aligned payloads.
fn fatelf(records: &[(u16, &[u8])]) -> Vec<u8> {
    let mut at = (8 + records.len() * 24).next_multiple_of(64);
    let mut header = vec![0xFA, 0x70, 0x0E, 0x1F, 1, 0, records.len() as u8, 0];
    let mut body = Vec::new();
    for (machine, data) in records {
        header.extend_from_slice(&machine.to_le_bytes());
        header.extend_from_slice(&[0, 0, 2, 1, 0, 0]);
        header.extend_from_slice(&(at as u64).to_le_bytes());
        header.extend_from_slice(&(data.len() as u64).to_le_bytes());
        body.push((at, *data));
        at = (at + data.len()).next_multiple_of(64);
    }
    for (offset, data) in body {
        header.resize(offset, 0);
        header.extend_from_slice(data);
    }
    header
}

#[test]
fn seeds_load() {
    for (name, data) in seeds() {
        let outcome = validate_and_load_elf(&data);
        let arm = name.contains("arm_64");
        assert_eq!(outcome.host.is_ok(), !arm, "{name}: {:?}", outcome.host);
        assert_eq!(outcome.loaded, !arm, "{name}");
        let aarch64_ok = arm || name == "fat.so";
        assert_eq!(
            outcome.aarch64.is_ok(),
            aarch64_ok,
            "{name}: {:?}",
            outcome.aarch64
        );
    }
}

#[test]
fn truncations_and_mutants_come_back() {
    let mut rng = Rng::new(0xE1F_10AD);
    let (mut inputs, mut refused, mut loaded) = (0usize, 0usize, 0usize);
    let mut count = |data: &[u8]| {
        let outcome = validate_and_load_elf(data);
        inputs += 1;
        refused += usize::from(outcome.host.is_err());
        loaded += usize::from(outcome.loaded);
    };
    for (_, seed) in seeds() {
        for len in 0..seed.len() {
            count(&seed[..len]);
        }
        for _ in 0..MUTANTS_PER_SEED {
            count(&mutate(&seed, &mut rng));
        }
        // The first 0x600 bytes hold the headers, dynamic symbols, hash,
        // strings and relocations of these files.
        let front = seed.len().min(0x600);
        for _ in 0..MUTANTS_PER_SEED {
            let mut mutant = mutate(&seed[..front], &mut rng);
            mutant.extend_from_slice(&seed[front..]);
            count(&mutant);
        }
    }
    assert!(
        inputs > 20_000 && refused > inputs / 2 && loaded > 100,
        "{inputs} inputs, {refused} refused, {loaded} loaded"
    );
}
