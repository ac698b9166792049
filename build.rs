//! Turns grammar/toy.lalrpop into the parser module included by src/syntax/parse.rs
//! (written to $OUT_DIR/toy.rs).

fn main() {
    println!("cargo:rerun-if-changed=grammar");
    println!("cargo:rerun-if-changed=build.rs");
    lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .process()
        .expect("lalrpop failed to process grammar/toy.lalrpop");
}
