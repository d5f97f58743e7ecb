//! Large fills and copies spread over the worker pool. They go through the
//! pool as dispatches of a built-in executable whose workgroups are chunks
//! of the transfer, so they reuse its tiling, waking and failure handling.

use std::sync::Arc;

use crate::hal::buffer::{Buffer, BufferOverlap, DeviceSize};
use crate::hal::command_buffer::{ResolvedDispatch, ResolvedRange};
use crate::hal::command_runner::CommandRunner;
use crate::hal::executable::Executable;
use crate::hal::local::{ExecutableCode, TileWorker};
use crate::hal::local_task::workers::WorkerPool;
use crate::{iree_bail, Result};

/// Bytes per workgroup of a split transfer (a multiple of every fill
/// pattern size, so each chunk starts in phase).
const CHUNK_BYTES: DeviceSize = 64 * 1024;

/// Transfers shorter than this run on one thread: below it, waking a
/// worker costs about what the copy does.
pub(super) const SPLIT_BYTES: DeviceSize = 1024 * 1024;

const FILL: u32 = 0;
const COPY: u32 = 1;

/// The built-in executable: export 0 fills binding 0 with the pattern in
/// constants (length, then the bytes as one little-endian word); export 1
/// copies binding 0 to binding 1.
#[derive(Debug)]
struct TransferCode;

impl TransferCode {
    fn chunk(range: &ResolvedRange, chunk: u64) -> (DeviceSize, DeviceSize) {
        let start = chunk * CHUNK_BYTES;
        let length = CHUNK_BYTES.min(range.length.saturating_sub(start));
        (range.offset + start, length)
    }

    fn run_chunk(
        ordinal: u32,
        constants: &[u32],
        bindings: &[ResolvedRange],
        chunk: u64,
    ) -> Result<()> {
        match (ordinal, constants, bindings) {
            (FILL, [pattern_length, pattern], [target]) => {
                let pattern = pattern.to_le_bytes();
                let pattern = &pattern[..(*pattern_length as usize).min(4)];
                let (offset, length) = Self::chunk(target, chunk);
                target.buffer.map_fill(offset, length, pattern)
            }
            (COPY, [], [source, target]) => {
                let (source_offset, length) = Self::chunk(source, chunk);
                let (target_offset, _) = Self::chunk(target, chunk);
                Buffer::map_copy(
                    &source.buffer,
                    source_offset,
                    &target.buffer,
                    target_offset,
                    length,
                )
            }
            _ => iree_bail!(
                Internal,
                "transfer export {ordinal} got {} constants and {} bindings",
                constants.len(),
                bindings.len()
            ),
        }
    }
}

impl ExecutableCode for TransferCode {
    fn name(&self) -> &str {
        "local-task transfers"
    }

    fn export_names(&self) -> Vec<String> {
        vec!["fill".into(), "copy".into()]
    }

    fn supports_tiles(&self) -> bool {
        true
    }

    fn dispatch_tiles(
        &self,
        ordinal: u32,
        _workgroup_count: [u32; 3],
        constants: &[u32],
        bindings: &[ResolvedRange],
        worker: &mut TileWorker<'_>,
    ) -> Result<()> {
        while let Some(tile) = (worker.next_tile)() {
            for chunk in tile {
                Self::run_chunk(ordinal, constants, bindings, chunk)?;
            }
        }
        Ok(())
    }
}

/// Runs a device's commands: dispatches and large transfers on the pool.
pub(super) struct PoolRunner<'a> {
    pub pool: &'a WorkerPool,
    pub transfers: &'a Arc<Executable>,
}

pub(super) fn transfer_executable() -> Arc<Executable> {
    Arc::new(Executable::with_code(
        "local-task-transfers",
        Box::new(TransferCode),
    ))
}

impl PoolRunner<'_> {
    fn split(&self, length: DeviceSize) -> Option<u32> {
        if length < SPLIT_BYTES || self.pool.concurrency() == 1 {
            return None;
        }
        u32::try_from(length.div_ceil(CHUNK_BYTES)).ok()
    }

    fn run_split(
        &self,
        entry_point: u32,
        chunks: u32,
        constants: &[u32],
        bindings: Vec<ResolvedRange>,
    ) -> Result<()> {
        self.pool.run(ResolvedDispatch {
            executable: self.transfers,
            entry_point,
            workgroup_count: [chunks, 1, 1],
            constants,
            bindings,
        })
    }
}

impl CommandRunner for PoolRunner<'_> {
    fn dispatch(&mut self, dispatch: ResolvedDispatch<'_>) -> Result<()> {
        self.pool.run(dispatch)
    }

    fn fill(&mut self, target: &ResolvedRange, pattern: &[u8]) -> Result<()> {
        let Some(chunks) = self.split(target.length) else {
            return target
                .buffer
                .map_fill(target.offset, target.length, pattern);
        };
        let mut word = [0u8; 4];
        let used = pattern.len().min(4);
        word[..used].copy_from_slice(&pattern[..used]);
        let constants = [pattern.len() as u32, u32::from_le_bytes(word)];
        self.run_split(FILL, chunks, &constants, vec![target.clone()])
    }

    fn copy(&mut self, source: &ResolvedRange, target: &ResolvedRange) -> Result<()> {
        let length = source.length.min(target.length);
        let Some(chunks) = self.split(length) else {
            return Buffer::map_copy(
                &source.buffer,
                source.offset,
                &target.buffer,
                target.offset,
                length,
            );
        };
        // Overlap is checked whole, before any chunk is written.
        if Buffer::test_overlap(
            &source.buffer,
            source.offset,
            length,
            &target.buffer,
            target.offset,
            length,
        ) != BufferOverlap::Disjoint
        {
            iree_bail!(
                InvalidArgument,
                "source and target ranges must not overlap within the same buffer"
            );
        }
        let trim = |range: &ResolvedRange| ResolvedRange {
            length,
            ..range.clone()
        };
        self.run_split(COPY, chunks, &[], vec![trim(source), trim(target)])
    }
}
