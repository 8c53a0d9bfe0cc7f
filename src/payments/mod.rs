//! The payment providers beyond this machine, as plain clients (like `notify`): Monobank
//! acquiring (`monobank`: payment links, status, refunds, the merchant key) with its webhook
//! signature (`signature`: ECDSA P-256 over the raw body, `ring`), and the Checkbox cash register
//! (`checkbox`: fiscal receipts). What a payment means for an order is the core's
//! (`core::payments`); these only speak the providers' HTTP.

pub mod checkbox;
pub mod monobank;
pub mod signature;

pub use crate::config::{CheckboxConfig, MonobankConfig, PaymentsConfig};
