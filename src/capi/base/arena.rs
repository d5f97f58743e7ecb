//! `iree/base/internal/arena.h`: a thread-safe pool of fixed-size blocks and
//! single-threaded bump arenas drawing from it, over C-owned structs.
//!
//! A block's free-list link sits in its last bytes (see the core module), so
//! the link pointer and the block pointer are the same and the usable bytes
//! are `[link - usable_block_size, link)`. Free blocks sit in the pool's
//! atomic slist.

use std::ffi::c_void;

use crate::base::internal::arena::{self as core, Placement};
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::atomic_slist::{
    iree_atomic_slist_concat, iree_atomic_slist_deinitialize, iree_atomic_slist_entry_t,
    iree_atomic_slist_flush, iree_atomic_slist_initialize, iree_atomic_slist_pop,
    iree_atomic_slist_t, IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_LIFO,
};
use crate::capi::base::status::iree_status_t;
use crate::{iree_err, Result};

pub use abi::*;

/// Mirrors of the layouts in `iree/base/internal/arena.h`.
/// cbindgen:ignore
pub mod abi {
    use crate::capi::base::allocator::iree_allocator_t;
    use crate::capi::base::atomic_slist::iree_atomic_slist_t;

    /// `iree_arena_block_t`: the footer (free-list link) of a block.
    #[repr(C)]
    pub struct iree_arena_block_t {
        pub next: *mut iree_arena_block_t,
    }

    /// `iree_arena_block_pool_t`. `available_slist` is the typed slist
    /// wrapper, which has exactly the layout of `iree_atomic_slist_t`.
    #[repr(C)]
    pub struct iree_arena_block_pool_t {
        pub total_block_size: usize,
        pub usable_block_size: usize,
        pub block_allocator: iree_allocator_t,
        pub available_slist: iree_atomic_slist_t,
    }

    /// `iree_arena_oversized_allocation_t`: header of a dedicated allocation.
    #[repr(C)]
    pub struct iree_arena_oversized_allocation_t {
        pub next: *mut iree_arena_oversized_allocation_t,
    }

    /// `iree_arena_allocator_t`.
    #[repr(C)]
    pub struct iree_arena_allocator_t {
        pub block_pool: *mut iree_arena_block_pool_t,
        pub total_allocation_size: usize,
        pub used_allocation_size: usize,
        pub allocation_head: *mut iree_arena_oversized_allocation_t,
        pub block_head: *mut iree_arena_block_t,
        pub block_tail: *mut iree_arena_block_t,
        pub block_bytes_remaining: usize,
    }

    const _: () = assert!(std::mem::size_of::<iree_arena_block_pool_t>() == 48);
    const _: () = assert!(std::mem::size_of::<iree_arena_allocator_t>() == 56);
}

/// `iree_allocator_command_t` values the arena allocator understands.
const COMMAND_MALLOC: u32 = 0;
const COMMAND_CALLOC: u32 = 1;
const COMMAND_FREE: u32 = 3;

fn slist(pool: &mut iree_arena_block_pool_t) -> *mut iree_atomic_slist_t {
    &mut pool.available_slist
}

//===----------------------------------------------------------------------===//
// Block pool
//===----------------------------------------------------------------------===//

/// Takes a free block from the pool or allocates a new one.
///
/// # Safety
/// `pool` must be an initialized pool.
unsafe fn pool_acquire(pool: &mut iree_arena_block_pool_t) -> Result<*mut iree_arena_block_t> {
    if pool.usable_block_size == 0 {
        return Err(iree_err!(
            FailedPrecondition,
            "block pool has no usable block size"
        ));
    }
    // SAFETY: the pool's own initialized slist.
    let mut block = unsafe { iree_atomic_slist_pop(slist(pool)) } as *mut iree_arena_block_t;
    if block.is_null() {
        // SAFETY: the allocator the pool was initialized with.
        let base = unsafe {
            pool.block_allocator
                .malloc_uninitialized(pool.total_block_size)
        }? as *mut u8;
        block = base.wrapping_add(pool.usable_block_size) as *mut iree_arena_block_t;
    }
    // SAFETY: the footer lies inside the block's allocation.
    unsafe { (*block).next = std::ptr::null_mut() };
    Ok(block)
}

/// Sets up `out_block_pool` for blocks of `total_block_size` bytes.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_initialize(
    total_block_size: usize,
    block_allocator: iree_allocator_t,
    out_block_pool: *mut iree_arena_block_pool_t,
) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is the caller's pool storage.
        let Some(pool) = (unsafe { out_block_pool.as_mut() }) else { return };
        pool.total_block_size = total_block_size;
        pool.usable_block_size = core::usable_block_size(total_block_size);
        pool.block_allocator = block_allocator;
        // SAFETY: the pool's own slist storage.
        unsafe { iree_atomic_slist_initialize(slist(pool)) };
    }
}

