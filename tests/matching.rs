//! `gainsay check` on sentences written for these tests (fictional people
//! and places): each kind of opposition, each relation class, and the
//! evidence naming the words that carried it. Runs the real binary.

use serde::Deserialize;
use std::io::Write;
use std::process::Command;

#[derive(Debug, Deserialize)]
struct Evidence {
    reason: String,
    #[serde(default)]
    shared: Vec<String>,
    opposing: Vec<String>,
    rules: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Line {
    id: String,
    relation: String,
    score: f64,
    evidence: Evidence,
}

/// A long text with refuting words in three sentences: it debunks the
/// story of the wolf pack, and each claim about it is judged against it.
const DEBUNKING_TEXT: &str =
    "A story about a wolf pack and the Brenna school bus spread online on \
     Monday. It was shared thousands of times. The district answered questions from parents at \
     noon. The photo was fake, the district said. Its caption was made up as well. Police called \
     the whole thing a prank.";

/// A long text stating plainly that the mayor resigned: title-case claims
/// about it are judged against it.
const RESIGNATION_TEXT: &str = "Lorvik mayor Ilsa Brandt resigned on Monday over the housing \
     scandal. The council will meet on Friday to choose a successor. Brandt had led the town for \
     eight years. Her deputy will run the town until then.";

/// (id, claim, text, expected relation, a rule id or opposing word expected
/// in the evidence).
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "refutation",
        "The Harlow dam burst on Tuesday.",
        "Reports that the Harlow dam burst are a hoax, the water board said.",
        "contradicts",
        "hoax",
    ),
    (
        "not-true",
        "Velmark Mining poisoned the Ost river.",
        "Claims that Velmark Mining poisoned the Ost river are not true, inspectors found.",
        "contradicts",
        // The negator scopes over "true", not over the poisoning: the
        // refutation is the phrase.
        "not true",
    ),
    (
        "denial",
        "Mayor Ilsa Brandt resigned over the Lorvik housing scandal.",
        "Mayor Ilsa Brandt denied that she had resigned over the Lorvik housing scandal.",
        "contradicts",
        "cues/deny",
    ),
    (
        "negation",
        "The Kessmark ferry sank near Lorvik.",
        "The Kessmark ferry did not sink near Lorvik.",
        "contradicts",
        "lexicon/negators",
    ),
    (
        "opposing-predicates",
        "Norland will withdraw its troops from Valdoria.",
        "The Norland president said he would keep troops in Valdoria.",
        "contradicts",
        "opposites/withdraw-stay",
    ),
    (
        "numbers",
        "Twelve miners died in the Velmark mine collapse.",
        "Three miners died in the Velmark mine collapse, officials said.",
        "contradicts",
        "matcher/number",
    ),
    (
        "retraction",
        "Senator Oda Rusk took bribes from Velmark Mining.",
        "The Brenn Ledger retracted its story that Senator Oda Rusk took bribes from Velmark Mining.",
        "contradicts",
        "retracted",
    ),
    (
        "claim-calls-it-false",
        "Reports that the Harlow dam burst are a hoax.",
        "The Harlow dam burst on Tuesday, flooding the lower town.",
        "contradicts",
        "hoax",
    ),
    // After the lead, where a sentence decides only through the text as
    // a whole: a long text stating what the claim calls false contradicts
    // it; attributing it ("residents claim") or hedging sentence after
    // sentence, the text relays the story instead.
    (
        "claim-calls-false-what-a-long-text-states",
        "Reports that the Harlow dam burst are a hoax.",
        "Rain fell across the valley all week. The river rose on Monday. Schools closed \
         early. The Harlow dam burst on Tuesday, flooding the lower town. The board meets on \
         Friday.",
        "contradicts",
        "hoax",
    ),
    (
        "claim-calls-false-what-a-long-text-attributes",
        "Reports that the Harlow dam burst are a hoax.",
        "Rain fell across the valley all week. The river rose on Monday. Schools closed \
         early. Residents claim the Harlow dam burst on Tuesday, flooding the lower town. The \
         board meets on Friday.",
        "reports",
        "claim",
    ),
    (
        "claim-calls-false-what-a-hedging-long-text-tells",
        "Reports that the Harlow dam burst are a hoax.",
        "Rain may have fallen across the valley all week. The river possibly rose on Monday. \
         Schools were allegedly closed early. The Harlow dam burst on Tuesday, flooding the \
         lower town. The board meets on Friday.",
        "reports",
        "may",
    ),
    (
        "supports",
        "The Harlow dam burst on Tuesday.",
        "The Harlow dam burst on Tuesday, flooding the lower town.",
        "supports",
        "matcher/asserted",
    ),
    (
        "reports-adverb",
        "The Harlow dam burst on Tuesday.",
        "The Harlow dam reportedly burst on Tuesday.",
        "reports",
        "reportedly",
    ),
    (
        "reports-alleges",
        "The Harlow dam burst on Tuesday.",
        "Residents claim the Harlow dam burst on Tuesday.",
        "reports",
        "claim",
    ),
    (
        "reports-question",
        "The Harlow dam burst on Tuesday.",
        "Did the Harlow dam burst on Tuesday?",
        "reports",
        "?",
    ),
    (
        "reports-according-to",
        "The Harlow dam burst on Tuesday.",
        "According to the water board, the Harlow dam burst on Tuesday.",
        "reports",
        "according to",
    ),
    (
        "reports-long-text",
        "The Harlow dam burst on Tuesday.",
        "Heavy rain fell across the valley all week. The Harlow dam reportedly burst on Tuesday, \
         according to residents. The water board has not commented. Roads into the lower town \
         were closed. Schools will stay shut until Friday.",
        "reports",
        "reportedly",
    ),
    (
        "negated-predicate-of-the-subject",
        "Mayor Ilsa Brandt rescued the Lorvik ferry passengers.",
        "Mayor Ilsa Brandt is not the hero who pulled passengers from the Lorvik ferry",
        "contradicts",
        "lexicon/negators",
    ),
    (
        "elided-negation",
        "The Kessmark ferry will carry cars this winter.",
        "The Kessmark ferry carried cars in the trials, but won't when the winter timetable starts",
        "contradicts",
        "won't",
    ),
    (
        "adverb-does-not-hedge-a-negation",
        "The Harlow dam burst on Tuesday.",
        "Harlow dam apparently not burst after all",
        "contradicts",
        "not",
    ),
    (
        "modal-hedges-a-negation",
        "The Harlow dam burst on Tuesday.",
        "Harlow dam may not have burst, engineers say",
        "reports",
        "",
    ),
    (
        "dismissed-report",
        "The Harlow dam burst on Tuesday.",
        "Water board shoots down rumors the Harlow dam burst",
        "contradicts",
        "lexicon/dismissals",
    ),
    (
        "doubt-clause",
        "A meteor made the crater near Ostvik.",
        "Geologists doubt that a meteor made the crater near Ostvik",
        "contradicts",
        "doubt that",
    ),
    (
        "answer-after-a-question",
        "Senator Oda Rusk took bribes from Velmark Mining.",
        "Did Senator Oda Rusk take bribes from Velmark Mining? Probably not",
        "contradicts",
        "probably not",
    ),
    // "No." before a figure abbreviates "number"; standing alone it answers.
    (
        "numbered-no-is-no-answer",
        "The Brenna Quartet topped the Lorvik charts.",
        "The Brenna Quartet topped the Lorvik charts this week. Their last single reached No. \
         48 on the Lorvik charts in May. The band tours in spring. Tickets go on sale Friday.",
        "supports",
        "matcher/asserted",
    ),
    (
        "no-standing-alone-answers",
        "The Brenna Quartet topped the Lorvik charts.",
        "The Brenna Quartet topped the Lorvik charts? No.",
        "contradicts",
        "no",
    ),
    (
        "same-speaker-asserts",
        "A Lorvik bishop declared that card games are sinful.",
        "Lorvik bishop says card games are sinful",
        "supports",
        "matcher/asserted",
    ),
    (
        "other-speaker-relays",
        "A Lorvik bishop declared that card games are sinful.",
        "Lorvik councillor says card games are sinful",
        "reports",
        "",
    ),
    (
        "colon-credit-in-a-title-case-headline",
        "Velmark Mining poisoned the Ost river.",
        "Velmark Mining Poisoned The Ost River: Disturbing New Details",
        "supports",
        "matcher/asserted",
    ),
    (
        "possible-event-relays",
        "The Harlow dam burst on Tuesday.",
        "Possible burst at Harlow dam on Tuesday",
        "reports",
        "possible",
    ),
    (
        "apparent-event-relays",
        "Mayor Ilsa Brandt resigned over the Lorvik housing scandal.",
        "Apparent resignation of Mayor Ilsa Brandt over Lorvik housing scandal",
        "reports",
        "apparent",
    ),
    (
        "denying-claim-agrees-with-a-refuting-text",
        "Lorvik police deny reports that the Harlow dam burst.",
        "Reports that the Harlow dam burst are a hoax, the water board said.",
        "supports",
        "matcher/shared-denial",
    ),
    (
        "debunking-text-contradicts",
        "A wolf pack attacked the Brenna school bus.",
        DEBUNKING_TEXT,
        "contradicts",
        "matcher/debunking",
    ),
    (
        "debunking-text-supports-a-denial",
        "No wolf pack attacked the Brenna school bus.",
        DEBUNKING_TEXT,
        "supports",
        "matcher/shared-denial",
    ),
    // A question is answered by a debunking, not contradicted.
    (
        "debunking-text-answers-a-question",
        "Did a wolf pack attack the Brenna school bus?",
        DEBUNKING_TEXT,
        "reports",
        "",
    ),
    // ... and so is a claim that hedges the story: it states none to oppose.
    (
        "debunking-text-discusses-a-hedged-claim",
        "A wolf pack reportedly attacked the Brenna school bus.",
        DEBUNKING_TEXT,
        "reports",
        "",
    ),
    // An adjective that makes the claim's thing only alleged hedges it too.
    (
        "debunking-text-discusses-an-alleged-thing",
        "Alleged video of a wolf pack attacking the Brenna school bus surfaced.",
        DEBUNKING_TEXT,
        "reports",
        "",
    ),
    // A negation of knowing or telling about the event ("isn't sure
    // how") denies nothing.
    (
        "negated-knowing-denies-nothing",
        "Velmark Mining trucks are being used by rebels in Ostvald.",
        "Velmark Mining Isn't Sure How Rebels In Ostvald Ended Up With Its Trucks",
        "supports",
        "matcher/asserted",
    ),
    // ... while a negated event before such a word is still denied.
    (
        "negated-event-before-a-clause-of-time-denies",
        "A Velmark guard was killed when a bomb went off in Ostvald.",
        "Velmark Guard Wasn't Killed When Bomb Went Off In Ostvald",
        "contradicts",
        "lexicon/negators",
    ),
    (
        "another-figure-in-a-headline-contradicts",
        "Floods at Harlow killed 12 villagers on Tuesday.",
        "Floods at Harlow killed 9 villagers on Tuesday, the water board said.",
        "contradicts",
        "matcher/number",
    ),
    // In a long text another figure is mostly a detail (an earlier count).
    (
        "another-figure-in-a-long-text-does-not-decide",
        "Floods at Harlow killed 12 villagers on Tuesday.",
        "Floods at Harlow killed 9 villagers on Tuesday, the water board said. Rescue teams \
         searched the valley until dark. The board opened a hotline for families. Roads to \
         Harlow stayed closed on Wednesday.",
        "reports",
        "",
    ),
    (
        "one-refuting-sentence-in-a-long-text-disputes",
        "A wolf pack attacked the Brenna school bus.",
        "A wolf pack attacked the Brenna school bus on Monday. The driver kept the doors shut. \
         The children were taken home by noon. One photo shared online was fake.",
        "reports",
        "fake",
    ),
    // A long text opposing a claim it only finds relayed discusses the
    // report; the same text contradicts the claim stated plainly.
    (
        "long-text-opposing-a-relayed-claim-reports",
        "The Harlow mayor was reportedly arrested.",
        "The Harlow mayor was not arrested on Monday. She spent the day at the town hall. \
         Her office published the day's schedule. The council meets again on Friday.",
        "reports",
        "matcher/relayed-claim",
    ),
    (
        "long-text-opposing-a-stated-claim-contradicts",
        "The Harlow mayor was arrested.",
        "The Harlow mayor was not arrested on Monday. She spent the day at the town hall. \
         Her office published the day's schedule. The council meets again on Friday.",
        "contradicts",
        "lexicon/negators",
    ),
    (
        "long-text-stating-a-relayed-claim-reports",
        "The Harlow mayor was reportedly arrested.",
        "The Harlow mayor was arrested on Monday. She spent the night at the town hall. \
         Her office published the day's schedule. The council meets again on Friday.",
        "reports",
        "matcher/relayed-claim",
    ),
    (
        "long-text-stating-a-claim-supports",
        "The Harlow mayor was arrested.",
        "The Harlow mayor was arrested on Monday. She spent the night at the town hall. \
         Her office published the day's schedule. The council meets again on Friday.",
        "supports",
        "matcher/asserted",
    ),
    // A lead that credits the story to someone relays it; crediting it
    // further on is how a long text goes on.
    (
        "attribution-in-the-lead-relays",
        "The Harlow mayor was arrested.",
        "Police said the Harlow mayor was arrested on Monday. She spent the night at the \
         town hall. Her office published the day's schedule. The council meets again on Friday.",
        "reports",
        "said",
    ),
    (
        "attribution-after-the-lead-asserts",
        "The Harlow mayor was arrested.",
        "Rain fell across the valley all week. The river rose on Monday. Schools closed early. \
         The Harlow mayor was arrested on Monday, the police said. The council meets on Friday.",
        "supports",
        "matcher/asserted",
    ),
    // "said to have" alleges wherever it stands; "said" alone does not.
    (
        "said-to-have-after-the-lead-relays",
        "The Harlow mayor was arrested.",
        "Rain fell across the valley all week. The river rose on Monday. Schools closed early. \
         The Harlow mayor is said to have been arrested on Monday. The council meets on Friday.",
        "reports",
        "",
    ),
    // Plain in the sentence carrying the claim, hedged all around it.
    (
        "long-text-hedging-throughout-reports",
        "A lynx escaped from the Brenna zoo.",
        "A lynx escaped from the Brenna zoo on Sunday. Keepers may have left a gate open. \
         The animal was possibly seen near the river. Visitors were allegedly told to stay \
         indoors. The zoo reopens on Friday.",
        "reports",
        "may",
    ),
    (
        "long-text-hedging-once-asserts",
        "A lynx escaped from the Brenna zoo.",
        "A lynx escaped from the Brenna zoo on Sunday. Keepers may have left a gate open. \
         The animal was seen near the river. Visitors were told to stay indoors. The zoo \
         reopens on Friday.",
        "supports",
        "matcher/asserted",
    ),
    // Refuting words after the lead, in fewer sentences than a debunking.
    (
        "two-refuting-sentences-after-the-lead-dispute",
        "A wolf pack attacked the Brenna school bus.",
        "Parents gathered at the Brenna school on Monday. The driver kept the doors shut. \
         The children were taken home by noon. A photo of the wolf pack attacking the Brenna \
         school bus was fake. A clip of the wolf pack attacking the Brenna school bus was fake \
         too.",
        "reports",
        "fake",
    ),
    (
        "long-text-without-refuting-words-asserts",
        "A wolf pack attacked the Brenna school bus.",
        "A wolf pack attacked the Brenna school bus on Monday. The driver kept the doors shut. \
         The children were taken home by noon. Classes resume on Thursday.",
        "supports",
        "matcher/asserted",
    ),
    // A headline of several sentences is read whole: its first sentence
    // alone ("Shocking!", "Lorvik mayor dead?") says little or the opposite.
    (
        "headline-exclamation-then-claim",
        "Shocking! Brenna farmers sell their prize bull to pay for a daughter's heart surgery",
        "Two Brenna farmers sold their prize bull at the county fair to pay for their \
         daughter's heart surgery. The bull fetched a record price. The surgery is planned for \
         March at the Lorvik clinic. Neighbours had offered to help with the costs.",
        "supports",
        "matcher/asserted",
    ),
    (
        "headline-question-then-hoax-shares-the-denial",
        "Lorvik mayor dead? Internet falls for another death hoax",
        "Reports that the Lorvik mayor died on Sunday are a hoax, his office said.",
        "supports",
        "matcher/shared-denial",
    ),
    (
        "headline-question-then-hoax-against-a-report",
        "Lorvik mayor dead? Internet falls for another death hoax",
        "The Lorvik mayor died on Sunday at his home, his office said. He was 71. The council \
         will meet on Monday to choose an acting mayor. Flags flew at half mast over the town \
         hall.",
        "contradicts",
        "hoax",
    ),
    // Hyphenated compounds meet their parts written apart.
    (
        "hyphenated-names-meet-their-parts",
        "Al-Karim seizes Ost-Valdoria crossing",
        "Fighters of the Al Karim militia took the border crossing between Ost and Valdoria \
         on Monday. Guards fled before dawn. Trucks were turned back at the gate. The post had \
         been open for a decade.",
        "supports",
        "matcher/asserted",
    ),
    // A claim that calls the story false agrees with a long text that does
    // too somewhere, however hedged its telling, unless it attributes it.
    (
        "negated-claim-hedged-text-refuting-later-shares-the-denial",
        "No, the Lorvik mayor has not resigned",
        "The Lorvik mayor may have resigned over the housing scandal on Monday. Crowds \
         gathered outside the town hall. By evening the rumour had spread to Brenna. The \
         mayor's office called the story a hoax and said he would chair Tuesday's council \
         meeting.",
        "supports",
        "matcher/shared-denial",
    ),
    (
        "hoax-claim-hedged-text-refuting-later-shares-the-denial",
        "Brenna zoo lynx escape is a hoax",
        "A lynx possibly escaped from the Brenna zoo on Sunday. Visitors were told to stay \
         indoors. Keepers searched the grounds all night. The zoo later said the escape was a \
         hoax staged by students.",
        "supports",
        "hoax",
    ),
    (
        "hoax-claim-text-attributing-the-story-relays-it",
        "Brenna zoo lynx escape is a hoax",
        "Residents claim a lynx possibly escaped from the Brenna zoo on Sunday. Visitors were \
         told to stay indoors. Keepers searched the grounds all night. A blogger later called \
         the escape a hoax staged by students.",
        "reports",
        "residents",
    ),
    // A claim naming who said it is about the saying: a long text stating
    // it plainly asserts it; a hedged one ("reportedly says") stays relayed.
    (
        "plainly-attributed-claim-stated-by-a-long-text",
        "Bishop Anton Weil says the Lorvik chapel will reopen at Easter",
        "The Lorvik chapel will reopen at Easter after two years of repairs. The roof was \
         rebuilt with oak from Brenna. Bishop Anton Weil will lead the first service. Tickets \
         are free.",
        "supports",
        "matcher/asserted",
    ),
    (
        "hedged-attributed-claim-stated-by-a-long-text",
        "Bishop Anton Weil reportedly says the Lorvik chapel will reopen at Easter",
        "The Lorvik chapel will reopen at Easter after two years of repairs. The roof was \
         rebuilt with oak from Brenna. Bishop Anton Weil will lead the first service. Tickets \
         are free.",
        "reports",
        "matcher/relayed-claim",
    ),
    // A negative claim is not contradicted by a text negating it too.
    (
        "negative-claim-negative-text-agree",
        "Missing Lorvik miners not among bodies found in the Ost quarry",
        "The bodies found in the Ost quarry were confirmed not to be the missing Lorvik miners.",
        "supports",
        "matcher/asserted",
    ),
    (
        "positive-claim-negative-text-contradicts",
        "Missing Lorvik miners found in the Ost quarry",
        "The bodies found in the Ost quarry were confirmed not to be the missing Lorvik miners.",
        "contradicts",
        "lexicon/negators",
    ),
    // A reporting verb in the passive with a complement ("was declared
    // clinically dead") is no cue: the speaker is the whole noun phrase,
    // the same as the headline's, which asserts the claim again.
    (
        "passive-cue-inside-the-speaker",
        "A Lorvik priest who was declared clinically dead says he met the river spirit.",
        "Lorvik priest claims he met the river spirit after clinical death",
        "supports",
        "matcher/asserted",
    ),
    // A title-case headline in which the claim's speaker says it again
    // ("Claims" is not read as a cue there) asserts the claim; other
    // hedging in it still relays it.
    (
        "title-case-speaker-says-it-again",
        "A Lorvik priest who was declared clinically dead says he met the river spirit.",
        "Lorvik Priest Claims He Met The River Spirit After Clinical Death",
        "supports",
        "matcher/asserted",
    ),
    (
        "title-case-speaker-says-it-again-hedged",
        "A Lorvik priest who was declared clinically dead says he met the river spirit.",
        "Lorvik Priest Reportedly Claims He Met The River Spirit After Clinical Death",
        "reports",
        "reportedly",
    ),
    // Weighing or forecasting an event is not stating it.
    (
        "deliberation-relays",
        "Kessmark Air will ban reclining seats on its Lorvik flights.",
        "Kessmark Air considering ban on reclining seats on Lorvik flights",
        "reports",
        "considering",
    ),
    (
        "forecast-relays",
        "Velmark will sell two million tonnes of ore this year.",
        "Brenn bank forecasts Velmark ore sales of two million tonnes this year",
        "reports",
        "forecasts",
    ),
    // A negated refuting word refutes nothing, in the frame as in the
    // sentence's cues.
    (
        "negated-refuter",
        "A Lorvik woman had a third ear implanted.",
        "Lorvik woman with third ear vows implant footage will prove it is no hoax",
        "supports",
        "matcher/asserted",
    ),
    (
        "retracts",
        "Senator Oda Rusk took bribes from Velmark Mining.",
        "Brenn Ledger retracts claim that Senator Oda Rusk took bribes from Velmark",
        "contradicts",
        "lexicon/retractions",
    ),
    // A text going on "despite" or "contrary to" a story's reports
    // dismisses them.
    (
        "despite-rumours",
        "Lorvik mayor Ilsa Brandt has died.",
        "Lorvik mayor Ilsa Brandt opens the harbour fair despite death rumours",
        "contradicts",
        "lexicon/dismissals",
    ),
    (
        "contrary-to-reports",
        "Lorvik mayor Ilsa Brandt has died.",
        "Contrary to reports, Lorvik mayor Ilsa Brandt opened the harbour fair",
        "contradicts",
        "lexicon/dismissals",
    ),
    // A question someone is reported asking is no question of the
    // headline's; one asked by inversion is.
    (
        "reported-question",
        "A Brenna teenager woke up during brain surgery and chatted with the surgeons.",
        "Brenna teen wakes up during brain surgery and asks surgeons How's it going?",
        "supports",
        "matcher/asserted",
    ),
    (
        "inverted-question",
        "A Brenna teenager woke up during brain surgery and chatted with the surgeons.",
        "Did the Brenna teen wake up during brain surgery and ask surgeons how it was going?",
        "reports",
        "?",
    ),
    // A headline stating plainly what the claim only hedges takes up the
    // report (FNC-1's "discuss", as for long texts); the same headline
    // asserts the plain claim.
    (
        "headline-takes-up-hedged-claim",
        "Lorvik mayor Ilsa Brandt reportedly resigned over the housing scandal",
        "Lorvik mayor Ilsa Brandt resigns over housing scandal",
        "reports",
        "matcher/relayed-claim",
    ),
    (
        "headline-asserts-plain-claim",
        "Lorvik mayor Ilsa Brandt resigned over the housing scandal",
        "Lorvik mayor Ilsa Brandt resigns over housing scandal",
        "supports",
        "matcher/asserted",
    ),
    // A hedging word makes a claim a relayed one wherever it stands, also
    // capitalised in a title-case headline.
    (
        "title-case-hedged-claim",
        "Lorvik Mayor Ilsa Brandt Reportedly Resigns Over Housing Scandal",
        RESIGNATION_TEXT,
        "reports",
        "matcher/relayed-claim",
    ),
    (
        "title-case-plain-claim",
        "Lorvik Mayor Ilsa Brandt Resigns Over Housing Scandal",
        RESIGNATION_TEXT,
        "supports",
        "matcher/asserted",
    ),
    // A headline opening with a speaker and a colon credits what follows
    // to the speaker; a topic before the colon does not.
    (
        "lead-credit",
        "Velmark Mining poisoned the Ost river.",
        "Brenn lawmaker: Velmark Mining poisoned the Ost river",
        "reports",
        "Brenn lawmaker",
    ),
    (
        "lead-topic",
        "Velmark Mining poisoned the Ost river.",
        "Ost river: Velmark Mining poisoned it for years",
        "supports",
        "matcher/asserted",
    ),
    // A long text whose lead hedges in two sentences tells the story as
    // unconfirmed, however plainly its first sentence states it.
    (
        "hedged-lead",
        "Velmark Mining poisoned the Ost river.",
        "Velmark Mining poisoned the Ost river last spring. Dead fish may have been found \
         near the weir weeks before. Two anglers reportedly fell ill. The mine is closed on \
         Sundays. Its owners meet in Brenn next week.",
        "reports",
        "reportedly",
    ),
    (
        "plain-lead",
        "Velmark Mining poisoned the Ost river.",
        "Velmark Mining poisoned the Ost river last spring. Dead fish were found near the weir \
         weeks before. Two anglers fell ill. The mine is closed on Sundays. Its owners meet in \
         Brenn next week.",
        "supports",
        "matcher/asserted",
    ),
    // In a long text, hedging decides in the lead: a later sentence
    // hedging a detail does not make a plain lead a relayed one.
    (
        "hedge-after-the-lead",
        "Velmark Mining poisoned the Ost river.",
        "Velmark Mining poisoned the Ost river last spring. Dead fish were found near the \
         weir. Two anglers fell ill. The mine is closed on Sundays. Velmark Mining may have \
         to pay for poisoning the Ost river.",
        "supports",
        "matcher/asserted",
    ),
    (
        "hedge-in-the-lead",
        "Velmark Mining poisoned the Ost river.",
        "Velmark Mining may have poisoned the Ost river last spring. Dead fish were found near \
         the weir. Two anglers fell ill. The mine is closed on Sundays. Velmark Mining will \
         have to pay for the Ost river.",
        "reports",
        "may",
    ),
    // Words that hedge or refute in one sense and not in another.
    (
        "may-the-month",
        "The Orlo bridge reopened after the flood.",
        "The Orlo bridge reopened on May 5 after the flood.",
        "supports",
        "matcher/asserted",
    ),
    (
        "may-the-modal",
        "The Orlo bridge reopened after the flood.",
        "The Orlo bridge may have reopened after the flood.",
        "reports",
        "may",
    ),
    (
        "weighing-a-measure",
        "A Kessel angler caught a giant catfish.",
        "Kessel angler catches giant catfish weighing 120 kilograms",
        "supports",
        "matcher/asserted",
    ),
    (
        "weighing-a-prospect",
        "Velmark Mining will close the Ost mine.",
        "Velmark Mining weighing closure of Ost mine",
        "reports",
        "weighing",
    ),
    (
        "lies-a-position",
        "The Lorvik council cut the school budget.",
        "The Lorvik council cut the school budget. The problem lies in the housing costs.",
        "supports",
        "matcher/asserted",
    ),
    (
        "lies-a-refutation",
        "The Lorvik council cut the school budget.",
        "Lies: the Lorvik council never cut the school budget.",
        "contradicts",
        "",
    ),
    (
        "not-only-focuses",
        "Mayor Ilsa Brandt resigned over the Lorvik housing scandal.",
        "Mayor Ilsa Brandt not only resigned over the Lorvik housing scandal but also left \
         the party.",
        "supports",
        "matcher/asserted",
    ),
    (
        "but-not-negates",
        "Velmark Mining closed the Ost mine to cut costs.",
        "Velmark Mining closed the Ost mine, but not to cut costs.",
        "contradicts",
        "not",
    ),
    (
        "failed-to",
        "The Lorvik council passed the housing bill.",
        "The Lorvik council failed to pass the housing bill.",
        "contradicts",
        "failed",
    ),
    (
        "refused-to",
        "Mayor Ilsa Brandt resigned over the Lorvik housing scandal.",
        "Mayor Ilsa Brandt refused to resign over the Lorvik housing scandal.",
        "contradicts",
        "refused",
    ),
    (
        "declined-to-comment",
        "Mayor Ilsa Brandt resigned over the Lorvik housing scandal.",
        "Mayor Ilsa Brandt resigned over the Lorvik housing scandal and declined to comment.",
        "supports",
        "matcher/asserted",
    ),
    (
        "could-not-confirm",
        "Velmark Mining poisoned the Ost river.",
        "The water board could not confirm that Velmark Mining poisoned the Ost river.",
        "reports",
        "not confirm",
    ),
    (
        "not-verified",
        "Velmark Mining poisoned the Ost river.",
        "A video said to show Velmark Mining poisoning the Ost river has not been \
         independently verified.",
        "reports",
        "not verified",
    ),
    (
        "declined-to-confirm",
        "Velmark Mining poisoned the Ost river.",
        "Inspectors declined to confirm that Velmark Mining poisoned the Ost river.",
        "reports",
        "declined confirm",
    ),
    (
        "unclear-whether",
        "Velmark Mining poisoned the Ost river.",
        "It is unclear whether Velmark Mining poisoned the Ost river.",
        "reports",
        "unclear",
    ),
    // An unnamed source is a credit when a saying word goes with it or it
    // closes the headline after a comma; elsewhere a participant.
    (
        "officials-as-participants",
        "The Brenna ferry sank in the storm.",
        "Brenna ferry sinks in storm, stunning officials in the port",
        "supports",
        "matcher/asserted",
    ),
    (
        "officials-as-a-credit",
        "The Brenna ferry sank in the storm.",
        "Brenna ferry sank in the storm, officials",
        "reports",
        "officials",
    ),
    (
        "sources-suggest",
        "The Brenna ferry sank in the storm.",
        "Brenna ferry sank in the storm, port source suggests",
        "reports",
        "source",
    ),
    (
        "unrelated-shared-day",
        "The Harlow dam burst on Tuesday.",
        "The Lorvik choir sang carols on Tuesday.",
        "unrelated",
        "",
    ),
    (
        "unrelated-long-text",
        "Mayor Ilsa Brandt resigned over the Lorvik housing scandal.",
        "The Kessmark ferry resumed its winter timetable. Crossings to Lorvik now leave every \
         hour. The operator said new boats would arrive in the spring. Fares will not change.",
        "unrelated",
        "",
    ),
];

