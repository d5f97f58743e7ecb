//! `iree/base/internal/arena.h`: a thread-safe pool of fixed-size blocks and
//! single-threaded bump arenas drawing from it, over C-owned structs.
//!
//! A block's free-list link sits in its last bytes (see the core module), so
//! the link pointer and the block pointer are the same and the usable bytes
//! are `[link - usable_block_size, link)`. Free blocks sit in the pool's
//! atomic slist.

use std::ffi::c_void;

use crate::base::internal::arena::{
    aligned_length, place, usable_block_size, Placement, OVERSIZED_HEADER_SIZE,
};
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::atomic_slist::{
    iree_atomic_slist_concat, iree_atomic_slist_deinitialize, iree_atomic_slist_entry_t,
    iree_atomic_slist_flush, iree_atomic_slist_initialize, iree_atomic_slist_pop,
    iree_atomic_slist_t, IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_LIFO,
};
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
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
    let mut block = unsafe { iree_atomic_slist_pop(slist(pool)) }.cast::<iree_arena_block_t>();
    if block.is_null() {
        // SAFETY: the allocator the pool was initialized with.
        let base = unsafe {
            pool.block_allocator
                .malloc_uninitialized(pool.total_block_size)
        }?
        .cast::<u8>();
        block = base
            .wrapping_add(pool.usable_block_size)
            .cast::<iree_arena_block_t>();
    }
    // SAFETY: the footer lies inside the block's allocation.
    unsafe { (*block).next = std::ptr::null_mut() };
    Ok(block)
}

/// Sets up the caller-owned `*out_block_pool` for blocks of
/// `total_block_size` bytes; the pool keeps `block_allocator` and owns the
/// blocks it allocates until `iree_arena_block_pool_deinitialize`. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_initialize(
    total_block_size: usize,
    block_allocator: iree_allocator_t,
    out_block_pool: *mut iree_arena_block_pool_t,
) {
    ffi_boundary(|| {
        // SAFETY: a non-null pointer is the caller's pool storage.
        if let Some(pool) = unsafe { out_block_pool.as_mut() } {
            pool.total_block_size = total_block_size;
            pool.usable_block_size = usable_block_size(total_block_size);
            pool.block_allocator = block_allocator;
            // SAFETY: the pool's own slist storage.
            unsafe { iree_atomic_slist_initialize(slist(pool)) };
        }
        Ok(())
    })
}

/// Frees every block of the caller-owned pool (all must have been
/// released back); the storage itself stays the caller's. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_deinitialize(
    block_pool: *mut iree_arena_block_pool_t,
) {
    ffi_boundary(|| {
        // SAFETY: a non-null pointer is an initialized pool.
        if let Some(pool) = unsafe { block_pool.as_mut() } {
            // SAFETY: initialized pool (API contract).
            unsafe { pool_trim(pool) };
            // SAFETY: the pool's own slist.
            unsafe { iree_atomic_slist_deinitialize(slist(pool)) };
        }
        Ok(())
    })
}

/// Returns the free blocks of the caller-owned pool to its allocator;
/// blocks handed out stay valid. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_trim(block_pool: *mut iree_arena_block_pool_t) {
    ffi_boundary(|| {
        // SAFETY: a non-null pointer is an initialized pool.
        if let Some(pool) = unsafe { block_pool.as_mut() } {
            // SAFETY: initialized pool (API contract).
            unsafe { pool_trim(pool) };
        }
        Ok(())
    })
}

/// Frees the pool's free blocks.
///
/// # Safety
/// `pool` must be an initialized pool.
unsafe fn pool_trim(pool: &mut iree_arena_block_pool_t) {
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
    let mut block = head.cast::<iree_arena_block_t>();
    while !block.is_null() {
        // SAFETY: detached free blocks are ours; each footer sits
        // `usable_block_size` bytes into an allocation from the pool's
        // allocator.
        unsafe {
            let next = (*block).next;
            let base = block.cast::<u8>().wrapping_sub(pool.usable_block_size);
            pool.block_allocator.free(base.cast());
            block = next;
        }
    }
}

/// Hands one block of `block_pool` (borrowed for the call; contents
/// undefined) to the caller in `*out_block` (NULL on failure); the caller
/// gives it back with `iree_arena_block_pool_release`.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_acquire(
    block_pool: *mut iree_arena_block_pool_t,
    out_block: *mut *mut iree_arena_block_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_block = unsafe { arg!(out_block).in_out() }?;
        *out_block = std::ptr::null_mut();
        // SAFETY: NULL or an initialized pool (API contract).
        let pool = unsafe { arg!(block_pool).in_out() }?;
        // SAFETY: initialized pool.
        *out_block = unsafe { pool_acquire(pool) }?;
        Ok(())
    })
}

