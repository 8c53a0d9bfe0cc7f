//! QR codes as PNG photos for `/link` and `/ref`: the matrix from the `qrcode` crate (no default
//! features: no `image` crate), drawn here as black and white squares with the four-module quiet
//! zone the standard asks for, and written by our own encoder (`png.rs`).

use qrcode::{Color, EcLevel, QrCode};

/// Pixels per module: a 33-module code (a typical link) is 328 px square.
const SCALE: usize = 8;
/// The white border, in modules.
const QUIET: usize = 4;

/// The PNG of `data` as a QR code (error correction M: a sticker may be scuffed), or `None` when
/// it does not fit in a QR code.
pub fn png(data: &str) -> Option<Vec<u8>> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let n = code.width();
    let colors = code.to_colors();
    let side = (n + 2 * QUIET) * SCALE;
    let mut rgb = vec![255u8; side * side * 3];
    for (i, c) in colors.iter().enumerate() {
        if *c != Color::Dark {
            continue;
        }
        let (mx, my) = (i % n + QUIET, i / n + QUIET);
        for y in my * SCALE..(my + 1) * SCALE {
            let row = y * side * 3;
            rgb[row + mx * SCALE * 3..row + (mx + 1) * SCALE * 3].fill(0);
        }
    }
    Some(super::png::encode_rgb(side as u32, side as u32, &rgb))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_becomes_a_square_black_and_white_png_with_a_quiet_zone() {
        let png = super::png("https://t.me/insoles_bot?start=c-spring").expect("fits");
        let (w, h, rgb) = crate::charts::png::decode_rgb(&png).expect("a PNG we can read back");
        assert_eq!(w, h);
        assert_eq!(w as usize % super::SCALE, 0);
        assert!(rgb.iter().all(|b| *b == 0 || *b == 255));
        // The quiet zone is white; the top-left finder pattern starts right after it, dark.
        let at = |x: usize, y: usize| rgb[(y * w as usize + x) * 3];
        let edge = super::QUIET * super::SCALE;
        assert_eq!(at(edge - 1, edge - 1), 255);
        assert_eq!(at(edge, edge), 0);
        assert!(super::png(&"x".repeat(5000)).is_none(), "too long for any QR code");
    }
}
