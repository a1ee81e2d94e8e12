//! The fonts Billable ships (`assets/fonts/`), parsed once per process:
//! DejaVu Sans (regular and bold) for Latin, Greek, Cyrillic and the currency
//! signs, Droid Sans Fallback for Japanese/Chinese/Korean. Text is measured
//! with the fonts' own advance widths; a character no font has becomes the
//! replacement character, never a crash. Each document embeds only the
//! glyphs it uses (subset with allsorts).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use printpdf::ParsedFont;

use crate::error::{DocsError, DocsResult};

const REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");
const FALLBACK: &[u8] = include_bytes!("../../../../assets/fonts/DroidSansFallbackFull.ttf");

/// Shown for a character none of the fonts can draw.
const REPLACEMENT: char = '\u{FFFD}';

/// Regular or bold text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
}

/// One of the shipped faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
    Fallback,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Fallback];

    fn bytes(&self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
            Face::Fallback => FALLBACK,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Face::Regular => "DejaVu Sans",
            Face::Bold => "DejaVu Sans Bold",
            Face::Fallback => "Droid Sans Fallback",
        }
    }
}

/// Characters below this are looked up in a table built when the face is
/// parsed (Latin, Greek, Cyrillic and the general punctuation and currency
/// signs): text is measured several times while it is laid out, and the
/// font's own character map is a search per character.
const TABLE: usize = 0x2100;

/// A parsed face: its character map and advance widths.
pub struct Metrics {
    font: ParsedFont,
    units_per_em: f32,
    /// For each character below `TABLE`: its glyph (0 when the face has
    /// none) and advance in em.
    table: Vec<(u16, f32)>,
}

impl Metrics {
    fn parse(face: Face) -> DocsResult<Metrics> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(face.bytes(), 0, &mut warnings)
            .ok_or_else(|| DocsError::Font { name: face.name(), reason: format!("{warnings:?}") })?;
        let units_per_em = f32::from(font.units_per_em.max(1));
        let mut m = Metrics { font, units_per_em, table: Vec::new() };
        m.table = (0..TABLE as u32)
            .map(|code| {
                let glyph = char::from_u32(code).and_then(|c| m.lookup(c)).unwrap_or(0);
                (glyph, m.advance_of(glyph))
            })
            .collect();
        Ok(m)
    }

    fn lookup(&self, c: char) -> Option<u16> {
        self.font.lookup_glyph_index(u32::from(c)).filter(|g| *g != 0)
    }

    fn advance_of(&self, glyph: u16) -> f32 {
        let w = if glyph == 0 { 0 } else { self.font.get_glyph_width(glyph).unwrap_or(0) };
        f32::from(w) / self.units_per_em
    }

    fn glyph(&self, c: char) -> Option<u16> {
        match self.table.get(c as usize) {
            Some((g, _)) => (*g != 0).then_some(*g),
            None => self.lookup(c),
        }
    }

    /// Advance of `c` in em.
    fn advance(&self, c: char) -> f32 {
        match self.table.get(c as usize) {
            Some((_, a)) => *a,
            None => self.advance_of(self.lookup(c).unwrap_or(0)),
        }
    }
}

/// All shipped faces, parsed.
pub struct Fonts {
    regular: Metrics,
    bold: Metrics,
    fallback: Metrics,
}

