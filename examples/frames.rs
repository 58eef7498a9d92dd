use gainsay::{
    extract::{ExtractOptions, Extractor},
    matcher::Matcher,
    model::Document,
    rules::Rules,
};
fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let rules = Rules::builtin().unwrap();
    let ex = Extractor::with_options(&rules, ExtractOptions { statements: true });
    let m = Matcher::new(&rules);
    let mk = |t: &str| {
        ex.extract(&Document {
            key: "x".into(),
            title: None,
            outlet: None,
            url: None,
            published: Some("2025-03-05".into()),
            text: t.into(),
        })
    };
    let ca = mk(&a[0]);
    let cb = mk(&a[1]);
    for c in ca.iter().chain(cb.iter()) {
        println!(
            "{:?} S={:?} P={:?} O={:?} pol={} stance={}\n  {:?}",
            c.content.text,
            c.subject,
            c.predicate,
            c.object,
            c.polarity,
            c.stance,
            m.frame(c)
        );
    }
    for x in &ca {
        for y in &cb {
            println!(
                "PAIR: {:?}",
                m.pair(x, &m.frame(x), y, &m.frame(y)).map(|p| (
                    p.kind,
                    p.score,
                    p.evidence.reason
                ))
            );
        }
    }
}
