//! Where "now" comes from. The domain never reads the clock; use cases ask
//! this, so tests and scripts can fix the time.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// The user's UTC offset at an instant (for local dates and times).
    fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset;

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.offset_at(at)).date_naive()
    }

    fn today(&self) -> NaiveDate {
        self.local_date(self.now())
    }

    /// A local wall-clock time → UTC.
    fn local_to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let guess = self.offset_at(self.now());
        let utc = local - chrono::Duration::seconds(i64::from(guess.local_minus_utc()));
        let off = self.offset_at(Utc.from_utc_datetime(&utc));
        Utc.from_utc_datetime(&(local - chrono::Duration::seconds(i64::from(off.local_minus_utc()))))
    }
}

/// The real clock in the user's time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        at.with_timezone(&Local).offset().fix()
    }
}

/// A clock stopped at one instant, in a fixed offset: for tests and for
/// scripted runs (`BILLABLE_NOW`).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock {
    pub now: DateTime<Utc>,
    pub offset: FixedOffset,
}

impl FixedClock {
    /// Parses an RFC 3339 instant such as `2026-05-10T09:00:00+02:00`.
    pub fn parse(text: &str) -> Option<FixedClock> {
        let t = DateTime::parse_from_rfc3339(text.trim()).ok()?;
        Some(FixedClock { now: t.with_timezone(&Utc), offset: *t.offset() })
    }
}

/// A clock stopped at one instant, in the computer's own time zone (`TZ`)
/// like the real clock: what `BILLABLE_NOW` gives scripted runs, so "today"
/// is decided where the person is, whatever offset the instant was written
/// with.
#[derive(Debug, Clone, Copy)]
pub struct StoppedClock {
    pub now: DateTime<Utc>,
}

impl StoppedClock {
    /// Parses an RFC 3339 instant such as `2026-05-10T09:00:00+02:00`.
    pub fn parse(text: &str) -> Option<StoppedClock> {
        let t = DateTime::parse_from_rfc3339(text.trim()).ok()?;
        Some(StoppedClock { now: t.with_timezone(&Utc) })
    }
}

impl Clock for StoppedClock {
    fn now(&self) -> DateTime<Utc> {
        self.now
    }
    fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        SystemClock.offset_at(at)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.now
    }
    fn offset_at(&self, _at: DateTime<Utc>) -> FixedOffset {
        self.offset
    }
}
