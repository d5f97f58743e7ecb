//! Untrusted text and `.npy` input: truncations, garbage bytes and hostile
//! shapes get a status, never a panic or an allocation larger than the
//! limit (the text parser is bounded; `.npy` data must be present in the
//! input before its buffer is allocated).

use iree_runtime::hal::allocator::HeapAllocator;
use iree_runtime::hal::npy::{load_all, load_ndarray};
use iree_runtime::hal::text::parse_buffer_view_bounded;
use iree_runtime::hal::text_format::format_buffer_view;

const LIMIT: u64 = 1 << 20;

/// A small deterministic generator (no dependency needed).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn exercise_text(input: &[u8], allocator: &HeapAllocator) {
    if let Ok(view) = parse_buffer_view_bounded(input, allocator, LIMIT) {
        assert!(view.byte_length() <= LIMIT);
        let _ = format_buffer_view(&view, 64);
    }
}

#[test]
fn text_parsing_survives_truncation_and_garbage() {
    let allocator = HeapAllocator::new("fuzz");
    let seeds: &[&[u8]] = &[
        b"2x3xf32=1 2 3 4 5 6",
        b"2x2xi8=[[1 2][3 4]]",
        b"4xi1=01 00 01 FF",
        b"2xcf64=0000803F00000040 0000404000008040",
        b"3xf8E4M3FN=1 2 3",
        b"99999999999x99999999999x99999999999xf32=1",
        b"18446744073709551615x2xi8=",
        b"100000000xi8=7",
        b"0x0xf64=",
    ];
    let mut rng = Rng(0x2545F4914F6CDD1D);
    for seed in seeds {
        for end in 0..=seed.len() {
            exercise_text(&seed[..end], &allocator);
        }
        for _ in 0..200 {
            let mut mutated = seed.to_vec();
            let i = (rng.next() as usize) % mutated.len();
            mutated[i] = rng.next() as u8;
            exercise_text(&mutated, &allocator);
        }
    }
    let deep = format!("{}xf32=1", vec!["1"; 5000].join("x"));
    assert!(parse_buffer_view_bounded(deep.as_bytes(), &allocator, LIMIT).is_err());
    let huge = b"100000000xi8=7";
    assert!(parse_buffer_view_bounded(huge, &allocator, LIMIT).is_err());
}

#[test]
fn npy_reading_survives_truncation_and_garbage() {
    let allocator = HeapAllocator::new("fuzz");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/hal/npy");
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry_path = entry.unwrap().path();
        let file = std::fs::read(&entry_path).unwrap();
        files += 1;
        // A multi-array file cut at an array boundary is a valid, shorter
        // file; every other cut must be refused.
        let mut boundaries = vec![0];
        while *boundaries.last().unwrap() < file.len() {
            let start = *boundaries.last().unwrap();
            let (_, used) = load_ndarray(&file[start..], &allocator).unwrap();
            boundaries.push(start + used);
        }
        for end in 0..file.len() {
            match load_all(&file[..end], &allocator) {
                Ok(views) => assert_eq!(
                    boundaries.iter().position(|&b| b == end),
                    Some(views.len()),
                    "{entry_path:?} accepted when cut at {end}"
                ),
                Err(_) => assert!(!boundaries.contains(&end), "{entry_path:?} {end}"),
            }
        }
        for _ in 0..300 {
            let mut mutated = file.clone();
            let i = (rng.next() as usize) % mutated.len().min(128);
            mutated[i] = rng.next() as u8;
            if let Ok(views) = load_all(&mutated, &allocator) {
                let total: u64 = views.iter().map(|v| v.byte_length()).sum();
                assert!(total <= mutated.len() as u64);
            }
        }
    }
    assert!(files > 10);
}
