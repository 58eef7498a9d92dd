//! Every example beside every built-in rule, through the real pipeline.

use gainsay::rule_examples;
use gainsay::rules::Rules;

#[test]
fn every_rule_example_behaves_as_its_rule_says() {
    let rules = Rules::builtin().expect("built-in rules load");
    assert!(
        rules.examples.len() >= 20,
        "the built-in rules carry examples"
    );
    let failures = rule_examples::run(&rules);
    let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(
        failures.is_empty(),
        "{} failing rule examples:\n{}",
        failures.len(),
        report.join("\n")
    );
}

#[test]
fn a_counter_example_that_matches_is_reported() {
    let rules = Rules::from_sources(&[(
        "rules/cues.toml".into(),
        "[[cue]]\nid = \"say\"\nwords = [\"said\"]\nstance = \"asserts\"\nkind = \"verb\"\ncounter_examples = [\"The mayor said the bridge was safe.\"]\n".into(),
    )])
    .unwrap();
    let failures = rule_examples::run(&rules);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].rule, "cues/say");
    assert!(failures[0]
        .to_string()
        .starts_with("rules/cues.toml: cues/say:"));
}
