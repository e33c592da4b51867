//! Process-wide tuning of the allocator the command line and the benchmark programs install
//! (mimalloc, as their `#[global_allocator]`).

pub use mimalloc::MiMalloc;

unsafe extern "C" {
    /// Sets one of mimalloc's options (`mimalloc.h`).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
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
        static ALLOCATOR: $crate::allocator::MiMalloc = $crate::allocator::MiMalloc;

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
