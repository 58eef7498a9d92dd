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

fn main() -> ExitCode {
    // Memory a chunk frees is kept for the next rather than handed back to
    // the OS after a second. Every command here is a run that ends, and
    // pages handed back come back zeroed, a fault each: on a Reuters ingest
    // that doubled the system time and made a third of the run.
    // SAFETY: called before any thread is started, as mimalloc requires
    // of option changes.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
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
