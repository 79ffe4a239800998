//! The same two calls natively, for comparing bytes with the wasm build: writes OUT/native-*.
#[path = "../lib.rs"]
mod link_demo;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (font, text_file, out) = (&args[1], &args[2], &args[3]);
    let font = std::fs::read(font).unwrap();
    let text = std::fs::read_to_string(text_file).unwrap();
    std::fs::write(format!("{out}/native-font.zz"), link_demo::compress(&font, 6).unwrap()).unwrap();
    std::fs::write(format!("{out}/native-text.zz"), link_demo::compress(text.as_bytes(), 6).unwrap()).unwrap();
    std::fs::write(format!("{out}/native.pdf"), link_demo::pdf(&font, &text).unwrap()).unwrap();
}
