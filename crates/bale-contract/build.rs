//! Embeds the committed shape snapshots (`snapshots/shapes/*.snap`) so that
//! `bale-mock contract` checks a target against exactly what the tests pin, with no checkout.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../snapshots/shapes");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|path| path.extension().is_some_and(|ext| ext == "snap"));
    files.sort();
    let mut table = String::from("&[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let path = path.canonicalize().unwrap_or(path);
        writeln!(table, "    ({name:?}, include_str!({:?})),", path.display()).unwrap();
    }
    table.push(']');
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("snapshots.rs");
    fs::write(out, table).unwrap();
}