impl Fonts {
    /// The process-wide fonts (parsed on first use).
    pub fn get() -> DocsResult<&'static Fonts> {
        static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
        let parsed = FONTS.get_or_init(|| {
            Ok(Fonts {
                regular: Metrics::parse(Face::Regular).map_err(|e| e.to_string())?,
                bold: Metrics::parse(Face::Bold).map_err(|e| e.to_string())?,
                fallback: Metrics::parse(Face::Fallback).map_err(|e| e.to_string())?,
            })
        });
        parsed.as_ref().map_err(|reason| DocsError::Font { name: "the shipped fonts", reason: reason.clone() })
    }

    fn metrics(&self, face: Face) -> &Metrics {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Fallback => &self.fallback,
        }
    }

    /// The face that draws `c` in `style`, and the character actually drawn
    /// (the replacement character when no face has it).
    pub fn resolve(&self, c: char, style: Style) -> (Face, char) {
        let primary = match style {
            Style::Regular => Face::Regular,
            Style::Bold => Face::Bold,
        };
        if c == ' ' || self.metrics(primary).glyph(c).is_some() {
            (primary, c)
        } else if self.fallback.glyph(c).is_some() {
            (Face::Fallback, c)
        } else {
            (primary, REPLACEMENT)
        }
    }

    /// Splits text into runs of one face each, with unknown characters replaced.
    pub fn runs(&self, text: &str, style: Style) -> Vec<(Face, String)> {
        let mut runs: Vec<(Face, String)> = Vec::new();
        for c in text.chars().filter(|c| !c.is_control()) {
            let (face, drawn) = self.resolve(c, style);
            match runs.last_mut() {
                Some((f, s)) if *f == face => s.push(drawn),
                _ => runs.push((face, drawn.to_string())),
            }
        }
        runs
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, style: Style, size: f32) -> f32 {
        let mut em = 0.0;
        for c in text.chars().filter(|c| !c.is_control()) {
            let (face, drawn) = self.resolve(c, style);
            em += self.metrics(face).advance(drawn);
        }
        em * size
    }

    /// Breaks `text` into lines no wider than `max` points: at spaces, and
    /// inside a word only when the word alone is too wide. Explicit line
    /// breaks are kept.
    pub fn wrap(&self, text: &str, style: Style, size: f32, max: f32) -> Vec<String> {
        // Widths add up character by character (no kerning), so the line's
        // width is kept as it grows instead of measuring it again.
        let space = self.width(" ", style, size);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in paragraph.split(' ') {
                let word_w = self.width(word, style, size);
                let candidate_w = if line.is_empty() { word_w } else { line_w + space + word_w };
                if candidate_w <= max {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w = candidate_w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                // The word alone: split it where it overflows.
                for c in word.chars() {
                    let c_w = self.width(c.encode_utf8(&mut [0; 4]), style, size);
                    if !line.is_empty() && line_w + c_w > max {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += c_w;
                }
            }
            lines.push(line);
        }
        lines
    }

    /// A face reduced to the characters `chars` (plus .notdef), ready to
    /// embed. Subsets are kept per face and character set for the process:
    /// invoices of one business mostly draw the same characters, so a batch
    /// (or the same invoice rendered again for an email) subsets once.
    pub fn subset(&self, face: Face, chars: &BTreeSet<char>) -> DocsResult<Arc<ParsedFont>> {
        /// Distinct subsets kept before the cache starts over.
        const KEEP: usize = 64;
        type Cache = Mutex<HashMap<(Face, Vec<char>), Arc<ParsedFont>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        let key = (face, chars.iter().copied().collect::<Vec<char>>());
        if let Some(found) = cache.lock().ok().and_then(|g| g.get(&key).cloned()) {
            return Ok(found);
        }
        let parsed = Arc::new(self.subset_uncached(face, chars)?);
        if let Ok(mut guard) = cache.lock() {
            if guard.len() >= KEEP {
                guard.clear();
            }
            guard.insert(key, parsed.clone());
        }
        Ok(parsed)
    }

    fn subset_uncached(&self, face: Face, chars: &BTreeSet<char>) -> DocsResult<ParsedFont> {
        let fail = |reason: String| DocsError::Font { name: face.name(), reason };
        let metrics = self.metrics(face);
        let glyphs: BTreeMap<u16, char> = chars.iter().filter_map(|c| metrics.glyph(*c).map(|g| (g, *c))).collect();
        let ids: Vec<u16> = std::iter::once(0).chain(glyphs.keys().copied()).collect();
        let scope = ReadScope::new(face.bytes());
        let data = scope.read::<FontData<'_>>().map_err(|e| fail(e.to_string()))?;
        let provider = data.table_provider(0).map_err(|e| fail(e.to_string()))?;
        let bytes = subset(&provider, &ids, &SubsetProfile::Minimal, CmapTarget::Unicode)
            .map_err(|e| fail(format!("subsetting failed: {e}")))?;
        let mut warnings = Vec::new();
        ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| fail(format!("the subset could not be read back: {warnings:?}")))
    }
}
