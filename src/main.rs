//! The `gainsay` binary: parse arguments, run, map the result to an exit code.

use clap::Parser;
use gainsay::cli::{is_broken_pipe, run, Args, Outcome};
use std::process::ExitCode;

/// mimalloc: extraction and matching allocate many small strings, and
/// glibc's malloc/free took about a fifth of their profiles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
