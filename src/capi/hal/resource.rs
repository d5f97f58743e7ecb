//! `iree/hal/resource.h`: the header at offset 0 of every HAL object.
//!
//! The header's C helpers are `static inline` in the hand-written header
//! (C retains and releases by touching the count itself), so this file
//! exports nothing; the machinery is `abi::hal_resource` and the
//! [`Resource`](crate::capi::handle::Resource) handles of `capi::handle`.
//! Typed `iree_hal_*_retain/release` exports use `handle::retain/release`.

pub use crate::abi::hal_resource::{iree_hal_resource_t, iree_hal_resource_vtable_t};

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Arc};

    use super::*;
    use crate::abi::hal_resource::ResourceHeader;
    use crate::capi::handle::{self, arg, Castable, Resource};
    use crate::StatusCode;

    /// A HAL object that counts how often it is dropped.
    #[repr(C)]
    struct Probe {
        header: ResourceHeader,
        drops: Arc<AtomicUsize>,
    }
    crate::hal_resource!(Probe);

    impl Drop for Probe {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Another type, to check that handles are told apart.
    #[repr(C)]
    struct Other {
        header: ResourceHeader,
    }
    crate::hal_resource!(Other);

    struct probe_t {
        _private: [u8; 0],
    }
    impl Castable for probe_t {
        type Ownership = Resource;
        type RustType = Probe;
    }
    struct other_t {
        _private: [u8; 0],
    }
    impl Castable for other_t {
        type Ownership = Resource;
        type RustType = Other;
    }

    fn probe() -> (Arc<Probe>, Arc<AtomicUsize>) {
        let drops = Arc::new(AtomicUsize::new(0));
        let object = Arc::new(Probe {
            header: ResourceHeader::new::<Probe>(),
            drops: drops.clone(),
        });
        (object, drops)
    }

    /// What C's inline `iree_hal_resource_retain` does.
    unsafe fn c_inline_retain(resource: *mut iree_hal_resource_t) {
        // SAFETY: a live resource the caller holds a reference on.
        unsafe { &(*resource).ref_count }.fetch_add(1, Ordering::Relaxed);
    }

    /// What C's inline `iree_hal_resource_release` does.
    unsafe fn c_inline_release(resource: *mut iree_hal_resource_t) {
        // SAFETY: a live resource; the caller gives up its reference.
        unsafe {
            if (*resource).ref_count.fetch_sub(1, Ordering::AcqRel) == 1 {
                let vtable = &*(*resource).vtable.cast::<iree_hal_resource_vtable_t>();
                (vtable.destroy.unwrap())(resource);
            }
        }
    }

    #[test]
    fn one_pointer_per_object_and_layout() {
        let (object, _) = probe();
        let clone = object.clone();
        let a: *mut probe_t = handle::hal_into_ptr(&object);
        let b: *mut probe_t = handle::hal_into_ptr(&clone);
        assert_eq!(a, b);
        assert_eq!(a.cast_const().cast::<Probe>(), Arc::as_ptr(&object));
        assert_eq!(object.header.c_reference_count(), 2);
        // Both C references together own one strong count.
        assert_eq!(Arc::strong_count(&object), 3);
        // SAFETY: the two references handed out above.
        unsafe {
            handle::release(a);
            handle::release(b);
        }
        assert_eq!(Arc::strong_count(&object), 2);
        assert_eq!(std::mem::offset_of!(iree_hal_resource_t, vtable), 8);
        assert_eq!(std::mem::size_of::<iree_hal_resource_t>(), 16);
    }

    #[test]
    fn c_references_keep_the_object_alive_and_destroy_runs_once() {
        let (object, drops) = probe();
        let ptr: *mut probe_t = handle::hal_into_ptr(&object);
        drop(object);
        // Only C holds it now.
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        let resource = ptr.cast::<iree_hal_resource_t>();
        // SAFETY: C's reference from hal_into_ptr, plus the ones added here.
        unsafe {
            c_inline_retain(resource);
            handle::retain(ptr);
            // A borrowed handle gives Rust an Arc of its own.
            let again = arg!(ptr).hal().unwrap();
            assert_eq!(again.header.c_reference_count(), 3);
            c_inline_release(resource);
            handle::release(ptr);
            assert_eq!(drops.load(Ordering::SeqCst), 0);
            c_inline_release(resource);
            // C let go; the Rust Arc still holds it.
            assert_eq!(drops.load(Ordering::SeqCst), 0);
            assert_eq!(Arc::strong_count(&again), 1);
            // Rust hands it to C once more (0 -> 1) and C releases it.
            let ptr2: *mut probe_t = handle::hal_into_ptr(&again);
            assert_eq!(ptr2, ptr);
            drop(again);
            assert_eq!(drops.load(Ordering::SeqCst), 0);
            handle::release(ptr2);
        }
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn handles_of_other_types_and_null_are_refused() {
        let (object, _) = probe();
        let ptr: *mut probe_t = handle::hal_into_ptr(&object);
        let wrong = ptr.cast::<other_t>();
        // SAFETY: a live resource (of another type) and NULL.
        unsafe {
            let err = arg!(wrong).hal_ref().err().unwrap();
            assert_eq!(err.code(), StatusCode::Unimplemented);
            assert!(err.message().contains("`wrong` is not an other_t"), "{err}");
            let none: *mut probe_t = std::ptr::null_mut();
            let err = arg!(none).hal().err().unwrap();
            assert_eq!(err.code(), StatusCode::InvalidArgument);
            assert!(arg!(ptr).hal_ref().is_ok());
            handle::release(ptr);
            handle::release(none);
        }
        let other = Arc::new(Other {
            header: ResourceHeader::new::<Other>(),
        });
        let other_ptr: *mut other_t = handle::hal_into_ptr(&other);
        // SAFETY: the reference handed out just above.
        unsafe { handle::release(other_ptr) };
    }

    #[test]
    fn concurrent_handoff_to_c_and_release_from_c() {
        const THREADS: usize = 8;
        const ROUNDS: usize = 2_000;
        let (object, drops) = probe();
        let (send, receive) = mpsc::channel::<usize>();
        // C's side: one thread releasing what the others hand over, also
        // retaining and releasing through the inline helpers.
        let releaser = std::thread::spawn(move || {
            let mut released = 0;
            for address in receive {
                let resource = address as *mut iree_hal_resource_t;
                // SAFETY: each address carries one reference handed to C.
                unsafe {
                    c_inline_retain(resource);
                    c_inline_release(resource);
                    c_inline_release(resource);
                }
                released += 1;
            }
            released
        });
        let producers: Vec<_> = (0..THREADS)
            .map(|_| {
                let object = object.clone();
                let send = send.clone();
                std::thread::spawn(move || {
                    for round in 0..ROUNDS {
                        let ptr: *mut probe_t = handle::hal_into_ptr(&object);
                        if round % 2 == 0 {
                            // Some references C drops on this thread.
                            // SAFETY: the reference handed out just above.
                            unsafe { handle::release(ptr) };
                        } else {
                            send.send(ptr as usize).unwrap();
                        }
                    }
                })
            })
            .collect();
        drop(send);
        for producer in producers {
            producer.join().unwrap();
        }
        assert_eq!(releaser.join().unwrap(), THREADS * ROUNDS / 2);
        assert_eq!(object.header.c_reference_count(), 0);
        assert_eq!(Arc::strong_count(&object), 1);
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        drop(object);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }
}
