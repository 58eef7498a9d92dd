//! The `gainsay` binary: parse arguments, run, map the result to an exit code.

use clap::Parser;
use gainsay::cli::{is_broken_pipe, run, Args, Outcome};
use std::process::ExitCode;

/// mimalloc: extraction and matching allocate many small strings, and
/// glibc's malloc/free took about a fifth of their profiles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`: the same number in its
/// versions 2 and 3; the Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Turns transparent huge pages off for this process. mimalloc asks for
/// them on its arenas (before `main`, so its own option would come too
/// late), and a huge page is zeroed whole at its first touch, however
/// little of it is used: on a Reuters ingest, system time was twice as
/// high with them.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes integers only and changes
    // how this process's memory is backed, nothing Rust relies on. Should
    // it fail (a kernel without THP), nothing changes.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}

/// How much nicer than the thread that starts them the rayon pool's
/// threads run.
const POOL_NICENESS: i32 = 10;

/// Starts rayon's global pool with threads that yield to the others of the
/// process. While ingest's main thread stores one part of the input in
/// SQLite, the pool extracts the parts after it: three busy threads on two
/// cores, and the scheduler gave the storing thread, which all the parts
/// wait for, two thirds of a core. With the pool's threads nicer, it has
/// one to itself and the pool the rest; on a Reuters ingest idle CPU fell
/// by a third. On Linux a thread's nice value is its own, and with
/// autogroups (the default) it weighs threads against those of the same
/// session only. Should the pool not start so, it starts as before.
fn start_pool() {
    let _ = rayon::ThreadPoolBuilder::new()
        .start_handler(|_| {
            // SAFETY: on Linux nice() changes the calling thread's
            // scheduling priority only, nothing Rust relies on; a failure
            // leaves it as it was.
            #[cfg(target_os = "linux")]
            unsafe {
                libc::nice(POOL_NICENESS);
            }
        })
        .build_global();
}

fn main() -> ExitCode {
    // Memory a chunk frees is kept for the next rather than handed back to
    // the OS after a second. Every command here is a run that ends, and
    // pages handed back come back zeroed, a fault each: on a Reuters ingest
    // that doubled the system time and made a third of the run.
    // SAFETY: called before any thread is started, as mimalloc requires
    // of option changes.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    no_transparent_huge_pages();
    start_pool();
    let args = Args::parse();
    match run(args) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gainsay: {}", format!("{e:#}").replace('\n', "\n  "));
            ExitCode::from(2)
        }
    }
}
