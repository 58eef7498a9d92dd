use gainsay::{rules::Rules, text::Segmented};
fn main() {
    let t = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let r = Rules::builtin().unwrap();
    let s = Segmented::new(&t, &r);
    for x in &s.sentences {
        println!("[{}] {:?}", x.paragraph, x.span.of(&t));
    }
}
