//! Printable documents: A4 pages of headings, wrapped paragraphs and label–value rows in DejaVu
//! Sans (embedded and subset, so Cyrillic prints and copies out correctly everywhere).

use printpdf::{
    CustomPdfConformance, IndirectFontRef, Line, Mm, PdfConformance, PdfDocument,
    PdfDocumentReference, PdfLayerReference, Point,
};
use ttf_parser::Face;

use crate::error::AppError;

static REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 20.0;
/// Where the value column of a label–value row starts.
const VALUE_X: f32 = 75.0;
const PT_TO_MM: f32 = 0.352_778;

/// One document being laid out top to bottom; pages are added as the text runs over.
pub struct Pdf {
    doc: PdfDocumentReference,
    regular: IndirectFontRef,
    bold: IndirectFontRef,
    regular_face: Face<'static>,
    bold_face: Face<'static>,
    layer: PdfLayerReference,
    /// The baseline of the next line, in millimetres from the bottom of the page.
    y: f32,
}

fn pdf_err(e: impl std::fmt::Display) -> AppError {
    crate::ssr::context::internal(&format!("pdf: {e}"))
}

impl Pdf {
    /// A new document with its title in the metadata.
    ///
    /// # Errors
    /// `Internal` if the embedded fonts cannot be read.
    pub fn new(title: &str) -> Result<Self, AppError> {
        let (doc, page, layer) = PdfDocument::new(title, Mm(PAGE_W), Mm(PAGE_H), "text");
        // No ICC profile or XMP: plain PDF 1.3 that every viewer and printer reads.
        let doc = doc.with_conformance(PdfConformance::Custom(CustomPdfConformance {
            requires_icc_profile: false,
            requires_xmp_metadata: false,
            ..Default::default()
        }));
        let regular = doc.add_external_font(REGULAR).map_err(pdf_err)?;
        let bold = doc.add_external_font(BOLD).map_err(pdf_err)?;
        let layer = doc.get_page(page).get_layer(layer);
        Ok(Self {
            doc,
            regular,
            bold,
            regular_face: Face::parse(REGULAR, 0).map_err(pdf_err)?,
            bold_face: Face::parse(BOLD, 0).map_err(pdf_err)?,
            layer,
            y: PAGE_H - MARGIN,
        })
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold {
            &self.bold_face
        } else {
            &self.regular_face
        };
        let units: u32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 / f32::from(face.units_per_em()) * size * PT_TO_MM
    }