/// Runs gainsay with `args`, checks that it succeeded (showing its
/// stderr if not), and gives its stdout.
fn gainsay_ok<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gainsay"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The JSON lines `check --pairs` writes.
fn pair_lines(stdout: &str) -> Vec<Line> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line per pair"))
        .collect()
}

fn run_pairs() -> Vec<Line> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pairs.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    for (id, claim, text, _, _) in CASES {
        let line = serde_json::json!({"id": id, "claim": claim, "text": text});
        writeln!(f, "{line}").unwrap();
    }
    drop(f);
    pair_lines(&gainsay_ok([
        "check".as_ref(),
        "--pairs".as_ref(),
        path.as_os_str(),
    ]))
}

#[test]
fn each_opposition_kind_and_relation_class() {
    let lines = run_pairs();
    assert_eq!(lines.len(), CASES.len(), "one line per pair, in order");
    let mut wrong = Vec::new();
    for ((id, _, _, relation, carried), line) in CASES.iter().zip(&lines) {
        assert_eq!(&line.id, id);
        assert!((0.0..=1.0).contains(&line.score), "{line:?}");
        if line.relation != *relation {
            wrong.push(format!(
                "{id}: {} instead of {relation}: {line:?}",
                line.relation
            ));
            continue;
        }
        if carried.is_empty() {
            continue;
        }
        let in_evidence = line.evidence.rules.iter().any(|r| r == carried)
            || line
                .evidence
                .opposing
                .iter()
                .any(|w| w.eq_ignore_ascii_case(carried));
        if !in_evidence {
            wrong.push(format!("{id}: evidence lacks '{carried}': {line:?}"));
        }
        if *relation != "unrelated" && line.evidence.reason.is_empty() {
            wrong.push(format!("{id}: no reason given"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn shared_words_are_shown_as_written() {
    // Matched as lemmas and lowercase keys ("sink", "kessmark"), shown as
    // the claims wrote them.
    let lines = run_pairs();
    let negation = lines.iter().find(|l| l.id == "negation").unwrap();
    let shared = &negation.evidence.shared;
    for written in ["Kessmark", "ferry", "Lorvik", "sank"] {
        assert!(shared.iter().any(|w| w == written), "{written}: {shared:?}");
    }
    // Where both sides write a word, the claim's wording is shown, whether
    // or not it is the word's key ("ferry", not the text's "ferries").
    let line = serde_json::json!({
        "id": "n",
        "claim": "The Kessmark ferry sank near Lorvik.",
        "text": "Two Kessmark ferries did not sink near Lorvik.",
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pair.jsonl");
    std::fs::write(&path, format!("{line}\n")).unwrap();
    let stdout = gainsay_ok(["check".as_ref(), "--pairs".as_ref(), path.as_os_str()]);
    let shared = &pair_lines(&stdout)[0].evidence.shared;
    assert!(shared.iter().any(|w| w == "ferry"), "{shared:?}");
    assert!(!shared.iter().any(|w| w == "ferries"), "{shared:?}");
}

#[test]
fn check_against_a_file_lists_the_contradiction_first() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("harlow.txt");
    std::fs::write(
        &article,
        "Residents claim the Harlow dam burst on Tuesday. \
         The water board said reports that the Harlow dam burst were a hoax.\n",
    )
    .unwrap();
    let stdout = gainsay_ok([
        "--format".as_ref(),
        "csv".as_ref(),
        "check".as_ref(),
        "The Harlow dam burst on Tuesday.".as_ref(),
        article.as_os_str(),
    ]);
    let rows: Vec<&str> = stdout.lines().skip(1).collect();
    assert!(rows.len() >= 2, "{stdout}");
    assert!(rows[0].starts_with("contradicts,"), "{stdout}");
    assert!(rows.iter().any(|r| r.starts_with("reports,")), "{stdout}");

    let unrelated = Command::new(env!("CARGO_BIN_EXE_gainsay"))
        .args(["check", "The Velmark mine reopened."])
        .arg(&article)
        .output()
        .unwrap();
    assert_eq!(unrelated.status.code(), Some(1), "nothing found exits 1");
}

/// "No." before a figure abbreviates "number": a claim that a single
/// reached No. 48 is positive, and one that it did not reach the chart
/// negates it.
#[test]
fn no_before_a_figure_leaves_a_claim_positive() {
    use gainsay::extract::Extractor;
    use gainsay::matcher::Matcher;
    use gainsay::model::{Document, PairKind};
    use gainsay::rules::Rules;
    let rules = Rules::builtin().unwrap();
    let (extractor, matcher) = (Extractor::new(&rules), Matcher::new(&rules));
    let doc = |key: &str, text: &str| Document {
        key: key.into(),
        title: None,
        outlet: None,
        url: None,
        published: None,
        text: text.into(),
    };
    let a = extractor.extract(&doc(
        "a",
        "The Brenna Quartet said their single reached No. 48 on the Lorvik chart.",
    ));
    let b = extractor.extract(&doc(
        "b",
        "The label said the Brenna Quartet single did not reach the Lorvik chart.",
    ));
    let (a, b) = (&a[0], &b[0]);
    let (fa, fb) = (matcher.frame(a), matcher.frame(b));
    assert!(!fa.negative && fb.negative, "{fa:?}\n{fb:?}");
    assert_eq!(fa.negator, None);
    let p = matcher.pair(a, &fa, b, &fb).expect("opposed");
    assert_eq!(p.kind, PairKind::Negation);
}

/// A long text retelling a claim in other words shares only a few of its
/// terms: related all the same. Run alone, so that term weights come from
/// this pair only.
#[test]
fn a_retelling_in_other_words_is_related() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pairs.jsonl");
    let line = serde_json::json!({
        "id": "retold",
        "claim": "Brenna cathedral choir and conductor take national carol singing contest \
                  trophy and gold medal",
        "text": "The Brenna choir and its conductor came first in the country's biggest \
                 singing competition on Friday. The singers were handed a silver cup. Tickets \
                 for the winners' concert sold out within hours. A recording will be released \
                 in spring.",
    });
    std::fs::write(&path, format!("{line}\n")).unwrap();
    let stdout = gainsay_ok(["check".as_ref(), "--pairs".as_ref(), path.as_os_str()]);
    let line: Line = serde_json::from_str(&stdout).unwrap();
    assert_eq!(line.relation, "supports", "{line:?}");
    assert!(
        line.score < 0.3,
        "the case is meant to sit below 0.3: {line:?}"
    );
}

/// Pairs written for the known-related tests: a denial and a refutation
/// sharing no word with the claim, a plain and a relayed account in other
/// words, and a pair whose words align.
const KNOWN_RELATED: &[(&str, &str, &str)] = &[
    (
        "denial",
        "Mayor Ilsa Brandt resigned over the Lorvik housing scandal.",
        "Town hall denies the rumours.",
    ),
    (
        "refutation",
        "Mayor Ilsa Brandt resigned over the Lorvik housing scandal.",
        "A spokesman called the story a hoax.",
    ),
    (
        "plain",
        "The Harlow dam burst on Tuesday.",
        "Thousands flee as floodwater sweeps through valley villages",
    ),
    (
        "relayed",
        "The Harlow dam burst on Tuesday.",
        "Villagers say floodwater swept through the valley overnight",
    ),
    (
        "aligned",
        "The Harlow dam burst on Tuesday.",
        "Reports that the Harlow dam burst are a hoax, the water board said.",
    ),
];

/// `check --pairs` over [`KNOWN_RELATED`], with `args` added and `related`
/// set on the lines whose ids it names.
fn run_known_related(args: &[&str], related: &[&str]) -> Vec<Line> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pairs.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    for (id, claim, text) in KNOWN_RELATED {
        let mut line = serde_json::json!({"id": id, "claim": claim, "text": text});
        if related.contains(id) {
            line["related"] = serde_json::Value::Bool(true);
        }
        writeln!(f, "{line}").unwrap();
    }
    drop(f);
    let mut command: Vec<&std::ffi::OsStr> =
        vec!["check".as_ref(), "--pairs".as_ref(), path.as_os_str()];
    command.extend(args.iter().map(std::ffi::OsStr::new));
    let lines = pair_lines(&gainsay_ok(command));
    assert_eq!(lines.len(), KNOWN_RELATED.len());
    lines
}

fn relations(lines: &[Line]) -> Vec<(&str, &str)> {
    lines
        .iter()
        .map(|l| (l.id.as_str(), l.relation.as_str()))
        .collect()
}

/// By default, texts sharing no word with the claim are unrelated; with
/// `--related` each is known to be about its claim and gets a stance from
/// its cues (a denial or a refutation contradicts without a shared word),
/// and the evidence says the relation was decided under that assumption.
/// A pair whose words align is judged as before.
#[test]
fn related_mode_decides_a_stance_for_texts_known_to_be_about_the_claim() {
    let default = run_known_related(&[], &[]);
    assert_eq!(
        relations(&default),
        [
            ("denial", "unrelated"),
            ("refutation", "unrelated"),
            ("plain", "unrelated"),
            ("relayed", "unrelated"),
            ("aligned", "contradicts"),
        ]
    );
    assert!(default.iter().all(|l| !l
        .evidence
        .rules
        .iter()
        .any(|r| r == "matcher/known-related")));

    let related = run_known_related(&["--related"], &[]);
    assert_eq!(
        relations(&related),
        [
            ("denial", "contradicts"),
            ("refutation", "contradicts"),
            ("plain", "supports"),
            ("relayed", "reports"),
            ("aligned", "contradicts"),
        ]
    );
    for line in &related[..4] {
        let rules = &line.evidence.rules;
        assert!(
            rules.iter().any(|r| r == "matcher/known-related"),
            "{line:?}"
        );
        assert!(
            line.evidence.reason.contains("known to be about the claim"),
            "{line:?}"
        );
    }
    assert!(related[0].evidence.rules.iter().any(|r| r == "cues/deny"));
    assert!(related[1].evidence.opposing.iter().any(|w| w == "hoax"));
    assert!(related[3].evidence.opposing.iter().any(|w| w == "say"));
    // An aligned pair: the same relation, score and evidence either way.
    let (a, b) = (&default[4], &related[4]);
    assert_eq!((a.score, &a.evidence.rules), (b.score, &b.evidence.rules));
    assert_eq!(a.evidence.reason, b.evidence.reason);
}

/// `"related": true` on a line is the flag for that pair alone.
#[test]
fn a_line_can_say_its_text_is_related() {
    let lines = run_known_related(&[], &["denial", "relayed"]);
    assert_eq!(
        relations(&lines),
        [
            ("denial", "contradicts"),
            ("refutation", "unrelated"),
            ("plain", "unrelated"),
            ("relayed", "reports"),
            ("aligned", "contradicts"),
        ]
    );
}

/// `eval emergent` relates each headline as known to be about its claim
/// (Emergent has no unrelated class) and says so.
#[test]
fn eval_emergent_takes_each_headline_as_related() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("emergent.csv");
    std::fs::write(
        &file,
        "claimHeadline,articleHeadline,articleHeadlineStance\n\
         Mayor Ilsa Brandt resigned over the Lorvik housing scandal.,Town hall denies the rumours.,against\n\
         The Harlow dam burst on Tuesday.,Villagers say floodwater swept through the valley overnight,observing\n",
    )
    .unwrap();
    let stdout = gainsay_ok(["eval".as_ref(), "emergent".as_ref(), file.as_os_str()]);
    assert!(stdout.contains("accuracy 1.000 (2 of 2)"), "{stdout}");
    assert!(stdout.contains("known to be about its claim"), "{stdout}");
}

#[test]
fn check_help_documents_the_related_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_gainsay"))
        .args(["check", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("--related"), "{help}");
    assert!(help.contains("known to be about its claim"), "{help}");
}

#[test]
fn related_without_pairs_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_gainsay"))
        .args(["check", "--related", "The mayor resigned."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--related applies to --pairs"), "{err}");
}
