//! A PNG encoder for the charts: 8-bit RGB, one IDAT, no filtering (flat colours compress well
//! without it). Built on what the tree already has (flate2 over zlib-rs, crc32fast) instead of an
//! image crate that would add five more (see ARCHITECTURE.md).

use flate2::write::ZlibEncoder;
use flate2::Compression;
use std::io::Write;

/// The PNG file of an RGB buffer `width × height` (3 bytes a pixel, rows top to bottom).
pub fn encode_rgb(width: u32, height: u32, rgb: &[u8]) -> Vec<u8> {
    debug_assert_eq!(rgb.len(), width as usize * height as usize * 3);
    let mut out = Vec::with_capacity(rgb.len() / 8 + 64);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, truecolour, deflate, no filter, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    let row = width as usize * 3;
    let mut z = ZlibEncoder::new(Vec::with_capacity(rgb.len() / 8), Compression::fast());
    for line in rgb.chunks(row.max(1)) {
        // Writing to a Vec cannot fail.
        let _ = z.write_all(&[0]);
        let _ = z.write_all(line);
    }
    let data = z.finish().unwrap_or_default();
    chunk(&mut out, b"IDAT", &data);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// Reads a PNG written by [`encode_rgb`] (or any 8-bit RGB PNG without filtering) back into
/// (width, height, rgb), checking the signature and every chunk's CRC. For tests and the
/// dashboard's sanity checks; `None` for anything else.
pub fn decode_rgb(png: &[u8]) -> Option<(u32, u32, Vec<u8>)> {
    use std::io::Read;
    let mut rest = png.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    let (mut w, mut h, mut idat) = (0u32, 0u32, Vec::new());
    while rest.len() >= 12 {
        let len = u32::from_be_bytes(rest[..4].try_into().ok()?) as usize;
        let kind = rest.get(4..8)?;
        let data = rest.get(8..8 + len)?;
        let crc = u32::from_be_bytes(rest.get(8 + len..12 + len)?.try_into().ok()?);
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(kind);
        hasher.update(data);
        if hasher.finalize() != crc {
            return None;
        }
        match kind {
            b"IHDR" => {
                w = u32::from_be_bytes(data.get(..4)?.try_into().ok()?);
                h = u32::from_be_bytes(data.get(4..8)?.try_into().ok()?);
                if data.get(8..10)? != [8, 2] {
                    return None;
                }
            }
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        rest = &rest[12 + len..];
    }
    let row = w as usize * 3;
    let mut raw = Vec::with_capacity((row + 1) * h as usize);
    flate2::read::ZlibDecoder::new(&idat[..]).read_to_end(&mut raw).ok()?;
    if raw.len() != (row + 1) * h as usize {
        return None;
    }
    let mut rgb = Vec::with_capacity(row * h as usize);
    for line in raw.chunks(row + 1) {
        if line[0] != 0 {
            return None;
        }
        rgb.extend_from_slice(&line[1..]);
    }
    Some((w, h, rgb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_a_corrupt_file() {
        let rgb: Vec<u8> = (0..4 * 3 * 3).map(|i| (i * 7) as u8).collect();
        let png = encode_rgb(4, 3, &rgb);
        assert_eq!(decode_rgb(&png), Some((4, 3, rgb)));
        let mut bad = png.clone();
        bad[20] ^= 1;
        assert_eq!(decode_rgb(&bad), None);
    }
}
