//! A page-independent drawing list, measured in points from the top-left
//! corner, turned into printpdf operations once the document is laid out
//! (so "Page N of M" and the font subsets are known).

use std::collections::HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Polygon, PolygonRing, Pt, RawImage, Rect, Rgb, TextItem, TextMatrix, WindingOrder, XObjectId, XObjectTransform,
};

use flate2::write::ZlibEncoder;
use flate2::Compression;
use lopdf::{Object, Stream};

use super::fonts::{Face, Fonts, Style};
use crate::error::{DocsError, DocsResult};

/// A colour as 0–255 components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb8(pub u8, pub u8, pub u8);

impl Rgb8 {
    fn color(self) -> Color {
        Color::Rgb(Rgb::new(f32::from(self.0) / 255.0, f32::from(self.1) / 255.0, f32::from(self.2) / 255.0, None))
    }
}

pub enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        color: Rgb8,
        text: String,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb8,
    },
    /// Rectangles (x, y, w, h) filled as one path (a QR code's modules).
    Rects {
        rects: Vec<(f32, f32, f32, f32)>,
        color: Rgb8,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb8,
    },
    Stroke {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
        color: Rgb8,
    },
    Image {
        image: Arc<RawImage>,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// Pages of items, in points from the top-left.
pub struct Canvas {
    fonts: &'static Fonts,
    pub width: f32,
    pub height: f32,
    pub pages: Vec<Vec<Item>>,
    /// The page items go to.
    current: usize,
}

impl Canvas {
    pub fn new(fonts: &'static Fonts, width: f32, height: f32) -> Canvas {
        Canvas { fonts, width, height, pages: vec![Vec::new()], current: 0 }
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.current = self.pages.len() - 1;
    }

    /// The page items go to (0-based).
    pub fn page(&self) -> usize {
        self.current
    }

    /// Draws on page `index` (0-based) from now on.
    pub fn select(&mut self, index: usize) {
        self.current = index.min(self.pages.len() - 1);
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.get_mut(self.current) {
            page.push(item);
        }
    }

    /// Text whose baseline is at `y`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, style: Style, color: Rgb8, text: &str) {
        if !text.is_empty() {
            self.push(Item::Text { x, y, size, style, color, text: text.to_string() });
        }
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, style: Style, color: Rgb8, text: &str) {
        let w = self.fonts.width(text, style, size);
        self.text(right - w, y, size, style, color, text);
    }

    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb8) {
        self.push(Item::Fill { x, y, w, h, color });
    }

    /// Fills many rectangles of one colour as a single path.
    pub fn fill_rects(&mut self, rects: Vec<(f32, f32, f32, f32)>, color: Rgb8) {
        if !rects.is_empty() {
            self.push(Item::Rects { rects, color });
        }
    }

    pub fn rule(&mut self, x1: f32, y: f32, x2: f32, width: f32, color: Rgb8) {
        self.push(Item::Rule { x1, y1: y, x2, y2: y, width, color });
    }

    pub fn stroke(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32, color: Rgb8) {
        self.push(Item::Stroke { x, y, w, h, width, color });
    }

    pub fn image(&mut self, image: Arc<RawImage>, x: f32, y: f32, w: f32, h: f32) {
        self.push(Item::Image { image, x, y, w, h });
    }

    /// Writes the PDF: subsets the fonts to the characters used, embeds the
    /// images, and turns every item into printpdf operations.
    pub fn finish(self, title: &str, number: &str) -> DocsResult<Vec<u8>> {
        let fonts = self.fonts;
        let mut doc = PdfDocument::new(title);
        // Which characters each face draws.
        let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
        for item in self.pages.iter().flatten() {
            if let Item::Text { text, style, .. } = item {
                for (face, run) in fonts.runs(text, *style) {
                    used.entry(face).or_default().extend(run.chars());
                }
            }
        }
        let mut ids: BTreeMap<Face, FontId> = BTreeMap::new();
        for (face, chars) in &used {
            let parsed = fonts.subset(*face, chars)?;
            ids.insert(*face, doc.add_font(&parsed));
        }
        let mut images: Vec<(*const RawImage, XObjectId)> = Vec::new();
        let to_pt = |v: f32| Pt(v);
        let mut pages = Vec::with_capacity(self.pages.len());
        for items in &self.pages {
            let mut ops = Vec::new();
            // The fill colour is graphics state: set it only when it changes.
            let mut fill: Option<Rgb8> = None;
            let mut set_fill = |ops: &mut Vec<Op>, color: Rgb8| {
                if fill != Some(color) {
                    ops.push(Op::SetFillColor { col: color.color() });
                    fill = Some(color);
                }
            };
            for item in items {
                match item {
                    Item::Text { x, y, size, style, color, text } => {
                        let mut cx = *x;
                        ops.push(Op::StartTextSection);
                        set_fill(&mut ops, *color);
                        for (face, run) in fonts.runs(text, *style) {
                            let Some(id) = ids.get(&face) else { continue };
                            ops.push(Op::SetFont { font: PdfFontHandle::External(id.clone()), size: Pt(*size) });
                            ops.push(Op::SetTextMatrix {
                                matrix: TextMatrix::Translate(to_pt(cx), to_pt(self.height - y)),
                            });
                            ops.push(Op::ShowText { items: vec![TextItem::Text(run.clone())] });
                            cx += fonts.width(&run, *style, *size);
                        }
                        ops.push(Op::EndTextSection);
                    }
                    Item::Fill { x, y, w, h, color } => {
                        set_fill(&mut ops, *color);
                        ops.push(Op::DrawRectangle { rectangle: self.filled(*x, *y, *w, *h) });
                    }
                    Item::Rects { rects, color } => {
                        set_fill(&mut ops, *color);
                        for (x, y, w, h) in rects {
                            ops.push(Op::DrawRectangle { rectangle: self.filled(*x, *y, *w, *h) });
                        }
                    }
                    Item::Stroke { x, y, w, h, width, color } => {
                        ops.push(Op::SetOutlineColor { col: color.color() });
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                        ops.push(Op::DrawPolygon { polygon: self.rect(*x, *y, *w, *h, PaintMode::Stroke) });
                    }
                    Item::Rule { x1, y1, x2, y2, width, color } => {
                        ops.push(Op::SetOutlineColor { col: color.color() });
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                        ops.push(Op::DrawLine {
                            line: Line { points: vec![self.point(*x1, *y1), self.point(*x2, *y2)], is_closed: false },
                        });
                    }
                    Item::Image { image, x, y, w, h } => {
                        let key = Arc::as_ptr(image);
                        let id = match images.iter().find(|(k, _)| *k == key) {
                            Some((_, id)) => id.clone(),
                            None => {
                                let id = doc.add_image(image);
                                images.push((key, id.clone()));
                                id
                            }
                        };
                        let (pw, ph) = (image.width.max(1) as f32, image.height.max(1) as f32);
                        ops.push(Op::UseXobject {
                            id,
                            transform: XObjectTransform {
                                translate_x: Some(Pt(*x)),
                                translate_y: Some(Pt(self.height - y - h)),
                                scale_x: Some(w / pw),
                                scale_y: Some(h / ph),
                                dpi: Some(72.0),
                                ..Default::default()
                            },
                        });
                    }
                }
            }
            pages.push(PdfPage::new(Mm::from(Pt(self.width)), Mm::from(Pt(self.height)), ops));
        }
        doc.with_pages(pages);
        let mut warnings = Vec::new();
        // printpdf builds the objects; the streams are compressed here (see
        // `compress`) rather than by printpdf's `optimize`, which deflates
        // every stream, the font programs included, at the slowest level.
        let opts = PdfSaveOptions { subset_fonts: false, optimize: false, ..Default::default() };
        let mut pdf = doc.to_lopdf_document(&opts, &mut warnings);
        compress(&mut pdf);
        let mut bytes = Vec::new();
        match pdf.save_to(&mut bytes) {
            Ok(()) if !bytes.is_empty() => Ok(bytes),
            Ok(()) => Err(DocsError::Pdf { number: number.to_string(), reason: format!("{warnings:?}") }),
            Err(e) => Err(DocsError::Pdf { number: number.to_string(), reason: format!("{e} {warnings:?}") }),
        }
    }

    fn point(&self, x: f32, y: f32) -> LinePoint {
        LinePoint { p: Point { x: Pt(x), y: Pt(self.height - y) }, bezier: false }
    }

    /// A filled rectangle (one `re` operator) whose top-left corner is (x, y).
    fn filled(&self, x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect {
            x: Pt(x),
            y: Pt(self.height - y - h),
            width: Pt(w),
            height: Pt(h),
            mode: Some(PaintMode::Fill),
            winding_order: Some(WindingOrder::NonZero),
        }
    }

    /// A rectangle whose top-left corner is (x, y).
    fn rect(&self, x: f32, y: f32, w: f32, h: f32, mode: PaintMode) -> Polygon {
        Polygon {
            rings: vec![PolygonRing {
                points: vec![self.point(x, y), self.point(x + w, y), self.point(x + w, y + h), self.point(x, y + h)],
            }],
            mode,
            winding_order: WindingOrder::NonZero,
        }
    }
}

