//! An RGB canvas with the two things a bar chart needs: filled rectangles and anti-aliased text in
//! the embedded DejaVu Sans (Cyrillic included), rasterised by ab_glyph. No system fonts.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use std::sync::OnceLock;

/// DejaVu Sans (Bitstream Vera licence, `assets/fonts/DejaVuSans-LICENSE.txt`), in the binary.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    // The font is a constant of the build: a broken file fails every chart test at once.
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).expect("the embedded font parses"))
}

pub type Rgb = [u8; 3];

pub struct Canvas {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Canvas {
    pub fn new(width: u32, height: u32, background: Rgb) -> Self {
        let rgb = background.iter().copied().cycle().take(width as usize * height as usize * 3).collect();
        Canvas { width, height, rgb }
    }

    fn blend(&mut self, x: i32, y: i32, color: Rgb, alpha: f32) {
        if x < 0 || y < 0 || x >= self.width as i32 || y >= self.height as i32 {
            return;
        }
        let i = (y as usize * self.width as usize + x as usize) * 3;
        let a = alpha.clamp(0.0, 1.0);
        for (k, c) in color.iter().enumerate() {
            let old = self.rgb[i + k] as f32;
            self.rgb[i + k] = (old + (*c as f32 - old) * a).round() as u8;
        }
    }

    /// Fills `[x0, x1) × [y0, y1)`, clipped to the canvas.
    pub fn fill(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, color: Rgb) {
        let (x0, x1) = (x0.max(0), x1.min(self.width as i32));
        let (y0, y1) = (y0.max(0), y1.min(self.height as i32));
        for y in y0..y1 {
            for x in x0..x1 {
                let i = (y as usize * self.width as usize + x as usize) * 3;
                self.rgb[i..i + 3].copy_from_slice(&color);
            }
        }
    }

    /// The width `text` takes at `size` pixels.
    pub fn text_width(text: &str, size: f32) -> f32 {
        let scaled = font().as_scaled(PxScale::from(size));
        let mut w = 0.0;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                w += scaled.kern(p, id);
            }
            w += scaled.h_advance(id);
            prev = Some(id);
        }
        w
    }

    /// Draws `text` with its baseline at `y`, starting at `x`; the width drawn.
    pub fn text(&mut self, text: &str, x: f32, y: f32, size: f32, color: Rgb) -> f32 {
        let f = font();
        let scaled = f.as_scaled(PxScale::from(size));
        let mut caret = x;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                caret += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(size, point(caret, y));
            caret += scaled.h_advance(id);
            prev = Some(id);
            if let Some(outline) = f.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, coverage| {
                    self.blend(b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32, color, coverage)
                });
            }
        }
        caret - x
    }

    /// Draws `text` centred on `cx`.
    pub fn text_centered(&mut self, text: &str, cx: f32, y: f32, size: f32, color: Rgb) {
        let w = Self::text_width(text, size);
        self.text(text, cx - w / 2.0, y, size, color);
    }

    /// Draws `text` ending at `right`.
    pub fn text_right(&mut self, text: &str, right: f32, y: f32, size: f32, color: Rgb) {
        let w = Self::text_width(text, size);
        self.text(text, right - w, y, size, color);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_glyphs_draw_ink() {
        for word in ["Продажі", "ґїєщ", "Sales"] {
            let mut c = Canvas::new(200, 60, [255, 255, 255]);
            let w = c.text(word, 10.0, 40.0, 28.0, [0, 0, 0]);
            assert!(w > 20.0, "{word}: {w}");
            let ink = c.rgb.chunks(3).filter(|p| p[0] < 128).count();
            assert!(ink > 50, "{word}: {ink} dark pixels");
        }
        // A letter the font lacks would draw its empty "notdef" box or nothing: Cyrillic is present.
        let id = font().glyph_id('Ж');
        assert_ne!(id.0, 0, "Ж is in the font");
    }
}
