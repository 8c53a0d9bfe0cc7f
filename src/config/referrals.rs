//! Settings of attribution and referrals (issue 16), from the environment:
//! `REFERRAL_DISCOUNT_UAH` (default 200; what a referred client gets off her first order and her
//! referrer off her next one) and `TELEGRAM_BOT_USERNAME` (the bot's `@name`, for the deep links
//! `/link` and `/ref` give; without it they give the booking page only).

use anyhow::{bail, Context};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralSettings {
    /// In kopecks.
    pub referral_discount_kop: i64,
    pub bot_username: Option<String>,
}

impl Default for ReferralSettings {
    fn default() -> Self {
        ReferralSettings { referral_discount_kop: 20_000, bot_username: None }
    }
}

impl ReferralSettings {
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = get("REFERRAL_DISCOUNT_UAH") {
            let uah: i64 =
                v.trim().parse().with_context(|| format!("REFERRAL_DISCOUNT_UAH: `{v}` is not a whole number"))?;
            if !(0..=100_000).contains(&uah) {
                bail!("REFERRAL_DISCOUNT_UAH: {uah} is outside 0..=100000");
            }
            self.referral_discount_kop = uah * 100;
        }
        if let Some(v) = get("TELEGRAM_BOT_USERNAME") {
            let name = v.trim().trim_start_matches('@');
            let ok = (5..=32).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                bail!("TELEGRAM_BOT_USERNAME: `{v}` is not a bot username");
            }
            self.bot_username = Some(name.to_string());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::ReferralSettings;

    fn with(pairs: &[(&str, &str)]) -> anyhow::Result<ReferralSettings> {
        let mut m = ReferralSettings::default();
        m.apply_env(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))?;
        Ok(m)
    }

    #[test]
    fn the_discount_and_the_bot_name_come_from_the_environment_and_bad_values_are_refused() {
        assert_eq!(with(&[]).unwrap(), ReferralSettings::default());
        assert_eq!(ReferralSettings::default().referral_discount_kop, 20_000, "200 UAH");
        let m = with(&[("REFERRAL_DISCOUNT_UAH", "150"), ("TELEGRAM_BOT_USERNAME", "@insoles_bot")]).unwrap();
        assert_eq!((m.referral_discount_kop, m.bot_username.as_deref()), (15_000, Some("insoles_bot")));
        for (k, v) in [
            ("REFERRAL_DISCOUNT_UAH", "-1"),
            ("REFERRAL_DISCOUNT_UAH", "двісті"),
            ("TELEGRAM_BOT_USERNAME", "bad name"),
            ("TELEGRAM_BOT_USERNAME", "a?start=x"),
        ] {
            assert!(with(&[(k, v)]).is_err(), "{k}={v}");
        }
    }
}
