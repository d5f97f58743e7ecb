//! Our buffer-view parser and printer against the reference runtime's, on
//! every case of `testdata/hal/text_cases.txt` (made by
//! `tools/regen_hal_text_cases.sh` with the reference `iree-run-module`):
//! the same inputs are accepted, rejected ones fail with the same status
//! code, and accepted ones print byte for byte the same.

use iree_runtime::hal::allocator::HeapAllocator;
use iree_runtime::hal::text::parse_buffer_view;
use iree_runtime::hal::text_format::format_buffer_view;

/// `iree-run-module --output_max_element_count` default.
const MAX_ELEMENTS: usize = 1024;

/// iree-run-module itself refuses tensor inputs with neither `=` nor `x`
/// before the HAL parser sees them (a guard against typed scalars).
fn tool_rejects(input: &str) -> bool {
    !input.contains('=') && !input.contains('x')
}

#[test]
fn parse_and_format_match_the_reference() {
    let table = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/hal/text_cases.txt"
    ))
    .unwrap();
    let allocator = HeapAllocator::new("test");
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (input, expected) = line.split_once('\t').expect("input<TAB>expected");
        let parsed = if tool_rejects(input) {
            Err("INVALID_ARGUMENT".to_string())
        } else {
            parse_buffer_view(input.as_bytes(), &allocator).map_err(|e| e.code().to_string())
        };
        let actual = match parsed {
            Err(code) => format!("!error {code}"),
            Ok(view) => match format_buffer_view(&view, MAX_ELEMENTS) {
                Ok(text) => text,
                Err(e) => format!("!format-error {}", e.code()),
            },
        };
        if actual != expected {
            failures.push(format!(
                "{input:?}\n  expected {expected}\n  actual   {actual}"
            ));
        }
        checked += 1;
    }
    assert!(checked > 100, "only {checked} cases");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
