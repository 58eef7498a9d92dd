//! Golden tests for the attribution forms the extractor handles, one per
//! form, on sentences written for these tests about fictional people and
//! places. Each asserts the source as named, its mention, the cue, the
//! content, the stance and the channel.

use gainsay::extract::Extractor;
use gainsay::model::{ClaimRecord, Document, QuoteKind, Stance};
use gainsay::rules::Rules;

fn claims(text: &str) -> Vec<ClaimRecord> {
    let rules = Rules::builtin().expect("built-in rules load");
    let doc = Document {
        key: "t".into(),
        title: None,
        outlet: None,
        url: None,
        published: Some("2025-03-05".into()),
        text: text.into(),
    };
    Extractor::new(&rules).extract(&doc)
}

/// The one claim whose content is exactly `content`.
fn claim<'a>(all: &'a [ClaimRecord], content: &str) -> &'a ClaimRecord {
    all.iter()
        .find(|c| c.content.text == content)
        .unwrap_or_else(|| {
            let got: Vec<&str> = all.iter().map(|c| c.content.text.as_str()).collect();
            panic!("no claim {content:?} in {got:?}")
        })
}

/// The claims whose contents are exactly `contents`, in that order.
fn claims_of<'a, const N: usize>(
    all: &'a [ClaimRecord],
    contents: [&str; N],
) -> [&'a ClaimRecord; N] {
    contents.map(|c| claim(all, c))
}

/// Runs `check` with a matcher over the built-in rules.
fn with_matcher(check: impl FnOnce(&gainsay::matcher::Matcher)) {
    let rules = Rules::builtin().expect("built-in rules load");
    check(&gainsay::matcher::Matcher::new(&rules));
}

/// Asserts source text, mention, cue, stance and channel of a claim.
fn check(
    c: &ClaimRecord,
    source: Option<&str>,
    mention: Option<&str>,
    cue: Option<&str>,
    stance: Stance,
    channel: Option<&str>,
) {
    let s = c.source.as_ref();
    assert_eq!(
        s.map(|s| s.text.as_str()),
        source,
        "source of {:?}",
        c.content.text
    );
    assert_eq!(
        s.and_then(|s| s.mention.as_ref()).map(|m| m.text.as_str()),
        mention,
        "mention of {:?}",
        c.content.text
    );
    assert_eq!(
        c.cue.as_ref().map(|q| q.text.as_str()),
        cue,
        "cue of {:?}",
        c.content.text
    );
    assert_eq!(c.stance, stance, "stance of {:?}", c.content.text);
    assert_eq!(
        c.channel.as_deref(),
        channel,
        "channel of {:?}",
        c.content.text
    );
}

