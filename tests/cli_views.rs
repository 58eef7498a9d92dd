//! The listings on a store built from `data/`: every format parses back,
//! `audit` agrees with a count over `claims --format json`, `show` gives both
//! sides in context, and date filters use resolved claim dates.

mod common;

use common::*;
use gainsay::model::{ClaimRecord, PairRecord};
use gainsay::report::{CLAIM_HEADERS, PAIR_HEADERS};
use std::collections::{BTreeMap, HashSet};

/// The cells of a Markdown table row, honouring `\|` escapes.
fn markdown_cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cells.last_mut().unwrap().push(n);
                }
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

fn check_formats(f: &Fixture, command: &str, headers: &[&str], ids: &[String]) {
    // CSV: the headers, then one record per item, in the same order.
    let csv_text = f.ok(&[command, "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let got: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(got, headers);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.iter().map(|r| r[0].to_string()).collect::<Vec<_>>(),
        ids
    );
    // Markdown: header, separator, one row per item with every column.
    let md = f.ok(&[command, "--format", "markdown"]);
    let lines: Vec<&str> = md.lines().collect();
    let trimmed: Vec<&str> = headers.iter().map(|h| h.trim()).collect();
    assert_eq!(markdown_cells(lines[0]), trimmed);
    assert!(lines[1].starts_with("|---"));
    assert_eq!(lines.len(), 2 + ids.len());
    for (line, id) in lines[2..].iter().zip(ids) {
        let cells = markdown_cells(line);
        assert_eq!(cells.len(), headers.len(), "{line}");
        assert_eq!(&cells[0], id);
    }
    // Table: every id appears.
    let table = f.ok(&[command]);
    for id in ids {
        assert!(
            table.contains(&format!(" {id} ")),
            "{id} missing from the table"
        );
    }
    // HTML: one sortable table with a row per item.
    let html = f.ok(&[command, "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<table class=\"sortable\""));
}

#[test]
fn claims_and_contradictions_parse_back_in_every_format() {
    let f = Fixture::new();
    let claims: Vec<ClaimRecord> = f
        .ok(&["claims", "--format", "json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(claims.len() > 50);
    let ids: Vec<String> = claims.iter().map(|c| c.id.clone()).collect();
    check_formats(&f, "claims", CLAIM_HEADERS, &ids);

    let pairs: Vec<PairRecord> = f
        .ok(&["contradictions", "--format", "json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(pairs.len() >= 12);
    assert!(pairs.windows(2).all(|w| w[0].score >= w[1].score));
    let ids: Vec<String> = pairs.iter().map(|p| p.id.clone()).collect();
    check_formats(&f, "contradictions", PAIR_HEADERS, &ids);
    // The contradictions page: the table, then every pair in full.
    let html = f.ok(&["contradictions", "--format", "html"]);
    for id in &ids {
        assert!(html.contains(&format!("<section class=\"pair\" id=\"{id}\">")));
    }
}

#[test]
fn audit_agrees_with_a_count_over_claims_and_pairs() {
    let f = Fixture::new();
    let claims = json_lines(&f.ok(&["claims", "--format", "json"]));
    let pairs = f.pairs(&[]);
    let key = |c: &serde_json::Value| -> String {
        match c["source"]["canonical"].as_str() {
            Some(k) => k.split_whitespace().collect::<Vec<_>>().join(" "),
            None => "(unattributed)".into(),
        }
    };
    let mut want: BTreeMap<String, [usize; 7]> = BTreeMap::new();
    for c in &claims {
        let e = want.entry(key(c)).or_default();
        e[0] += 1;
        let i = ["asserts", "alleges", "denies", "reports"]
            .iter()
            .position(|s| c["stance"] == *s)
            .unwrap();
        e[1 + i] += 1;
    }
    let paired: HashSet<&str> = pairs
        .iter()
        .flat_map(|p| {
            [
                p["a"]["id"].as_str().unwrap(),
                p["b"]["id"].as_str().unwrap(),
            ]
        })
        .collect();
    for c in &claims {
        if c["stance"] == "alleges" && !paired.contains(c["id"].as_str().unwrap()) {
            want.get_mut(&key(c)).unwrap()[5] += 1;
        }
    }
    for p in &pairs {
        want.get_mut(&key(&p["a"])).unwrap()[6] += 1;
    }
    let audit = json_lines(&f.ok(&["audit", "--format", "json", "--sort", "name"]));
    assert_eq!(audit.len(), want.len());
    let n = |v: &serde_json::Value| v.as_u64().unwrap() as usize;
    for a in &audit {
        let w = want[a["source"].as_str().unwrap()];
        let got = [
            n(&a["claims"]),
            n(&a["asserts"]),
            n(&a["alleges"]),
            n(&a["denies"]),
            n(&a["reports"]),
            a["unanswered"].as_array().unwrap().len(),
            n(&a["contradicted"]),
        ];
        assert_eq!(got, w, "{}", a["source"]);
    }
    // The CSV carries the same numbers.
    let csv_text = f.ok(&["audit", "--format", "csv", "--sort", "name"]);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), audit.len());
    for (row, a) in rows.iter().zip(&audit) {
        assert_eq!(&row[0], a["source"].as_str().unwrap());
        assert_eq!(
            row[3].parse::<u64>().unwrap(),
            a["claims"].as_u64().unwrap()
        );
        assert_eq!(
            row[10].parse::<u64>().unwrap(),
            a["contradicted"].as_u64().unwrap()
        );
    }
    // Sorting puts the most contradicted first.
    let by = json_lines(&f.ok(&["audit", "--format", "json", "--sort", "contradicted"]));
    assert!(by
        .windows(2)
        .all(|w| n(&w[0]["contradicted"]) >= n(&w[1]["contradicted"])));
    let by = json_lines(&f.ok(&["audit", "--format", "json", "--sort", "unanswered"]));
    let len = |v: &serde_json::Value| v["unanswered"].as_array().unwrap().len();
    assert!(by.windows(2).all(|w| len(&w[0]) >= len(&w[1])));
    // Markdown has a row per source.
    let md = f.ok(&["audit", "--format", "markdown"]);
    assert_eq!(md.lines().count(), 2 + audit.len());
}

#[test]
fn one_source_gives_its_full_record_with_people_outlets_and_dates() {
    let f = Fixture::new();
    let out = f.ok(&["audit", "US-led coalition", "--format", "json"]);
    let a: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(a["source"], "US-led coalition");
    assert!(a["people"]
        .as_array()
        .unwrap()
        .contains(&"Col. Sean Ryan".into()));
    assert!(a["denied"]
        .as_array()
        .unwrap()
        .contains(&"IMIS media accounts and Press TV".into()));
    assert!(a["outlets"]
        .as_array()
        .unwrap()
        .contains(&"Baghdadpost".into()));
    assert!(a["channels"]
        .as_array()
        .unwrap()
        .contains(&"Voice of America".into()));
    // "denied Monday" in an article of Thursday 2019-02-07.
    assert_eq!(a["first_date"], "2019-02-04");
    assert_eq!(a["last_date"], "2019-02-07");
    let record = a["record"].as_array().unwrap();
    assert_eq!(record.len(), a["claims"].as_u64().unwrap() as usize);
    assert_eq!(record[0]["date"], "2019-02-04");
    assert!(record[0]["opposes"][0]
        .as_str()
        .unwrap()
        .contains("denial of c"));
    // Table and CSV views of the record.
    let table = f.ok(&["audit", "US-led coalition"]);
    assert!(table.contains("Record of US-led coalition"));
    let csv_text = f.ok(&["audit", "US-led coalition", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(r.records().count(), record.len());
    // An unknown source finds nothing.
    assert_eq!(f.run(&["audit", "nobody at all"]).status.code(), Some(1));
}

#[test]
fn since_and_until_use_resolved_claim_dates() {
    let f = Fixture::new();
    let ids = |extra: &[&str]| -> Vec<String> {
        f.pairs(extra)
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    let denied_monday = f.pair_id(PATROL_A, "it faced a head-to-head encounter");
    let patrol = f.pair_id(PATROL_A, PATROL_B);
    // The coalition denied on Monday 2019-02-04; the article is of 2019-02-07.
    let monday = ids(&["--since", "2019-02-04", "--until", "2019-02-04"]);
    assert!(monday.contains(&denied_monday), "{monday:?}");
    assert!(!monday.contains(&patrol));
    let feb = ids(&["--since", "2019-02", "--until", "2019-02"]);
    assert!(feb.contains(&patrol) && feb.contains(&denied_monday));
    assert!(ids(&["--until", "2019"]).len() < ids(&[]).len());
    assert_eq!(ids(&["--since", "2030"]), Vec::<String>::new());
    // --limit applies after the dates.
    assert_eq!(ids(&["--since", "2025", "--limit", "2"]).len(), 2);
}

#[test]
fn show_gives_both_sides_in_context_with_documents_and_review() {
    let f = Fixture::new();
    let id = f.pair_id(PATROL_A, PATROL_B);
    let out = f.ok(&["show", &id]);
    for want in [
        "review: open",
        "\u{00BB}the IMIS militia stopping a US _patrol_\u{00AB}",
        "*no* _confrontation_",
        "in:      Iraq News - Local News - Baghdadpost \u{2014} Baghdadpost \u{2014} 2019-02-07",
        "channel: Voice of America",
        "Col. Sean Ryan",
        "opposing: no",
        "SIDE B IN DETAIL",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    // Context: the sentence before the allegation is there, cut at a word.
    assert!(out.contains("\u{2026}"));
    // A claim alone: its document and its date.
    let out = f.ok(&["show", "c8"]);
    assert!(out.contains("claimed: 2019-02-04"), "{out}");
    assert_eq!(f.run(&["show", "p999"]).status.code(), Some(1));
}
