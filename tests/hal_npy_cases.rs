//! `.npy` reading and writing against numpy and the reference runtime, on
//! every case of `testdata/hal/npy_cases.txt` (made by
//! `tools/regen_hal_text_cases.sh`): arrays numpy wrote read back as the
//! reference prints them, and text inputs save to the same bytes the
//! reference's `--output=@file.npy` wrote.

use iree_runtime::hal::allocator::HeapAllocator;
use iree_runtime::hal::npy::{load_all, save_ndarray};
use iree_runtime::hal::text::parse_buffer_view;
use iree_runtime::hal::text_format::format_buffer_view;

fn path(relative: &str) -> String {
    format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn npy_files_match_numpy_and_the_reference() {
    let table = std::fs::read_to_string(path("testdata/hal/npy_cases.txt")).unwrap();
    let allocator = HeapAllocator::new("test");
    let (mut reads, mut writes) = (0, 0);
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let file = std::fs::read(path(fields[1])).unwrap();
        match fields[0] {
            "read" => {
                let views =
                    load_all(&file, &allocator).unwrap_or_else(|e| panic!("{}: {e}", fields[1]));
                let printed: Vec<String> = views
                    .iter()
                    .map(|v| format_buffer_view(v, 1024).unwrap())
                    .collect();
                assert_eq!(printed, fields[2..], "{}", fields[1]);
                reads += 1;
            }
            "write" => {
                let mut ours = Vec::new();
                for input in &fields[2..] {
                    let view = parse_buffer_view(input.as_bytes(), &allocator).unwrap();
                    ours.extend(save_ndarray(&view).unwrap());
                }
                assert!(
                    ours == file,
                    "{}: our bytes differ from the reference's",
                    fields[1]
                );
                // What we wrote reads back to the same shapes and bytes (signless
                // integers come back signed: numpy has no signless kind).
                let back = load_all(&ours, &allocator).unwrap();
                assert_eq!(back.len(), fields.len() - 2);
                for (view, input) in back.iter().zip(&fields[2..]) {
                    let parsed = parse_buffer_view(input.as_bytes(), &allocator).unwrap();
                    assert_eq!(view.shape(), parsed.shape());
                    assert_eq!(
                        view.buffer().read_all().unwrap(),
                        parsed.buffer().read_all().unwrap()
                    );
                }
                writes += 1;
            }
            other => panic!("unknown case kind {other}"),
        }
    }
    assert!(reads >= 18 && writes >= 8, "{reads} reads, {writes} writes");
}
