//! Presentation settings parse from what people type and refuse the rest by field.

use billable_core::presentation::{Locale, Paper, Template};

#[test]
fn settings_parse_case_insensitively_and_print_canonically() {
    assert_eq!("de-de".parse::<Locale>().unwrap(), Locale::DeDe);
    assert_eq!(" ja-JP ".parse::<Locale>().unwrap().tag(), "ja-JP");
    assert_eq!("LETTER".parse::<Paper>().unwrap(), Paper::Letter);
    assert_eq!("Detailed".parse::<Template>().unwrap().to_string(), "detailed");
    assert_eq!(Locale::ALL.len(), 7);
    for l in Locale::ALL {
        assert_eq!(l.as_str().parse::<Locale>().unwrap(), *l);
    }
}

#[test]
fn unknown_values_name_the_field_and_the_choices() {
    let e = "de".parse::<Locale>().unwrap_err();
    assert_eq!(e.field(), Some("locale"));
    assert!(e.to_string().contains("en-US, en-GB, de-DE, fr-FR, es-ES, nl-NL, ja-JP"), "{e}");
    assert_eq!("a5".parse::<Paper>().unwrap_err().field(), Some("paper"));
    assert_eq!("fancy".parse::<Template>().unwrap_err().field(), Some("template"));
}
