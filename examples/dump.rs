use gainsay::{extract::Extractor, model::Document, rules::Rules};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let rules = Rules::builtin().unwrap();
    let doc = Document {
        key: path.clone(),
        title: None,
        outlet: None,
        url: None,
        published: Some("2019-02-07".into()),
        text,
    };
    for c in Extractor::new(&rules).extract(&doc) {
        println!("[{}] {} | cue={:?} | src={:?} canon={:?} role={:?} aff={:?} mention={:?} | ch={:?} | pol={} q={} | S={:?} P={:?} O={:?} times={:?}\n   CONTENT: {}\n",
          c.id, c.stance, c.cue.as_ref().map(|x| &x.text), c.source.as_ref().map(|s| &s.text), c.source.as_ref().map(|s| &s.canonical), c.source.as_ref().and_then(|s| s.role.clone()), c.source.as_ref().and_then(|s| s.affiliation.clone()), c.source.as_ref().and_then(|s| s.mention.as_ref().map(|m| m.text.clone())), c.channel, c.polarity, c.quote, c.subject, c.predicate, c.object, c.times.iter().map(|t| (&t.text, &t.date)).collect::<Vec<_>>(), c.content.text);
    }
}