/// Gives the caller's chain `block_head..=block_tail` back to the pool,
/// which owns the blocks again (a NULL tail is found by walking). A NULL
/// pool is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_block_pool_release(
    block_pool: *mut iree_arena_block_pool_t,
    block_head: *mut iree_arena_block_t,
    block_tail: *mut iree_arena_block_t,
) {
    ffi_boundary(|| {
        // SAFETY: a non-null pointer is an initialized pool.
        if let Some(pool) = unsafe { block_pool.as_mut() } {
            // SAFETY: the blocks came from this pool and are linked by footer.
            unsafe {
                iree_atomic_slist_concat(
                    slist(pool),
                    block_head.cast::<iree_atomic_slist_entry_t>(),
                    block_tail.cast::<iree_atomic_slist_entry_t>(),
                )
            };
        }
        Ok(())
    })
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
    let aligned = aligned_length(byte_length).ok_or_else(too_big)?;
    let remaining = (!arena.block_head.is_null()).then_some(arena.block_bytes_remaining);
    match place(aligned, pool.usable_block_size, remaining).ok_or_else(too_big)? {
        Placement::Oversized { allocation_size } => {
            // SAFETY: the pool's allocator.
            let base =
                unsafe { pool.block_allocator.malloc_uninitialized(allocation_size) }?.cast::<u8>();
            let header = base.cast::<iree_arena_oversized_allocation_t>();
            // SAFETY: fresh allocation large enough for the header.
            unsafe { (*header).next = arena.allocation_head };
            arena.allocation_head = header;
            arena.total_allocation_size += allocation_size;
            arena.used_allocation_size += byte_length;
            return Ok(base.wrapping_add(OVERSIZED_HEADER_SIZE));
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
    let ptr = arena
        .block_head
        .cast::<u8>()
        .wrapping_sub(arena.block_bytes_remaining);
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
            pool.block_allocator.free(allocation.cast());
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

/// Sets up the caller-owned `*out_arena` to allocate from `block_pool`,
/// which the arena borrows until `iree_arena_deinitialize`. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_initialize(
    block_pool: *mut iree_arena_block_pool_t,
    out_arena: *mut iree_arena_allocator_t,
) {
    ffi_boundary(|| {
        if !out_arena.is_null() {
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
        Ok(())
    })
}

/// Releases everything the caller-owned arena holds (blocks go back to its
/// pool); every pointer it handed out becomes invalid. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_deinitialize(arena: *mut iree_arena_allocator_t) {
    ffi_boundary(|| {
        // SAFETY: forwarded; reset checks for NULL.
        unsafe { iree_arena_reset(arena) };
        Ok(())
    })
}

/// As `iree_arena_deinitialize`, but the arena can be used again.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_reset(arena: *mut iree_arena_allocator_t) {
    ffi_boundary(|| {
        // SAFETY: a non-null pointer is an initialized arena.
        if let Some(arena) = unsafe { arena.as_mut() } {
            // SAFETY: initialized arena (API contract).
            unsafe { arena_reset(arena) };
        }
        Ok(())
    })
}

/// Allocates `byte_length` bytes (contents undefined, 16-byte aligned)
/// from `arena`, which owns them: the pointer in `*out_ptr` (NULL on
/// failure) is valid until the arena is reset or deinitialized.
#[no_mangle]
pub unsafe extern "C" fn iree_arena_allocate(
    arena: *mut iree_arena_allocator_t,
    byte_length: usize,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_ptr = unsafe { arg!(out_ptr).in_out() }?;
        *out_ptr = std::ptr::null_mut();
        // SAFETY: NULL or an initialized arena (API contract).
        let arena = unsafe { arg!(arena).in_out() }?;
        // SAFETY: initialized arena.
        *out_ptr = unsafe { arena_allocate(arena, byte_length) }?.cast();
        Ok(())
    })
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
    ffi_boundary(|| match command {
        COMMAND_MALLOC | COMMAND_CALLOC => {
            // SAFETY: allocation commands carry alloc params.
            let Some(params) = (unsafe { params.cast::<AllocParams>().as_ref() }) else {
                return Err(iree_err!(InvalidArgument, "allocation params are NULL"));
            };
            let byte_length = params.byte_length;
            // SAFETY: `self_` is the arena this allocator was made for.
            let status = unsafe { iree_arena_allocate(self_.cast(), byte_length, inout_ptr) };
            if status.is_ok() && command == COMMAND_CALLOC {
                // SAFETY: on success *inout_ptr holds byte_length bytes.
                unsafe { std::ptr::write_bytes((*inout_ptr).cast::<u8>(), 0, byte_length) };
            }
            Ok(status)
        }
        COMMAND_FREE => Ok(iree_status_t::OK),
        _ => Err(iree_err!(
            Unimplemented,
            "arena allocators support only malloc, calloc and free"
        )),
    })
}

/// An allocator over `arena`, which it borrows: the caller keeps the arena
/// alive while the allocator is in use. Frees are ignored; the arena
/// releases everything at once.
#[no_mangle]
pub extern "C" fn iree_arena_allocator(arena: *mut iree_arena_allocator_t) -> iree_allocator_t {
    ffi_boundary(|| {
        Ok(iree_allocator_t {
            self_: arena.cast(),
            ctl: Some(arena_allocator_ctl),
        })
    })
}
