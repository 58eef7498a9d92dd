//! `gainsay report --html`: a self-contained page, loaded in headless
//! chromium (when installed) without console errors, immune to markup in
//! article text, with a screenshot kept as a test artifact.

mod common;

use common::*;
use std::path::PathBuf;

fn report(f: &Fixture, name: &str, extra: &[&str]) -> (PathBuf, String) {
    let page = f.dir.path().join(name);
    let mut args = vec!["report", "--html", page.to_str().unwrap()];
    args.extend(extra);
    f.ok(&args);
    let html = std::fs::read_to_string(&page).unwrap();
    (page, html)
}

/// Console messages and uncaught errors chromium logged.
fn console_errors(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_report_is_one_self_contained_page() {
    let f = Fixture::new();
    let (_, html) = report(&f, "r.html", &[]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    // Nothing is fetched: no external scripts, styles, images or fonts.
    for needle in ["<link", " src=", "@import", "url("] {
        assert!(!html.contains(needle), "found {needle}");
    }
    assert_eq!(html.matches("<script").count(), 1);
    for section in [
        "id=\"contradictions\"",
        "id=\"audit\"",
        "id=\"unanswered\"",
        "id=\"pairs-in-full\"",
    ] {
        assert!(html.contains(section), "{section}");
    }
    // The seed's patrol pair is in the summary at the top, before the table.
    let glance = html.find("At a glance").unwrap();
    let table = html.find("id=\"contradictions\"").unwrap();
    let patrol = html.find("the IMIS militia stopping a US patrol").unwrap();
    assert!(glance < patrol && patrol < table);
    // Evidence is highlighted in the pair sections.
    assert!(html.contains("<mark>The <u class=\"shared\">patrol</u> referenced"));
    assert!(html.contains("<b class=\"opp\">no</b>"));
    // Filters narrow the page and are named in it.
    let (_, narrow) = report(&f, "k.html", &["--kind", "refutation"]);
    assert!(narrow.contains("filters: kind refutation"));
    assert_eq!(narrow.matches("<section class=\"pair\"").count(), 2);
}

#[test]
fn the_report_loads_in_chromium_without_errors_and_sorts() {
    let f = Fixture::new();
    let id = f.pair_id(PATROL_A, PATROL_B);
    f.ok(&[
        "review",
        &id,
        "--confirm",
        "--note",
        "Coalition on the record.",
    ]);
    let (page, _) = report(&f, "report.html", &[]);
    let Some(out) = chromium(&page, "", &["--dump-dom"]) else {
        return;
    };
    assert!(out.status.success());
    assert_eq!(console_errors(&out.stderr), Vec::<String>::new());
    let dom = String::from_utf8(out.stdout).unwrap();
    // The script ran to its end.
    assert!(dom.contains("data-ready=\"yes\""), "script did not run");
    // Sorting by score ascending (the page sorts from `#sort=` as a click does).
    let out = chromium(&page, "#sort=pairs:2:asc", &["--dump-dom"]).unwrap();
    let dom = String::from_utf8(out.stdout).unwrap();
    let table = &dom[dom.find("id=\"pairs\"").unwrap()..dom.find("id=\"audit\"").unwrap()];
    let scores: Vec<f64> = table
        .split("<td class=\"num\" data-sort=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .filter(|s| s.contains('.'))
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(scores.len() > 5);
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "{scores:?}");
    assert!(dom.contains("aria-sort=\"ascending\""));
    // The screenshot, kept as an artifact.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("report.png");
    let _ = std::fs::remove_file(&shot);
    let out = chromium(
        &page,
        "",
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,900",
        ],
    )
    .unwrap();
    assert!(out.status.success());
    let size = std::fs::metadata(&shot).unwrap().len();
    assert!(size > 10_000, "screenshot of {size} bytes");
    eprintln!("screenshot of the report: {}", shot.display());
}

#[test]
fn markup_in_article_text_is_shown_not_run() {
    let f = Fixture::new();
    let evil = f.file("evil.jsonl", INJECTION);
    f.ok(&["ingest", &evil]);
    // The injected article is paired with the seed's allegation.
    assert!(f
        .pairs(&["--doc", "evil"])
        .iter()
        .any(|p| p["b"]["content"]["text"]
            .as_str()
            .unwrap()
            .contains("onerror")));
    let (page, html) = report(&f, "evil.html", &[]);
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("<img"));
    assert!(!html.contains("href=\"javascript:"));
    assert!(html.contains("&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"));
    // The same through `contradictions --format html`.
    let listing = f.ok(&["contradictions", "--format", "html", "--doc", "evil"]);
    assert!(!listing.contains("<img") && listing.matches("<script").count() == 1);
    let Some(out) = chromium(&page, "", &["--dump-dom"]) else {
        return;
    };
    assert_eq!(console_errors(&out.stderr), Vec::<String>::new());
    let dom = String::from_utf8(out.stdout).unwrap();
    assert!(dom.contains("<title>gainsay: contradictions and source audit</title>"));
    assert!(!dom.contains("PWNED</title>"));
    assert!(!dom.contains("<img"));
    assert_eq!(dom.matches("<script").count(), 1);
    // The text is on the page, as text.
    assert!(dom.contains("&lt;img src=x onerror="));
    assert!(dom.contains("data-ready=\"yes\""));
}
