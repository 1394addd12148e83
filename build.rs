//! Lists the built-in rail corridor files (`gazetteer/rail/*.tsv`) for
//! `src/rail/corridor.rs` to embed, so that adding a corridor is adding a file.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("gazetteer/rail");
    println!("cargo:rerun-if-changed=gazetteer/rail");
    let mut files: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tsv"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed=gazetteer/rail/{f}");
        code.push_str(&format!(
            "    ({f:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/gazetteer/rail/{f}\"))),\n"
        ));
    }
    code.push(']');
    let out =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rail_corridors.rs");
    fs::write(out, code).expect("write the corridor list");
}
