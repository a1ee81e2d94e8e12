//! How an invoice is presented: its PDF template, paper size and the
//! language/region its amounts and dates are written for. Settings of the
//! business (defaults) and of each invoice (overrides).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};

/// Defines a small string enum with `as_str`, `ALL`, `Display` and `FromStr`
/// whose error lists the accepted values.
macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident, $field:literal, $what:literal { $($(#[$vm:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name {
            #[default]
            $($(#[$vm])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = CoreError;
            fn from_str(s: &str) -> CoreResult<Self> {
                let wanted = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| {
                        let all: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        CoreError::invalid($field, format!("'{wanted}' is not a {}; use {}", $what, all.join(", ")))
                    })
            }
        }
    };
}

named_enum!(
    /// The look of the PDF.
    Template, "template", "template" {
        /// Logo and business at the top, a ruled line table, totals on the right.
        Classic => "classic",
        /// Fewer rules and more white space.
        Minimal => "minimal",
        /// Classic, plus each time line's entries (date, member, description, hours).
        Detailed => "detailed",
    }
);

named_enum!(
    /// Paper size.
    Paper, "paper", "paper size" {
        A4 => "a4",
        Letter => "letter",
    }
);

named_enum!(
    /// The language and region the document is written and formatted for.
    Locale, "locale", "locale" {
        EnUs => "en-US",
        EnGb => "en-GB",
        DeDe => "de-DE",
        FrFr => "fr-FR",
        EsEs => "es-ES",
        NlNl => "nl-NL",
        JaJp => "ja-JP",
    }
);

impl Locale {
    /// The BCP 47 tag, e.g. `de-DE`.
    pub fn tag(&self) -> &'static str {
        self.as_str()
    }
}
