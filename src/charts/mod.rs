//! Charts for the reports, drawn in-process: a grouped bar chart of one or more series over
//! labelled buckets (days, months, channels), 800×500 px with large labels so it reads on a phone,
//! encoded as PNG. A leaf: it knows nothing of orders or clients, the reports give it numbers.
//!
//! Why not plotters: its released version (0.3.7) draws text only through font-kit, which loads
//! system fonts via fontconfig/FreeType; the reports must run with no system fonts, so the chart
//! is drawn here on an RGB buffer (`canvas.rs`, text by ab_glyph with DejaVu Sans embedded) and
//! written by a small PNG encoder (`png.rs`) over the deflate the tree already has.

pub mod canvas;
pub mod png;
pub mod qr;

use canvas::{Canvas, Rgb};

pub const WIDTH: u32 = 800;
pub const HEIGHT: u32 = 500;

/// The series' colours, in order; the first is the "bar colour" tests look for.
pub const PALETTE: [Rgb; 4] = [[46, 125, 209], [242, 142, 43], [89, 161, 79], [225, 87, 89]];
const BACKGROUND: Rgb = [255, 255, 255];
const INK: Rgb = [33, 33, 33];
const GRID: Rgb = [225, 225, 225];
const MUTED: Rgb = [110, 110, 110];

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// A grouped bar chart: one group per label, one bar per series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chart {
    pub title: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// Shown in the middle when every value is zero (e.g. "no data for this period").
    pub empty_note: String,
}

/// The chart as a PNG of [`WIDTH`] × [`HEIGHT`].
pub fn render(chart: &Chart) -> Vec<u8> {
    let c = draw(chart);
    png::encode_rgb(c.width, c.height, &c.rgb)
}

fn draw(chart: &Chart) -> Canvas {
    let mut c = Canvas::new(WIDTH, HEIGHT, BACKGROUND);
    c.text(&chart.title, 24.0, 40.0, 28.0, INK);
    let (left, right, top, bottom) = (96.0f32, WIDTH as f32 - 24.0, 90.0f32, HEIGHT as f32 - 60.0);
    // Legend under the title when there is more than one series.
    if chart.series.len() > 1 {
        let mut x = 24.0;
        for (i, s) in chart.series.iter().enumerate() {
            c.fill(x as i32, 56, x as i32 + 16, 72, PALETTE[i % PALETTE.len()]);
            x += 22.0 + c.text(&s.name, x + 22.0, 70.0, 18.0, INK) + 20.0;
        }
    }
    let max = chart.series.iter().flat_map(|s| s.values.iter().copied()).fold(0.0f64, f64::max);
    let (step, ticks) = nice_scale(max);
    let top_value = step * ticks as f64;
    let y_of = |v: f64| bottom - ((v / top_value) as f32) * (bottom - top);
    for t in 0..=ticks {
        let v = step * t as f64;
        let y = y_of(v);
        c.fill(left as i32, y as i32, right as i32, y as i32 + 1, GRID);
        c.text_right(&compact(v), left - 10.0, y + 7.0, 18.0, MUTED);
    }
    let n = chart.labels.len().max(1);
    let group = (right - left) / n as f32;
    let per = chart.series.len().max(1) as f32;
    let bar = (group * 0.8 / per).max(1.0);
    for (si, s) in chart.series.iter().enumerate() {
        for (i, v) in s.values.iter().enumerate().take(n) {
            if *v <= 0.0 {
                continue;
            }
            let x0 = left + group * i as f32 + group * 0.1 + bar * si as f32;
            let y = y_of(*v).min(bottom - 1.0);
            c.fill(x0 as i32, y as i32, (x0 + bar).ceil() as i32, bottom as i32, PALETTE[si % PALETTE.len()]);
        }
    }
    c.fill(left as i32, bottom as i32, right as i32, bottom as i32 + 2, INK);
    // Labels under the groups, thinned out so they do not overlap.
    let widest = chart.labels.iter().map(|l| Canvas::text_width(l, 17.0)).fold(0.0f32, f32::max) + 8.0;
    let every = ((widest / group).ceil() as usize).max(1);
    for (i, label) in chart.labels.iter().enumerate() {
        if i % every == 0 {
            c.text_centered(label, left + group * (i as f32 + 0.5), bottom + 26.0, 17.0, INK);
        }
    }
    if max <= 0.0 && !chart.empty_note.is_empty() {
        c.text_centered(&chart.empty_note, (left + right) / 2.0, (top + bottom) / 2.0, 24.0, MUTED);
    }
    c
}

/// A step of 1, 2 or 5 × 10ⁿ giving at most five gridlines above zero, and how many.
fn nice_scale(max: f64) -> (f64, u32) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 1);
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let step = if step < 1.0 { 1.0 } else { step };
    (step, (max / step).ceil().max(1.0) as u32)
}

/// `1 200`, `15 000`, `1,5 M`: short numbers for the axis.
pub fn compact(v: f64) -> String {
    if v >= 1_000_000.0 {
        return format!("{:.1} M", v / 1_000_000.0).replace('.', ",");
    }
    let n = v.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("−{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Chart {
        Chart {
            title: "Продажі за листопад".into(),
            labels: (1..=30).map(|d| format!("{d:02}.11")).collect(),
            series: vec![
                Series { name: "Виручка".into(), values: (1..=30).map(|d| (d * 1000) as f64).collect() },
                Series { name: "Минулий період".into(), values: vec![500.0; 30] },
            ],
            empty_note: "Немає даних".into(),
        }
    }

    fn count(rgb: &[u8], color: Rgb) -> usize {
        rgb.chunks(3).filter(|p| *p == color).count()
    }

    #[test]
    fn a_chart_is_a_png_of_the_size_with_bars_of_its_colour() {
        let png = render(&sample());
        let (w, h, rgb) = png::decode_rgb(&png).expect("decodes");
        assert_eq!((w, h), (WIDTH, HEIGHT));
        assert!(count(&rgb, PALETTE[0]) > 5_000, "first series' bars: {}", count(&rgb, PALETTE[0]));
        assert!(count(&rgb, PALETTE[1]) > 100, "second series' bars");
        assert!(png.len() < 200_000, "{} bytes", png.len());
    }

    #[test]
    fn an_empty_chart_has_no_bars_but_says_so() {
        let mut chart = sample();
        chart.series.iter_mut().for_each(|s| s.values.iter_mut().for_each(|v| *v = 0.0));
        let with_note = draw(&chart);
        assert_eq!(count(&with_note.rgb, PALETTE[0]), 16 * 16, "only the legend's swatch");
        chart.empty_note.clear();
        let without = draw(&chart);
        assert_ne!(with_note.rgb, without.rgb, "the note (Cyrillic) drew pixels");
    }

    #[test]
    fn scales_and_numbers() {
        assert_eq!(nice_scale(60_000.0), (20_000.0, 3));
        assert_eq!(nice_scale(7.0), (2.0, 4));
        assert_eq!(nice_scale(0.0), (1.0, 1));
        assert_eq!(compact(1_234_567.0), "1,2 M");
        assert_eq!(compact(60_000.0), "60 000");
        assert_eq!(compact(0.0), "0");
    }
}
