//! gainsay: a claim-and-denial contradiction tracker.
//!
//! Stages, one module each: [`text`] segments documents, [`rules`] loads the
//! lexicons and patterns from `rules/`, [`extract`] turns sentences into claim
//! records, [`matcher`] pairs opposing claims, [`store`] keeps everything in
//! SQLite, [`report`] renders listings, [`html`] the
//! self-contained HTML report, and [`cli`] wires them to commands.

pub mod audit;
pub mod bench;
pub mod blocking;
pub mod cli;
pub mod eval;
pub mod extract;
pub mod generate;
pub mod highlight;
pub mod html;
pub mod ingest;
pub mod matcher;
pub mod model;
pub mod rarity;
pub mod report;
pub mod rule_examples;
pub mod rules;
pub mod sample;
pub mod store;
pub mod text;
