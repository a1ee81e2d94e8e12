//! Build script of the desktop shell: runs `tauri-build` against the
//! `tauri.conf.json` beside the root `Cargo.toml`.
//!
//! The shell's sources live in `src-tauri/` while the package root is the
//! repository root, so the capabilities directory is named explicitly (its
//! default would be `./capabilities` at the package root).

use std::path::Path;

fn main() {
    // `tauri::generate_context!()` embeds the built frontend; say how to make it.
    println!("cargo:rerun-if-changed=ui/dist");
    assert!(
        Path::new("ui/dist/index.html").exists(),
        "ui/dist/index.html is missing: build the frontend first with `make ui` \
         (or `npm install && npm run build` in ui/)"
    );

    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
