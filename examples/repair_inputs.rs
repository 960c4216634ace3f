//! Writes the repair benches' inputs (`benches/common`), at their three sizes,
//! to files in a folder (dev aid, for `repair_time` under callgrind):
//! `repair_inputs DIR` writes `DIR/NAME-SIZE.txt`.

#[path = "../benches/common/mod.rs"]
mod inputs;

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir)?;
    for (name, text) in inputs::repair_inputs() {
        for size in inputs::SIZES {
            let path = dir.join(format!("{name}-{size}.txt"));
            std::fs::write(&path, inputs::sized(&text, size))?;
            println!("{}", path.display());
        }
    }
    Ok(())
}
