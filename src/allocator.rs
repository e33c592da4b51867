//! The allocator the command line and the benchmark programs install (mimalloc, as their
//! `#[global_allocator]`), and its process-wide tuning.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use mimalloc::MiMalloc;

unsafe extern "C" {
    /// Sets one of mimalloc's options (`mimalloc.h`).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    fn mi_malloc(size: usize) -> *mut c_void;
    fn mi_zalloc(size: usize) -> *mut c_void;
}

/// mimalloc, asked for word-aligned blocks through its plain entry points.
///
/// Every mimalloc block is aligned to a machine word, and mimalloc's own `realloc` takes the
/// plain path for such alignments. Its aligned entry point does not: a block over 1 KiB, or any
/// block whose size class has no free block at hand, goes to a slow path that allocates the size
/// plus the alignment, one size class up, so a growing heap fills the larger classes and leaves
/// the right ones unextended (about one in fifteen of a scan's allocations went that way).
pub struct Allocator;

/// Alignments every mimalloc block has.
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: every method hands the layout to mimalloc, which returns blocks of at least the size
// asked for, aligned to a word or more (the plain entry points) or to the layout's alignment.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            // SAFETY: see the impl.
            unsafe { mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: the caller's contract is MiMalloc's.
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            // SAFETY: see the impl.
            unsafe { mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: the caller's contract is MiMalloc's.
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: mimalloc frees any of its blocks, however it was allocated.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is MiMalloc's (whose `realloc` is already plain for
        // word alignments).
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (the version the `mimalloc` crate builds).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Memory freed by one phase (a module's syntax trees) goes back to the system after 5 ms
/// instead of 10, which keeps the peak of a large scan about a quarter lower at little cost.
/// (Huge pages are refused earlier, by the constructor [`install_allocator`] installs.)
pub fn tune() {
    // SAFETY: mi_option_set only stores the value; mimalloc reads it when it next purges.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 5) };
}

/// Installs mimalloc as the program's allocator, and [`refuse_huge_pages_before_main`] among the
/// constructors that run before mimalloc's own (priority 101). Used once, at the crate root of a
/// program: `acr_lint::install_allocator!();`.
#[macro_export]
macro_rules! install_allocator {
    () => {
        #[global_allocator]
        static ALLOCATOR: $crate::allocator::Allocator = $crate::allocator::Allocator;

        #[cfg(target_os = "linux")]
        #[used]
        #[unsafe(link_section = ".init_array.00100")]
        static REFUSE_HUGE_PAGES: extern "C" fn() =
            $crate::allocator::refuse_huge_pages_before_main;
    };
}

/// Refuses transparent huge pages before anything allocates (see [`install_allocator`]).
/// Otherwise the runtime's first allocation, made before `main`, faults in a whole 2 MiB page
/// (zeroing it took a fifth of the CPU of a scan of one file).
pub extern "C" fn refuse_huge_pages_before_main() {
    refuse_huge_pages();
}

/// mimalloc asks for transparent huge pages for its arenas, and the kernel zeroes 2 MiB at the
/// first touch of each: that took 40 % of a whole scan's samples and a third of its peak memory.
/// The flag is the process's and applies to memory already mapped (mimalloc's own option is
/// read once, before `main`).
#[cfg(target_os = "linux")]
fn refuse_huge_pages() {
    unsafe extern "C" {
        fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
    }
    const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument (the rest must be zero) and only
    // sets a flag of this process; a failure leaves huge pages allowed, which is harmless.
    unsafe {
        prctl(
            PR_SET_THP_DISABLE,
            1 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
        )
    };
}

#[cfg(not(target_os = "linux"))]
fn refuse_huge_pages() {}

#[cfg(test)]
mod tests {
    use super::*;

    const ALIGNMENTS: [usize; 9] = [1, 2, 4, 8, 16, 32, 64, 128, 4096];
    const SIZES: [usize; 14] = [
        1, 3, 8, 20, 24, 48, 88, 100, 1000, 1024, 1025, 1207, 5000, 70_000,
    ];

    fn layouts() -> impl Iterator<Item = Layout> {
        ALIGNMENTS.into_iter().flat_map(|align| {
            SIZES
                .into_iter()
                .filter_map(move |size| Layout::from_size_align(size, align).ok())
        })
    }

    fn assert_usable(ptr: *mut u8, layout: Layout) {
        assert!(!ptr.is_null(), "{layout:?}");
        assert_eq!(ptr as usize % layout.align(), 0, "{layout:?}");
    }

    #[test]
    fn blocks_have_the_size_and_alignment_asked_for() {
        for layout in layouts() {
            // Several at once, so that a size class runs out of free blocks on the way.
            let blocks: Vec<*mut u8> = (0..200)
                .map(|_| unsafe { Allocator.alloc(layout) })
                .collect();
            for &ptr in &blocks {
                assert_usable(ptr, layout);
                unsafe { ptr.write_bytes(0xA5, layout.size()) };
            }
            for ptr in blocks {
                unsafe { Allocator.dealloc(ptr, layout) };
            }
        }
    }

    #[test]
    fn zeroed_blocks_are_zero() {
        for layout in layouts() {
            let dirty = unsafe { Allocator.alloc(layout) };
            unsafe { dirty.write_bytes(0xFF, layout.size()) };
            unsafe { Allocator.dealloc(dirty, layout) };
            let ptr = unsafe { Allocator.alloc_zeroed(layout) };
            assert_usable(ptr, layout);
            let bytes = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            assert!(bytes.iter().all(|&b| b == 0), "{layout:?}");
            unsafe { Allocator.dealloc(ptr, layout) };
        }
    }

    fn fill(bytes: &mut [u8]) {
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = i as u8;
        }
    }

    fn holds_what_was_filled(bytes: &[u8]) -> bool {
        bytes.iter().enumerate().all(|(i, &b)| b == i as u8)
    }

    #[test]
    fn a_grown_then_shrunk_block_keeps_its_contents_and_alignment() {
        for layout in layouts() {
            let ptr = unsafe { Allocator.alloc(layout) };
            fill(unsafe { std::slice::from_raw_parts_mut(ptr, layout.size()) });
            let grown = Layout::from_size_align(layout.size() * 3, layout.align()).unwrap();
            let ptr = unsafe { Allocator.realloc(ptr, layout, grown.size()) };
            assert_usable(ptr, grown);
            let kept = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            assert!(holds_what_was_filled(kept), "{layout:?}");
            let shrunk =
                Layout::from_size_align(layout.size().div_ceil(2), layout.align()).unwrap();
            let ptr = unsafe { Allocator.realloc(ptr, grown, shrunk.size()) };
            assert_usable(ptr, shrunk);
            let kept = unsafe { std::slice::from_raw_parts(ptr, shrunk.size()) };
            assert!(holds_what_was_filled(kept), "{layout:?}");
            unsafe { Allocator.dealloc(ptr, shrunk) };
        }
    }
}
