//! `iree/base/loop.h` core: loop command numbers and the bounded FIFO the
//! loop implementations queue operations in.

use std::collections::VecDeque;

use crate::base::status::Result;

/// Command numbers of `iree_loop_command_t`.
pub mod command {
    pub const CALL: u32 = 0;
    pub const DISPATCH: u32 = 1;
    pub const WAIT_UNTIL: u32 = 2;
    pub const WAIT_ONE: u32 = 3;
    pub const WAIT_ANY: u32 = 4;
    pub const WAIT_ALL: u32 = 5;
    pub const DRAIN: u32 = 6;
    pub const MAX: u32 = DRAIN;
}

/// A FIFO holding at most `limit` operations; pushing past it fails with
/// `RESOURCE_EXHAUSTED` instead of growing.
#[derive(Debug)]
pub struct BoundedQueue<T> {
    items: VecDeque<T>,
    limit: usize,
}

impl<T> BoundedQueue<T> {
    pub fn new(limit: usize) -> BoundedQueue<T> {
        BoundedQueue {
            items: VecDeque::with_capacity(limit.min(1024)),
            limit,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    pub fn push(&mut self, item: T) -> Result<()> {
        crate::iree_ensure!(
            self.items.len() < self.limit,
            ResourceExhausted,
            "loop queue capacity {} exceeded; reduce the amount of concurrent work or use a larger loop",
            self.limit
        );
        self.items.push_back(item);
        Ok(())
    }

    pub fn pop(&mut self) -> Option<T> {
        self.items.pop_front()
    }

    /// Removes and returns, in order, every item matching `pred`.
    pub fn take_matching(&mut self, mut pred: impl FnMut(&T) -> bool) -> Vec<T> {
        let mut taken = Vec::new();
        let mut kept = VecDeque::with_capacity(self.items.len());
        for item in self.items.drain(..) {
            if pred(&item) {
                taken.push(item);
            } else {
                kept.push_back(item);
            }
        }
        self.items = kept;
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::status::StatusCode;

    #[test]
    fn bounded_fifo() {
        let mut q = BoundedQueue::new(3);
        for i in 0..3 {
            q.push(i).unwrap();
        }
        assert_eq!(q.push(9).unwrap_err().code(), StatusCode::ResourceExhausted);
        assert_eq!(q.pop(), Some(0));
        q.push(3).unwrap();
        assert_eq!(q.take_matching(|v| v % 2 == 1), vec![1, 3]);
        assert_eq!(q.pop(), Some(2));
        assert!(q.is_empty());
    }
}
