//! The time importers (Toggl Track, Clockify, Harvest, generic CSV) on any
//! text, detected or told the format, dates month or day first: either every
//! row is read, with one to 604,800 seconds, a client, a project and a hash
//! of its own, or the errors name their line and column.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;

// The importers' own source, compiled here as is: it is pure (text in, rows
// out), and building it alone spares the fuzz build the whole application.
#[allow(dead_code)]
#[path = "../../crates/app/src/import/formats.rs"]
mod formats;

use formats::{parse_file, read_date, read_duration, read_time, Fallbacks, Format, ReadOptions};

const FORMATS: [Option<Format>; 5] =
    [None, Some(Format::Toggl), Some(Format::Clockify), Some(Format::Harvest), Some(Format::Generic)];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The format detected from the header, then one other way of reading
    // the file (told the format, day first, names for empty cells), chosen
    // by the input's length so that each input is read twice, not 20 times.
    check(text, None, ReadOptions::default(), &Fallbacks::default());
    let pick = data.len() % 20;
    let fallbacks = if pick % 2 == 1 {
        Fallbacks { client: Some("Acme".into()), project: Some("Website".into()) }
    } else {
        Fallbacks::default()
    };
    check(text, FORMATS[pick / 4], ReadOptions { day_first: pick % 4 >= 2 }, &fallbacks);
    for field in text.split([',', '\n']) {
        if let Some(s) = read_duration(field) {
            assert!(s >= 0, "{field:?} → {s}");
        }
        let _ = read_date(field, ReadOptions::default());
        let _ = read_time(field);
    }
});

fn check(text: &str, format: Option<Format>, opts: ReadOptions, fb: &Fallbacks) {
    match parse_file(text, format, opts, fb) {
        Ok(parsed) => {
            if let Some(f) = format {
                assert_eq!(parsed.format, f);
            }
            let mut hashes = HashSet::new();
            for (row, hash) in &parsed.rows {
                assert!(row.seconds > 0 && row.seconds <= 7 * 24 * 3600, "{row:?}");
                assert!(!row.client.is_empty() && !row.project.is_empty(), "{row:?}");
                assert!(row.line >= 2, "{row:?}");
                if let (Some(s), Some(e)) = (row.start, row.end) {
                    assert_eq!((e - s).num_seconds(), row.seconds, "{row:?}");
                }
                assert_eq!(hash.len(), 64);
                assert!(hashes.insert(hash.clone()), "two rows with one hash: {row:?}");
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(!e.column.is_empty() || e.line > 1, "{e:?}");
                assert!(!e.message.is_empty(), "{e:?}");
            }
        }
    }
}
