//! Bitfield-to-text formatting behind `iree/base/bitfield.h`.

/// Names the bits of `value` using `mappings` in order: a mapping matches
/// when all its bits are still unnamed in `value`, and then consumes them.
/// Names are joined with `|`; bits no mapping named follow as uppercase hex
/// with an `h` suffix (`A|B|30h`). A zero value with no zero-bit mapping
/// gives an empty string; a mapping of no bits names only a zero value.
pub fn format_bits(value: u32, mappings: &[(u32, &[u8])]) -> Vec<u8> {
    let mut remaining = value;
    let mut out = Vec::new();
    for &(bits, name) in mappings {
        // A zero-bit mapping names only the zero value itself.
        let matches = if bits == 0 {
            value == 0
        } else {
            remaining & bits == bits
        };
        if matches {
            push_part(&mut out, name);
            remaining &= !bits;
        }
    }
    if remaining != 0 {
        push_part(&mut out, format!("{remaining:X}h").as_bytes());
    }
    out
}

fn push_part(out: &mut Vec<u8>, part: &[u8]) {
    if !out.is_empty() {
        out.push(b'|');
    }
    out.extend_from_slice(part);
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &[(u32, &[u8])] = &[(0b111, b"ALL"), (0b001, b"A"), (0b010, b"B"), (0b100, b"C")];

    #[test]
    fn prefers_earlier_mappings_and_names_each_bit_once() {
        assert_eq!(format_bits(0b111, MAP), b"ALL");
        assert_eq!(format_bits(0b011, MAP), b"A|B");
        assert_eq!(format_bits(0b1000_0101, MAP), b"A|C|80h");
        assert_eq!(format_bits(0, MAP), b"");
        assert_eq!(format_bits(0x30, &[]), b"30h");
        let with_none: &[(u32, &[u8])] = &[(0, b"NONE"), (1, b"A")];
        assert_eq!(format_bits(0, with_none), b"NONE");
        assert_eq!(format_bits(1, with_none), b"A");
    }
}