/// Frees every block in the pool (all must have been released back).
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_deinitialize(
    block_pool: *mut iree_arena_block_pool_t,
) {
    ffi_boundary! {
        // SAFETY: forwarded pointer; trim checks for NULL.
        unsafe { iree_arena_block_pool_trim(block_pool) };
        // SAFETY: a non-null pointer is an initialized pool.
        if let Some(pool) = unsafe { block_pool.as_mut() } {
            // SAFETY: the pool's own slist.
            unsafe { iree_atomic_slist_deinitialize(slist(pool)) };
        }
    }
}

/// Returns the pool's free blocks to its allocator.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_trim(block_pool: *mut iree_arena_block_pool_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized pool.
        let Some(pool) = (unsafe { block_pool.as_mut() }) else { return };
        let mut head: *mut iree_atomic_slist_entry_t = std::ptr::null_mut();
        // SAFETY: the pool's own slist; `head` is a local.
        unsafe {
            iree_atomic_slist_flush(
                slist(pool),
                IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_LIFO,
                &mut head,
                std::ptr::null_mut(),
            )
        };
        let mut block = head as *mut iree_arena_block_t;
        while !block.is_null() {
            // SAFETY: detached free blocks are ours; each footer sits
            // `usable_block_size` bytes into an allocation from the pool's
            // allocator.
            unsafe {
                let next = (*block).next;
                let base = (block as *mut u8).wrapping_sub(pool.usable_block_size);
                pool.block_allocator.free(base as *mut c_void);
                block = next;
            }
        }
    }
}

/// Hands one block (contents undefined) to the caller.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_acquire(
    block_pool: *mut iree_arena_block_pool_t,
    out_block: *mut *mut iree_arena_block_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: a non-null out pointer is writable.
        let Some(out_block) = (unsafe { out_block.as_mut() }) else {
            return iree_err!(InvalidArgument, "out_block is NULL").into();
        };
        *out_block = std::ptr::null_mut();
        // SAFETY: a non-null pointer is an initialized pool.
        let Some(pool) = (unsafe { block_pool.as_mut() }) else {
            return iree_err!(InvalidArgument, "block_pool is NULL").into();
        };
        // SAFETY: initialized pool.
        match unsafe { pool_acquire(pool) } {
            Ok(block) => {
                *out_block = block;
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// Gives the chain `block_head..=block_tail` back to the pool (a NULL tail is
/// found by walking).
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_release(
    block_pool: *mut iree_arena_block_pool_t,
    block_head: *mut iree_arena_block_t,
    block_tail: *mut iree_arena_block_t,
) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized pool.
        let Some(pool) = (unsafe { block_pool.as_mut() }) else { return };
        // SAFETY: the blocks came from this pool and are linked by footer.
        unsafe {
            iree_atomic_slist_concat(
                slist(pool),
                block_head as *mut iree_atomic_slist_entry_t,
                block_tail as *mut iree_atomic_slist_entry_t,
            )
        };
    }
}

//===----------------------------------------------------------------------===//
// Arena
//===----------------------------------------------------------------------===//

/// Bump-allocates `byte_length` bytes from `arena`.
///
/// # Safety
/// `arena` must be initialized with a live block pool.
unsafe fn arena_allocate(
    arena: &mut iree_arena_allocator_t,
    byte_length: usize,
) -> Result<*mut u8> {
    // SAFETY: per contract the pool pointer is live (NULL is rejected).
    let Some(pool) = (unsafe { arena.block_pool.as_mut() }) else {
        return Err(iree_err!(FailedPrecondition, "arena has no block pool"));
    };
    let too_big = || {
        iree_err!(
            ResourceExhausted,
            "arena allocation of {byte_length} bytes is too large"
        )
    };
    let aligned = core::aligned_length(byte_length).ok_or_else(too_big)?;
    let remaining = (!arena.block_head.is_null()).then_some(arena.block_bytes_remaining);
    match core::place(aligned, pool.usable_block_size, remaining).ok_or_else(too_big)? {
        Placement::Oversized { allocation_size } => {
            // SAFETY: the pool's allocator.
            let base =
                unsafe { pool.block_allocator.malloc_uninitialized(allocation_size) }? as *mut u8;
            let header = base as *mut iree_arena_oversized_allocation_t;
            // SAFETY: fresh allocation large enough for the header.
            unsafe { (*header).next = arena.allocation_head };
            arena.allocation_head = header;
            arena.total_allocation_size += allocation_size;
            arena.used_allocation_size += byte_length;
            return Ok(base.wrapping_add(core::OVERSIZED_HEADER_SIZE));
        }
        Placement::NewBlock => {
            // SAFETY: initialized pool.
            let block = unsafe { pool_acquire(pool) }?;
            // SAFETY: the block's footer is ours.
            unsafe { (*block).next = arena.block_head };
            arena.block_head = block;
            if arena.block_tail.is_null() {
                arena.block_tail = block;
            }
            arena.total_allocation_size += pool.total_block_size;
            arena.block_bytes_remaining = pool.usable_block_size;
        }
        Placement::CurrentBlock => {}
    }
    let ptr = (arena.block_head as *mut u8).wrapping_sub(arena.block_bytes_remaining);
    arena.block_bytes_remaining -= aligned;
    arena.used_allocation_size += aligned;
    Ok(ptr)
}

