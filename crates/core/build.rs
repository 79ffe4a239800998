//! Prepares the bundled font: BIZ UD Mincho as shipped in `fonts/`, with its hinting removed
//! (see `build/strip_hints.rs` for why). The result is compiled into the binary.

#[path = "build/strip_hints.rs"]
mod strip_hints;

#[expect(
    clippy::expect_used,
    reason = "a build script fails by panicking, and cargo always sets OUT_DIR"
)]
fn main() {
    let source = "../../fonts/BIZUDMincho-Regular.ttf";
    println!("cargo::rerun-if-changed={source}");
    println!("cargo::rerun-if-changed=build/strip_hints.rs");
    let font = std::fs::read(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let stripped =
        strip_hints::strip_hints(&font).unwrap_or_else(|e| panic!("{source}: malformed ({})", e.0));
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("BIZUDMincho-Regular.ttf"), stripped)
        .unwrap_or_else(|e| panic!("writing the bundled font: {e}"));
}
