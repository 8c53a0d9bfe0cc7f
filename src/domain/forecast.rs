//! Next month from the monthly history: a seasonal naive forecast (the same month a year ago)
//! scaled by the trend (the last three months against the same three a year before); with less
//! than a year and a month of history, the mean of the last three months. The interval comes from
//! the method's own errors on the past (each past month forecast from the months before it); with
//! fewer than three months there is no forecast at all, only that statement.

/// A forecast of the next month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// True when last year's same month was used (13+ months of history).
    pub seasonal: bool,
}

/// Months of history below which nothing is forecast.
pub const MIN_MONTHS: usize = 3;

/// One step ahead from `history` (complete months, oldest first); `None` with too little.
fn point(history: &[f64]) -> Option<(f64, bool)> {
    let n = history.len();
    if n < MIN_MONTHS {
        return None;
    }
    if n >= 15 {
        let recent: f64 = history[n - 3..].iter().sum();
        let year_ago: f64 = history[n - 15..n - 12].iter().sum();
        let trend = if year_ago > 0.0 { (recent / year_ago).clamp(0.5, 2.0) } else { 1.0 };
        return Some((history[n - 12] * trend, true));
    }
    if n >= 13 {
        return Some((history[n - 12], true));
    }
    Some((history[n - 3..].iter().sum::<f64>() / 3.0, false))
}

/// The forecast of the month after `history`, or `None` when there are fewer than
/// [`MIN_MONTHS`] months.
pub fn next_month(history: &[f64]) -> Option<Forecast> {
    let (value, seasonal) = point(history)?;
    // Relative errors of the same method on every past month it could have forecast.
    let mut errors: Vec<f64> = (MIN_MONTHS..history.len())
        .filter_map(|i| {
            let (p, s) = point(&history[..i])?;
            (p > 0.0 && s == seasonal).then(|| (history[i] - p) / p)
        })
        .collect();
    errors.sort_by(f64::total_cmp);
    let (down, up) = match errors.len() {
        0..=1 => (-0.5, 0.5),
        _ => (errors[0].min(-0.05), errors[errors.len() - 1].max(0.05)),
    };
    Some(Forecast { value, low: (value * (1.0 + down)).max(0.0), high: value * (1.0 + up), seasonal })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_little_history_gives_no_number() {
        assert_eq!(next_month(&[]), None);
        assert_eq!(next_month(&[10.0, 12.0]), None);
        let f = next_month(&[10.0, 12.0, 14.0]).unwrap();
        assert_eq!(f.value, 12.0);
        assert!(!f.seasonal && f.low < 12.0 && f.high > 12.0);
    }

    #[test]
    fn a_seasonal_series_with_trend_is_forecast_within_its_interval() {
        // Winter peaks, 2 % growth a month, a little deterministic noise.
        let season = [1.3, 1.2, 1.0, 0.9, 0.8, 0.7, 0.7, 0.8, 1.0, 1.1, 1.2, 1.4];
        let value = |m: usize| {
            100.0 * season[m % 12] * 1.02f64.powi(m as i32) * (1.0 + 0.03 * ((m * 7 % 5) as f64 - 2.0) / 2.0)
        };
        let history: Vec<f64> = (0..24).map(value).collect();
        let f = next_month(&history).unwrap();
        let actual = value(24);
        assert!(f.seasonal);
        assert!(f.low <= actual && actual <= f.high, "{actual} outside {f:?}");
        assert!((f.value - actual).abs() / actual < 0.1, "{f:?} vs {actual}");
    }
}