    /// Splits text into lines no wider than `width` mm, breaking at spaces (a word longer than
    /// a line is broken where it must be).
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size, bold) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let mut rest = word.to_owned();
                while self.width(&rest, size, bold) > width {
                    let mut cut = String::new();
                    for c in rest.chars() {
                        let mut next = cut.clone();
                        next.push(c);
                        if self.width(&next, size, bold) > width && !cut.is_empty() {
                            break;
                        }
                        cut = next;
                    }
                    rest = rest[cut.len()..].to_owned();
                    lines.push(cut);
                }
                line = rest;
            }
            lines.push(line);
        }
        lines
    }

    fn line_height(size: f32) -> f32 {
        size * PT_TO_MM * 1.35
    }

    /// Starts a new page when `height` mm no longer fit on this one.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            let (page, layer) = self.doc.add_page(Mm(PAGE_W), Mm(PAGE_H), "text");
            self.layer = self.doc.get_page(page).get_layer(layer);
            self.y = PAGE_H - MARGIN;
        }
    }

    fn lines(&mut self, lines: &[String], x: f32, size: f32, bold: bool) {
        let h = Self::line_height(size);
        for line in lines {
            self.room(h);
            self.y -= h;
            let font = if bold { &self.bold } else { &self.regular };
            self.layer
                .use_text(line.as_str(), size, Mm(x), Mm(self.y), font);
        }
    }

    /// A bold title, centred.
    pub fn title(&mut self, text: &str) {
        let size = 15.0;
        let width = PAGE_W - 2.0 * MARGIN;
        for line in self.wrap(text, size, true, width) {
            let x = MARGIN + (width - self.width(&line, size, true)).max(0.0) / 2.0;
            self.lines(&[line], x, size, true);
        }
        self.gap(3.0);
    }

    /// A bold section heading.
    pub fn heading(&mut self, text: &str) {
        self.gap(2.0);
        let lines = self.wrap(text, 12.0, true, PAGE_W - 2.0 * MARGIN);
        self.lines(&lines, MARGIN, 12.0, true);
        self.gap(1.0);
    }

    /// Plain text wrapped to the page; `\n` starts a new line.
    pub fn paragraph(&mut self, text: &str) {
        let lines = self.wrap(text, 10.5, false, PAGE_W - 2.0 * MARGIN);
        self.lines(&lines, MARGIN, 10.5, false);
        self.gap(1.5);
    }

    /// A label on the left and its value wrapped in the right column.
    pub fn field(&mut self, label: &str, value: &str) {
        let size = 10.5;
        let labels = self.wrap(label, size, false, VALUE_X - MARGIN - 3.0);
        let values = self.wrap(value, size, true, PAGE_W - MARGIN - VALUE_X);
        let h = Self::line_height(size);
        let rows = labels.len().max(values.len());
        self.room(h * rows as f32);
        let top = self.y;
        self.lines(&labels, MARGIN, size, false);
        self.y = top;
        self.lines(&values, VALUE_X, size, true);
        self.y = top - h * rows as f32 - 1.0;
    }

    /// Vertical space in millimetres.
    pub fn gap(&mut self, mm: f32) {
        self.y -= mm;
    }

    /// A line to sign on, with its caption under it.
    pub fn signature(&mut self, caption: &str) {
        self.room(20.0);
        self.y -= 14.0;
        let line = Line {
            points: vec![
                (Point::new(Mm(MARGIN), Mm(self.y)), false),
                (Point::new(Mm(MARGIN + 70.0), Mm(self.y)), false),
            ],
            is_closed: false,
        };
        self.layer.set_outline_thickness(0.5);
        self.layer.add_line(line);
        self.y -= 1.0;
        let lines = self.wrap(caption, 8.5, false, PAGE_W - 2.0 * MARGIN);
        self.lines(&lines, MARGIN, 8.5, false);
    }

    /// The finished file.
    ///
    /// # Errors
    /// `Internal` if the document cannot be written.
    pub fn finish(self) -> Result<Vec<u8>, AppError> {
        self.doc.save_to_bytes().map_err(pdf_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_document_runs_over_pages_and_keeps_small() {
        let mut pdf = Pdf::new("Проверка").expect("fonts");
        pdf.title("Заявка на обучение по ДПП ПК");
        for i in 0..80 {
            pdf.field(
                &format!("Поле {i}"),
                "Иванова Мария Петровна, 30 001,00 ₽ № 1",
            );
            pdf.paragraph(
                "Съешь же ещё этих мягких французских булок, да выпей чаю. "
                    .repeat(3)
                    .trim(),
            );
        }
        pdf.signature("подпись");
        let bytes = pdf.finish().expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        // Subset fonts: far below the 1.4 MB of the two full fonts.
        assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
    }

    #[test]
    fn wrapping_never_exceeds_the_width() {
        let pdf = Pdf::new("t").expect("fonts");
        let text = "Федеральное государственное бюджетное образовательное учреждение \
                    дополнительного профессионального образования Сверхдлинноесловобезпробелов"
            .repeat(2);
        for width in [20.0, 50.0, 170.0] {
            for line in pdf.wrap(&text, 10.5, false, width) {
                assert!(pdf.width(&line, 10.5, false) <= width || line.chars().count() == 1);
            }
        }
        assert_eq!(pdf.wrap("", 10.5, false, 100.0), vec![String::new()]);
    }
}
