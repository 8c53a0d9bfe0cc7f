//! Settings of attribution and referrals (issue 16), from the environment:
//! `REFERRAL_DISCOUNT_UAH` (default 200; what a referred client gets off her first order and her
//! referrer off her next one) and `TELEGRAM_BOT_USERNAME` (the bot's `@name`, for the deep links
//! `/link` and `/ref` give; without it they give the booking page only).

use anyhow::{bail, Context};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketingSettings {
    /// In kopecks.
    pub referral_discount_kop: i64,
    pub bot_username: Option<String>,
}

impl Default for MarketingSettings {
    fn default() -> Self {
        MarketingSettings { referral_discount_kop: 20_000, bot_username: None }
    }
}

impl MarketingSettings {
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
