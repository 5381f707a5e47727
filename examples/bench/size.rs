//! Section 1, shipped size: every `.wasm` and `.js` file in `dist/`, raw and as `brotli -q 11`
//! would serve it, against the 200 kB target.

use crate::report::{Table, pass, thousands};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The target: what a phone downloads on first visit, wasm plus its JS glue, brotli-compressed.
/// kB is SI here: 200,000 bytes.
const TARGET_BROTLI_BYTES: u64 = 200_000;

pub fn run(dist: &Path) -> Result<(), String> {
    println!("1. Shipped size (dist/, every .wasm and .js; `brotli -c -q 11`)");
    let mut files = Vec::new();
    collect(dist, &mut files)?;
    files.sort();
    if !files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "wasm"))
    {
        return Err(format!(
            "{} holds no .wasm file: build the app first (`make app`)",
            dist.display()
        ));
    }
    let mut table = Table::new(&["file", "raw bytes", "brotli bytes"]);
    let (mut raw_total, mut brotli_total) = (0, 0);
    for file in &files {
        let raw = std::fs::metadata(file)
            .map_err(|e| format!("{}: {e}", file.display()))?
            .len();
        let compressed = brotli_size(file)?;
        raw_total += raw;
        brotli_total += compressed;
        let name = file
            .strip_prefix(dist)
            .unwrap_or(file)
            .display()
            .to_string();
        table.row(vec![name, thousands(raw), thousands(compressed)]);
    }
    table.row(vec![
        "total".into(),
        thousands(raw_total),
        thousands(brotli_total),
    ]);
    table.print(3);
    println!(
        "   target ≤ 200 kB brotli (wasm + js; 200,000 bytes): {} bytes ({:.1} kB)   {}",
        thousands(brotli_total),
        brotli_total as f64 / 1000.0,
        pass(brotli_total <= TARGET_BROTLI_BYTES)
    );
    Ok(())
}

/// Every `.wasm` and `.js` under `dir` (Trunk may put snippets in subfolders).
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "wasm" || e == "js") {
            out.push(path);
        }
    }
    Ok(())
}

/// The byte count of `brotli -c -q 11 FILE`, the quality a static host precompresses with.
fn brotli_size(file: &Path) -> Result<u64, String> {
    let output = Command::new("brotli")
        .args(["-c", "-q", "11"])
        .arg(file)
        .output()
        .map_err(|e| format!("cannot run brotli ({e}): `make install-brotli`"))?;
    if !output.status.success() {
        return Err(format!(
            "brotli failed on {}: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout.len() as u64)
}
