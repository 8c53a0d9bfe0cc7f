//! IEEE 754 half precision (binary16) for the offline model's weights (issue 11: idle RSS).
//!
//! The model trains in `f32`, then keeps its ~436,000 weights as 16-bit halves: 0.85 MB of the
//! idle server's memory instead of 1.7 MB. A half carries 11 significant bits (relative error
//! ≤ 2⁻¹¹), far below what moves a prediction across a threshold: the assistant's tests and
//! evaluation floors are unchanged. Rust's own `f16` is not stable on our toolchain, hence these
//! two functions.

/// The nearest half (ties to even) of `x`; beyond the half range, ±infinity.
pub fn to_half(x: f32) -> u16 {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exp = ((bits >> 23) & 0xff) as i32;
    let man = bits & 0x7f_ffff;
    if exp == 0xff {
        return sign | 0x7c00 | if man != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    let (kept, dropped, shift) = if e <= 0 {
        // A subnormal half: the value is m × 2⁻²⁴ with the implicit bit made explicit.
        if e < -10 {
            return sign;
        }
        let m = man | 0x80_0000;
        let shift = (14 - e) as u32;
        (m >> shift, m & ((1 << shift) - 1), shift)
    } else {
        (((e as u32) << 10) | (man >> 13), man & 0x1fff, 13)
    };
    let halfway = 1 << (shift - 1);
    // A carry out of the mantissa moves to the next exponent (or to infinity): still the nearest.
    let rounded = if dropped > halfway || (dropped == halfway && kept & 1 == 1) { kept + 1 } else { kept };
    sign | rounded as u16
}

/// The exact `f32` value of the half `h`.
pub fn from_half(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let man = (h & 0x3ff) as u32;
    match exp {
        0 => {
            let magnitude = man as f32 * (1.0 / 16_777_216.0);
            if sign != 0 {
                -magnitude
            } else {
                magnitude
            }
        }
        0x1f => f32::from_bits(sign | 0x7f80_0000 | (man << 13)),
        _ => f32::from_bits(sign | ((exp + 112) << 23) | (man << 13)),
    }
}

#[cfg(test)]
mod tests {
    use super::{from_half, to_half};

    #[test]
    fn every_half_survives_the_round_trip() {
        for h in 0..=u16::MAX {
            let x = from_half(h);
            if x.is_nan() {
                assert!(from_half(to_half(x)).is_nan());
            } else {
                assert_eq!(to_half(x), h, "{h:#06x} = {x}");
            }
        }
    }

    #[test]
    fn known_values_and_the_nearest_half() {
        assert_eq!(to_half(1.0), 0x3c00);
        assert_eq!(to_half(-2.0), 0xc000);
        assert_eq!(to_half(65504.0), 0x7bff);
        assert_eq!(to_half(1e6), 0x7c00);
        assert_eq!(to_half(5.960_464_5e-8), 0x0001);
        assert_eq!(to_half(1e-9), 0);
        // 1 + 2⁻¹¹ is halfway between 1 and the next half: ties go to the even one.
        assert_eq!(to_half(1.0 + 1.0 / 2048.0), 0x3c00);
        assert_eq!(to_half(1.0 + 3.0 / 2048.0), 0x3c02);
        // Any value lands on one of its two neighbouring halves, the nearer one.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..100_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let x = f32::from_bits((seed >> 32) as u32 & 0xc7ff_ffff);
            if !x.is_finite() || x.abs() > 65504.0 {
                continue;
            }
            let h = to_half(x);
            let err = (from_half(h) - x).abs();
            for n in [h.wrapping_sub(1), h.wrapping_add(1)] {
                let other = from_half(n);
                if other.is_finite() && (other.is_sign_negative() == x.is_sign_negative() || other == 0.0) {
                    assert!(err <= (other - x).abs(), "{x}: {h:#06x} but {n:#06x} is nearer");
                }
            }
        }
    }
}