#[test]
fn direct_quote_before_inverted_speaker_with_title() {
    let all = claims("\"The bridge will reopen in May,\" said Col. Tomas Brandt.");
    let c = claim(&all, "The bridge will reopen in May");
    check(
        c,
        Some("Col. Tomas Brandt"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    assert_eq!(c.quote, QuoteKind::Direct);
}

#[test]
fn inverted_speaker_with_possessive_organisation() {
    let all = claims("The harbour was never closed, claimed Lorvik Alliance's Edda Rasmussen.");
    let c = claim(&all, "The harbour was never closed");
    check(
        c,
        Some("Lorvik Alliance's Edda Rasmussen"),
        None,
        Some("claimed"),
        Stance::Alleges,
        None,
    );
    let s = c.source.as_ref().unwrap();
    assert_eq!(s.affiliation.as_deref(), Some("Lorvik Alliance"));
    assert_eq!(s.canonical, "Edda Rasmussen");
}

#[test]
fn colon_lead_in() {
    let all = claims("Mayor Ilse Varga said: \"We have no money left for the ferry.\"");
    let c = claim(&all, "We have no money left for the ferry");
    check(
        c,
        Some("Mayor Ilse Varga"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    assert_eq!(c.quote, QuoteKind::Direct);
}

#[test]
fn comma_lead_in_to_a_quote_after_an_opening_phrase() {
    let all = claims("Holding up a map, Ilse Varga said, \"The ferry stops here.\"");
    let c = claim(&all, "The ferry stops here");
    check(
        c,
        Some("Ilse Varga"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    assert_eq!(all.len(), 1, "{all:?}");
}

#[test]
fn quotation_over_several_sentences_with_apposition_after() {
    let all = claims(
        "\"The levee held through the night. Nobody was hurt,\" Nils Oberg, a spokesperson for the Tarn Water Board, said.",
    );
    assert_eq!(all.len(), 1, "one attribution, not a continuation: {all:?}");
    let c = claim(&all, "The levee held through the night. Nobody was hurt");
    check(
        c,
        Some("Nils Oberg"),
        Some("Nils Oberg, a spokesperson for the Tarn Water Board"),
        Some("said"),
        Stance::Asserts,
        None,
    );
    let s = c.source.as_ref().unwrap();
    assert_eq!(s.role.as_deref(), Some("spokesperson"));
    assert_eq!(s.canonical, "Tarn Water Board");
}

#[test]
fn quotation_over_paragraphs_continues_its_speaker() {
    let all = claims(
        "Mayor Ilse Varga said: \"The ferry will stop in June.\n\n\"After that, the island has no link to the coast.\"",
    );
    // The quotation left open at the paragraph end runs on into the next.
    let c = claim(
        &all,
        "The ferry will stop in June.\n\n\"After that, the island has no link to the coast",
    );
    check(
        c,
        Some("Mayor Ilse Varga"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    assert_eq!(c.quote, QuoteKind::Direct);
}

#[test]
fn partial_quote_inside_indirect_speech() {
    let all = claims("Ilse Varga said the plan was \"a disaster for the island.\"");
    let c = claim(&all, "the plan was \"a disaster for the island.\"");
    check(
        c,
        Some("Ilse Varga"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    assert_eq!(c.quote, QuoteKind::Mixed);
}

#[test]
fn indirect_speech_with_time_and_that() {
    let all = claims("The Tarn Water Board said on Monday that the levee had held.");
    let c = claim(&all, "the levee had held");
    check(
        c,
        Some("The Tarn Water Board"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    assert_eq!(c.times.len(), 1);
}

#[test]
fn told_an_outlet_in_an_email() {
    let all = claims(
        "Ilse Varga told the Harwick Gazette in an email that the ferry would stop in June.",
    );
    let c = claim(&all, "the ferry would stop in June");
    check(
        c,
        Some("Ilse Varga"),
        None,
        Some("told"),
        Stance::Asserts,
        Some("the Harwick Gazette"),
    );
}

#[test]
fn according_to() {
    let all = claims("According to the port authority, 40 ships were delayed.");
    let c = claim(&all, "40 ships were delayed");
    check(
        c,
        Some("the port authority"),
        None,
        Some("According to"),
        Stance::Reports,
        None,
    );
}

#[test]
fn denials_with_a_clause_and_with_a_noun_phrase() {
    let all = claims(
        "The Tarn Water Board denied Tuesday that it had opened the sluices. The ministry denied the report.",
    );
    let c = claim(&all, "it had opened the sluices");
    check(
        c,
        Some("The Tarn Water Board"),
        None,
        Some("denied"),
        Stance::Denies,
        None,
    );
    let c = claim(&all, "the report");
    check(
        c,
        Some("The ministry"),
        None,
        Some("denied"),
        Stance::Denies,
        None,
    );
}

#[test]
fn released_a_video_allegedly_showing() {
    let all = claims("The Sable Front released a video allegedly showing soldiers at the dam.");
    let c = claim(&all, "soldiers at the dam");
    check(
        c,
        Some("The Sable Front"),
        None,
        Some("allegedly showing"),
        Stance::Alleges,
        None,
    );
}

#[test]
fn outlet_reports_at_the_end() {
    let all = claims("Troops crossed the river overnight, the Harwick Gazette reported.");
    let c = claim(&all, "Troops crossed the river overnight");
    check(
        c,
        Some("the Harwick Gazette"),
        None,
        Some("reported"),
        Stance::Reports,
        None,
    );
}

#[test]
fn adding_that_keeps_the_source() {
    let all = claims("The minister said the ferry would resume, adding that fares would not rise.");
    let c = claim(&all, "the ferry would resume");
    check(
        c,
        Some("The minister"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    let c = claim(&all, "fares would not rise");
    check(
        c,
        Some("The minister"),
        None,
        Some("adding"),
        Stance::Asserts,
        None,
    );
}

#[test]
fn claimed_to_be_inside_a_content_is_a_hedge() {
    let all = claims("The mayor said men claimed to be inspectors had entered the plant.");
    let c = claim(&all, "men claimed to be inspectors had entered the plant");
    check(
        c,
        Some("The mayor"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    assert!(
        c.hedges.iter().any(|h| h == "claimed to be"),
        "{:?}",
        c.hedges
    );
}

#[test]
fn a_relative_clause_stays_with_the_source_it_describes() {
    let all = claims("Villagers who fled Orsk say the dam at Velm was opened at night.");
    let c = claim(&all, "the dam at Velm was opened at night");
    check(
        c,
        Some("Villagers who fled Orsk"),
        None,
        Some("say"),
        Stance::Asserts,
        None,
    );
    let all = claims("The agency which runs the Tarn port said two ferries were held.");
    let c = claim(&all, "two ferries were held");
    check(
        c,
        Some("The agency which runs the Tarn port"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    // A clause with a subject of its own names the source itself.
    for (text, source, cue) in [
        (
            "Fishermen in Orsk oppose a levy which the council says will fund the harbour.",
            "the council",
            "says",
        ),
        (
            "Fishermen in Orsk oppose a levy which authorities say will fund the harbour.",
            "authorities",
            "say",
        ),
    ] {
        let all = claims(text);
        let c = claim(&all, "will fund the harbour");
        check(c, Some(source), None, Some(cue), Stance::Asserts, None);
    }
    // A cleft names no source of its own: "who" is the whole clause.
    let all = claims("It is the mayor who says the bridge is safe.");
    assert!(all
        .iter()
        .filter_map(|c| c.source.as_ref())
        .all(|s| !s.text.contains("It is")));
}

#[test]
fn passive_reports_name_no_source() {
    let all = claims("It was reported that the mine would close.");
    let c = claim(&all, "the mine would close");
    check(c, None, None, Some("reported"), Stance::Reports, None);
    let all = claims("Oskar Lind is said to have resigned.");
    let c = claim(&all, "Oskar Lind is said to have resigned");
    check(c, None, None, Some("said to have"), Stance::Alleges, None);
}

#[test]
fn appositions_in_a_row_and_a_name_in_apposition() {
    let all =
        claims("Marta Quell, 41, a nurse from Eastholm, said the clinic had run out of beds.");
    let c = claim(&all, "the clinic had run out of beds");
    check(
        c,
        Some("Marta Quell"),
        Some("Marta Quell, 41, a nurse from Eastholm"),
        Some("said"),
        Stance::Asserts,
        None,
    );
    let all = claims("Its chief engineer, Dr. Pia Sund, said the pumps had failed.");
    let c = claim(&all, "the pumps had failed");
    check(
        c,
        Some("Dr. Pia Sund"),
        Some("Its chief engineer, Dr. Pia Sund"),
        Some("said"),
        Stance::Asserts,
        None,
    );
    assert_eq!(c.source.as_ref().unwrap().canonical, "Pia Sund");
}

#[test]
fn coordinated_sources() {
    let all = claims("Ilse Varga and Nils Oberg said the levee would be raised.");
    let c = claim(&all, "the levee would be raised");
    check(
        c,
        Some("Ilse Varga and Nils Oberg"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
}

#[test]
fn pronouns_surnames_and_coordinated_verbs_resolve_to_the_named_source() {
    let all = claims(
        "Ilse Varga, the mayor of Harwick, said the ferry would stop. \"We are finished,\" she said. \
         Varga praised the crews and said the ferry would run again by July.",
    );
    let c = claim(&all, "We are finished");
    check(
        c,
        Some("Ilse Varga"),
        Some("she"),
        Some("said"),
        Stance::Asserts,
        None,
    );
    let c = claim(&all, "the ferry would run again by July");
    check(
        c,
        Some("Ilse Varga"),
        Some("Varga"),
        Some("said"),
        Stance::Asserts,
        None,
    );
}

#[test]
fn unnamed_sources() {
    let all = claims("Officials said the road would stay closed.");
    let c = claim(&all, "the road would stay closed");
    check(
        c,
        Some("Officials"),
        None,
        Some("said"),
        Stance::Asserts,
        None,
    );
    assert!(c.source.as_ref().unwrap().unnamed);
    let all = claims("A source close to the council said the vote would be delayed.");
    let c = claim(&all, "the vote would be delayed");
    assert!(c.source.as_ref().unwrap().unnamed, "{:?}", c.source);
}

#[test]
fn a_claim_inside_a_claim_keeps_both() {
    let all = claims("The port director says he believes the storm will pass by Friday.");
    let outer = claim(&all, "he believes the storm will pass by Friday");
    check(
        outer,
        Some("The port director"),
        None,
        Some("says"),
        Stance::Asserts,
        None,
    );
    let inner = claim(&all, "the storm will pass by Friday");
    check(
        inner,
        Some("The port director"),
        Some("he"),
        Some("believes"),
        Stance::Asserts,
        Some("port director"),
    );
}

#[test]
fn an_outlet_relaying_a_claim_is_its_channel() {
    let all =
        claims("The Tarn Water Board said the sluices stayed shut, the Harwick Gazette reported.");
    let c = claim(&all, "the sluices stayed shut");
    check(
        c,
        Some("The Tarn Water Board"),
        None,
        Some("said"),
        Stance::Asserts,
        Some("Harwick Gazette"),
    );
}

#[test]
fn no_before_a_figure_is_a_number_not_a_negation() {
    use gainsay::model::Polarity;
    let all = claims(
        "The Brenna Quartet said their single reached No. 48 on the Lorvik chart. \
         The label said no. The label said the single reached no chart.",
    );
    let numbered = claim(&all, "their single reached No. 48 on the Lorvik chart");
    assert_eq!(numbered.polarity, Polarity::Positive);
    let negated = claim(&all, "the single reached no chart");
    assert_eq!(negated.polarity, Polarity::Negative);
}

#[test]
fn a_negative_implicative_negates_the_verb_after_to() {
    use gainsay::model::Polarity;
    let all = claims(
        "The Lorvik council clerk said the council passed the housing bill on Monday. \
         Opposition leader Dora Vint said the council failed to pass the housing bill on Monday. \
         The harbour master said the council agreed to pass the housing bill. \
         The mayor said the council passed the budget and declined to comment.",
    );
    // Declining to comment negates a saying, not an event.
    let commented = claim(
        &all,
        "the council passed the budget and declined to comment",
    );
    assert_eq!(commented.polarity, Polarity::Positive);
    let passed = claim(&all, "the council passed the housing bill on Monday");
    let failed = claim(
        &all,
        "the council failed to pass the housing bill on Monday",
    );
    let agreed = claim(&all, "the council agreed to pass the housing bill");
    assert_eq!(passed.polarity, Polarity::Positive);
    assert_eq!(failed.polarity, Polarity::Negative);
    assert_eq!(agreed.polarity, Polarity::Positive);
    // The store pairs the two on the negated event ("pass").
    with_matcher(|matcher| {
        let (fp, ff) = (matcher.frame(passed), matcher.frame(failed));
        let pairing = matcher
            .pair(passed, &fp, failed, &ff)
            .expect("'failed to pass' opposes 'passed'");
        assert_eq!(pairing.evidence.opposing, vec!["failed".to_string()]);
        let fa = matcher.frame(agreed);
        assert!(
            matcher.pair(passed, &fp, agreed, &fa).is_none(),
            "'agreed to pass' opposes nothing"
        );
    });
}

#[test]
fn a_negation_opposes_only_what_it_denies() {
    let all = claims(
        "The clerk said that of the Lorvik firms reporting this year, most did not examine \
         their supply chains. \
         The auditor said the Lorvik firms reported their profits this year. \
         The mayor said the Lorvik firms did not report their profits this year.",
    );
    let [examined, reported, unreported] = claims_of(
        &all,
        [
            "of the Lorvik firms reporting this year, most did not examine their supply chains",
            "the Lorvik firms reported their profits this year",
            "the Lorvik firms did not report their profits this year",
        ],
    );
    with_matcher(|matcher| {
        let [fe, fr, fu] = [examined, reported, unreported].map(|c| matcher.frame(c));
        // Both speak of reporting, but the negation denies examining.
        assert!(
            matcher.pair(reported, &fr, examined, &fe).is_none(),
            "'did not examine' denies no reporting"
        );
        let pairing = matcher
            .pair(reported, &fr, unreported, &fu)
            .expect("'did not report' opposes 'reported'");
        assert_eq!(pairing.evidence.opposing, vec!["not".to_string()]);
    });
}

#[test]
fn a_refuting_word_before_a_common_noun_refutes_nothing() {
    let all = claims(
        "The police said the Lorvik courier was detained with fake passports at the port. \
         The ministry said the Lorvik courier was detained at the port. \
         The harbour master said a fake video showed the Lorvik courier detained at the port.",
    );
    let [passports, detained, video] = claims_of(
        &all,
        [
            "the Lorvik courier was detained with fake passports at the port",
            "the Lorvik courier was detained at the port",
            "a fake video showed the Lorvik courier detained at the port",
        ],
    );
    with_matcher(|matcher| {
        let [fp, fd, fv] = [passports, detained, video].map(|c| matcher.frame(c));
        // "fake passports" are things; they call no detention false.
        assert!(fp.refuters.is_empty(), "{:?}", fp.refuters);
        assert!(matcher.pair(detained, &fd, passports, &fp).is_none());
        // A fake video is the story's medium: it calls the story false.
        assert_eq!(fv.refuters, vec!["fake".to_string()]);
    });
}

#[test]
fn figures_in_a_unit_conflict_only_about_a_shared_name() {
    let all = claims(
        "The clerk said the firm's profit rose to 91.6 mln dlrs in 2024. \
         The auditor said the group's sales rose to 150.1 mln dlrs in 2024. \
         The mayor said Velmark Mining's profit rose to 91.6 mln dlrs in 2024. \
         The union said Velmark Mining's profit rose to 150.1 mln dlrs in 2024.",
    );
    let [profit, sales, velmark_a, velmark_b] = claims_of(
        &all,
        [
            "the firm's profit rose to 91.6 mln dlrs in 2024",
            "the group's sales rose to 150.1 mln dlrs in 2024",
            "Velmark Mining's profit rose to 91.6 mln dlrs in 2024",
            "Velmark Mining's profit rose to 150.1 mln dlrs in 2024",
        ],
    );
    with_matcher(|matcher| {
        let [fp, fs, fa, fb] = [profit, sales, velmark_a, velmark_b].map(|c| matcher.frame(c));
        // Figures in millions of dollars measure things named elsewhere:
        // a firm's profit and a group's sales do not conflict.
        assert!(matcher.pair(profit, &fp, sales, &fs).is_none());
        // Velmark Mining's profit, named on both sides, does.
        let pairing = matcher
            .pair(velmark_a, &fa, velmark_b, &fb)
            .expect("91.6 mln against 150.1 mln for Velmark Mining's profit");
        assert_eq!(pairing.kind, gainsay::model::PairKind::NumberConflict);
    });
}
