//! Importing a time export end to end (detecting the format, matching and
//! creating clients, projects, tasks and members, converting local times)
//! as a dry run on books in memory: the file is refused with an error
//! naming a line and column, or the import adds up.
#![no_main]

use std::cell::RefCell;
use std::io::Write;

use billable_app::{AppError, Billable, FixedClock, ImportInput, MemberInput};
use libfuzzer_sys::fuzz_target;

fn books(now: &str) -> Billable {
    let clock = FixedClock::parse(now).expect("a clock");
    let mut app = Billable::in_memory(Box::new(clock)).expect("books in memory");
    app.create_member(MemberInput { name: Some("Ana".into()), ..Default::default() }).expect("a member");
    app
}

thread_local! {
    static BOOKS: RefCell<Vec<Billable>> =
        RefCell::new(vec![books("2026-03-31T09:00:00+14:00"), books("2026-03-31T09:00:00-12:00")]);
    static FILE: RefCell<tempfile::NamedTempFile> = RefCell::new(tempfile::NamedTempFile::new().expect("a file"));
}

fuzz_target!(|data: &[u8]| {
    if std::str::from_utf8(data).is_err() {
        return;
    }
    FILE.with(|f| {
        let mut f = f.borrow_mut();
        f.as_file().set_len(0).expect("truncate");
        f.rewind_and_write(data);
        BOOKS.with(|all| {
            for app in all.borrow_mut().iter_mut() {
                for day_first in [false, true] {
                    let input = ImportInput {
                        dry_run: true,
                        day_first,
                        default_client: Some("Acme".into()),
                        ..Default::default()
                    };
                    match app.import_time(f.path(), input, &mut |_, _| {}) {
                        Ok(o) => {
                            assert!(o.dry_run);
                            assert_eq!(o.entries + o.already_imported, o.rows, "{o:?}");
                            assert!(o.preview.len() as u64 <= o.entries.min(5));
                        }
                        Err(AppError::Invalid { field, message }) => {
                            assert!(!field.is_empty() && !message.is_empty());
                        }
                        Err(other) => panic!("a file is refused as invalid, not with {other:?}"),
                    }
                }
            }
        });
    });
});

trait RewindWrite {
    fn rewind_and_write(&mut self, data: &[u8]);
}

impl RewindWrite for tempfile::NamedTempFile {
    fn rewind_and_write(&mut self, data: &[u8]) {
        use std::io::Seek;
        self.as_file_mut().rewind().expect("rewind");
        self.as_file_mut().write_all(data).expect("write");
        self.as_file_mut().flush().expect("flush");
    }
}