/// Deflates the streams of a finished PDF, deterministically (the same
/// invoice gives the same bytes).
///
/// - Font programs (`/Length1`, the subset TrueType fonts) are deflated at
///   the best level once and remembered by content: the next document that
///   embeds the same subset (most invoices use the same digits and letters)
///   reuses the compressed bytes. They are most of a one-page PDF's bytes.
/// - Everything else (page contents, ToUnicode maps, images) is unique to
///   the document and deflated at a fast level: text operators compress well
///   at any level, and the best level costs several times the time for a few
///   per cent of size.
fn compress(pdf: &mut lopdf::Document) {
    for object in pdf.objects.values_mut() {
        let Object::Stream(stream) = object else { continue };
        if !stream.allows_compression || stream.dict.has(b"Filter") {
            continue;
        }
        let compressed = if stream.dict.has(b"Length1") {
            font_program(&stream.content)
        } else {
            Arc::new(deflate(&stream.content, Compression::fast()))
        };
        set_deflated(stream, &compressed);
    }
}

fn set_deflated(stream: &mut Stream, compressed: &[u8]) {
    if compressed.len() + 19 < stream.content.len() {
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(compressed.to_vec());
    }
}

fn deflate(bytes: &[u8], level: Compression) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 2), level);
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// A font program deflated at the best level, from the process-wide cache
/// when the same program was compressed before.
fn font_program(program: &[u8]) -> Arc<Vec<u8>> {
    /// Distinct subsets kept; a batch of invoices uses a handful.
    const KEEP: usize = 64;
    type Cache = Mutex<HashMap<u64, Vec<(Arc<[u8]>, Arc<Vec<u8>>)>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        program.hash(&mut h);
        h.finish()
    };
    if let Ok(guard) = cache.lock() {
        if let Some((_, z)) = guard.get(&key).and_then(|v| v.iter().find(|(p, _)| **p == *program)) {
            return z.clone();
        }
    }
    let z = Arc::new(deflate(program, Compression::best()));
    if let Ok(mut guard) = cache.lock() {
        if guard.values().map(Vec::len).sum::<usize>() >= KEEP {
            guard.clear();
        }
        guard.entry(key).or_default().push((Arc::from(program), z.clone()));
    }
    z
}
