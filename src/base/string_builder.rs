//! Growth policy of `iree_string_builder_t` buffers.

/// Buffers grow in multiples of this many bytes, which keeps repeated small
/// appends from reallocating each time.
pub const GROWTH_GRANULARITY: usize = 128;

/// The capacity to grow to so at least `minimum` bytes fit; `None` when the
/// request cannot be represented.
pub fn grown_capacity(minimum: usize) -> Option<usize> {
    let mask = GROWTH_GRANULARITY - 1;
    minimum.checked_add(mask).map(|n| n & !mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_up_to_the_granularity() {
        assert_eq!(grown_capacity(1), Some(128));
        assert_eq!(grown_capacity(128), Some(128));
        assert_eq!(grown_capacity(129), Some(256));
        assert_eq!(grown_capacity(usize::MAX), None);
    }
}