/// Frees oversized allocations and returns blocks to the pool.
///
/// # Safety
/// `arena` must be initialized; nothing it handed out may be used after.
unsafe fn arena_reset(arena: &mut iree_arena_allocator_t) {
    // SAFETY: per contract the pool pointer is NULL or live.
    let Some(pool) = (unsafe { arena.block_pool.as_mut() }) else {
        return;
    };
    let mut allocation = std::mem::replace(&mut arena.allocation_head, std::ptr::null_mut());
    while !allocation.is_null() {
        // SAFETY: each header starts an allocation from the pool allocator.
        unsafe {
            let next = (*allocation).next;
            pool.block_allocator.free(allocation as *mut c_void);
            allocation = next;
        }
    }
    if !arena.block_head.is_null() {
        // SAFETY: the arena's blocks came from this pool, linked by footer.
        unsafe { iree_arena_block_pool_release(pool, arena.block_head, arena.block_tail) };
        arena.block_head = std::ptr::null_mut();
        arena.block_tail = std::ptr::null_mut();
    }
    arena.block_bytes_remaining = 0;
}

/// Sets up `out_arena` to allocate from `block_pool`.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_initialize(
    block_pool: *mut iree_arena_block_pool_t,
    out_arena: *mut iree_arena_allocator_t,
) {
    ffi_boundary! {
        if out_arena.is_null() {
            return;
        }
        let arena = iree_arena_allocator_t {
            block_pool,
            total_allocation_size: 0,
            used_allocation_size: 0,
            allocation_head: std::ptr::null_mut(),
            block_head: std::ptr::null_mut(),
            block_tail: std::ptr::null_mut(),
            block_bytes_remaining: 0,
        };
        // SAFETY: non-null storage from the caller, written whole.
        unsafe { out_arena.write(arena) };
    }
}

/// Releases everything the arena holds.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_deinitialize(arena: *mut iree_arena_allocator_t) {
    ffi_boundary! {
        // SAFETY: forwarded; reset checks for NULL.
        unsafe { iree_arena_reset(arena) }
    }
}

/// Releases everything the arena holds; it can be used again afterwards.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_reset(arena: *mut iree_arena_allocator_t) {
    ffi_boundary! {
        // SAFETY: a non-null pointer is an initialized arena.
        if let Some(arena) = unsafe { arena.as_mut() } {
            // SAFETY: initialized arena (API contract).
            unsafe { arena_reset(arena) };
        }
    }
}

/// Allocates `byte_length` bytes (contents undefined, 16-byte aligned).
#[no_mangle]
pub unsafe extern "C" fn iree_arena_allocate(
    arena: *mut iree_arena_allocator_t,
    byte_length: usize,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: a non-null out pointer is writable.
        let Some(out_ptr) = (unsafe { out_ptr.as_mut() }) else {
            return iree_err!(InvalidArgument, "out_ptr is NULL").into();
        };
        *out_ptr = std::ptr::null_mut();
        // SAFETY: a non-null pointer is an initialized arena.
        let Some(arena) = (unsafe { arena.as_mut() }) else {
            return iree_err!(InvalidArgument, "arena is NULL").into();
        };
        // SAFETY: initialized arena.
        match unsafe { arena_allocate(arena, byte_length) } {
            Ok(ptr) => {
                *out_ptr = ptr as *mut c_void;
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// `iree_allocator_alloc_params_t` as the allocator commands pass it.
#[repr(C)]
struct AllocParams {
    byte_length: usize,
}

/// Allocator control routine for arenas: malloc/calloc bump-allocate, free
/// is ignored (arenas free all at once) and anything else is unimplemented.
unsafe extern "C" fn arena_allocator_ctl(
    self_: *mut c_void,
    command: u32,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        match command {
            COMMAND_MALLOC | COMMAND_CALLOC => {
                // SAFETY: allocation commands carry alloc params.
                let Some(params) = (unsafe { (params as *const AllocParams).as_ref() }) else {
                    return iree_err!(InvalidArgument, "allocation params are NULL").into();
                };
                let byte_length = params.byte_length;
                // SAFETY: `self_` is the arena this allocator was made for.
                let status = unsafe { iree_arena_allocate(self_ as *mut iree_arena_allocator_t, byte_length, inout_ptr) };
                if status.is_ok() && command == COMMAND_CALLOC {
                    // SAFETY: on success *inout_ptr holds byte_length bytes.
                    unsafe { std::ptr::write_bytes(*inout_ptr as *mut u8, 0, byte_length) };
                }
                status
            }
            COMMAND_FREE => iree_status_t::OK,
            _ => iree_err!(Unimplemented, "arena allocators support only malloc, calloc and free").into(),
        }
    }
}

/// An allocator that allocates from `arena` and ignores frees.
#[no_mangle]
pub extern "C" fn iree_arena_allocator(arena: *mut iree_arena_allocator_t) -> iree_allocator_t {
    iree_allocator_t {
        self_: arena as *mut c_void,
        ctl: Some(arena_allocator_ctl),
    }
}
