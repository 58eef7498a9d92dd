//! Shared by the command tests: a store built from `data/` by the real
//! binary in a temporary directory, and a way to run commands on it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_gainsay");

/// A follow-up article (JSON Lines) that answers the seed's allegation again,
/// with a URL, so that re-matching and document links get exercised.
pub const FOLLOW_UP: &str = r#"{"id":"wire-2019-02-08","title":"Coalition denies patrol stop","outlet":"Wire","url":"https://example.com/wire/patrol","published":"2019-02-08","text":"Coalition denies patrol stop\n\nThe US-led coalition denied on Wednesday that the IMIS militia stopped a US patrol near Mosul.\n"}"#;

/// An article crafted to inject markup and script wherever text is shown.
pub const INJECTION: &str = r#"{"id":"evil-2019-02-08","title":"Evil \"><img src=x onerror=\"document.title='PWNED'\"><script>document.title='PWNED'</script>","outlet":"<script>document.title='PWNED'</script>Evil Outlet","url":"javascript:document.title='PWNED'","published":"2019-02-08","text":"Militia stops patrol\n\nThe IMIS militia stopped a US patrol <script>document.title='PWNED'</script> near Mosul, the group <img src=x onerror=\"document.title='PWNED'\"> alleged on Tuesday.\n\nThe US-led coalition denied on Wednesday that the IMIS militia stopped a US patrol \"><img src=x onerror=document.title='PWNED'> near Mosul.\n"}"#;

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Fixture {
    /// A store holding every sample article of `data/`.
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("gainsay.db");
        let f = Fixture { dir, db };
        let files = data_files();
        let mut args = vec!["ingest"];
        args.extend(files.iter().map(String::as_str));
        f.ok(&args);
        f
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("GAINSAY_DB")
            .env_remove("GAINSAY_RULES")
            .output()
            .unwrap()
    }

    /// Runs a command that must succeed; its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "gainsay {args:?} failed ({:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A file in the fixture's directory holding `text`; its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }

    /// Every pair, as JSON values, strongest first.
    pub fn pairs(&self, extra: &[&str]) -> Vec<serde_json::Value> {
        let mut args = vec!["contradictions", "--format", "json"];
        args.extend(extra);
        json_lines(&self.ok(&args))
    }

    /// The id of the pair whose sides contain these texts.
    pub fn pair_id(&self, a: &str, b: &str) -> String {
        self.pairs(&[])
            .into_iter()
            .find(|p| {
                p["a"]["content"]["text"].as_str().unwrap().contains(a)
                    && p["b"]["content"]["text"].as_str().unwrap().contains(b)
            })
            .unwrap_or_else(|| panic!("no pair {a:?} <> {b:?}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

pub fn data_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir("data")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

pub fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The seed's patrol allegation and the coalition spokesperson's answer.
pub const PATROL_A: &str = "the IMIS militia stopping a US patrol";
pub const PATROL_B: &str = "The patrol referenced was routine";

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs headless chromium on a file with `args` (e.g. `--dump-dom`);
/// `None`, with a note printed, when chromium is not installed.
pub fn chromium(page: &Path, fragment: &str, args: &[&str]) -> Option<Output> {
    if !Path::new(CHROMIUM).exists() {
        eprintln!(
            "NOTE: {CHROMIUM} is absent; browser checks skipped \
             (apt-get install -y chromium, as .ci/run does)"
        );
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    let url = format!(
        "file://{}{fragment}",
        page.canonicalize().unwrap().display()
    );
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .unwrap();
    Some(out)
}
