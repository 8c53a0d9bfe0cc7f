-- Issue 16 (referrals): a referral follows the money, both ways.
-- * Her first order cancelled before it earned anything: the referral discount is hers again for
--   her next order, and any credit she had spent on the cancelled order is open again. (A
--   cancelled order never comes back: `OrderStatus::Cancelled` is final.)
-- * The first order stops being paid in full after the referrer's credit was given (a refund, an
--   undone payment, a price raised): the credit is withdrawn while it is unspent, and the order
--   may earn it again once paid in full. A credit already spent on the referrer's own order stays
--   spent (the money has gone into an order; nothing is clawed back from her).
-- Triggers, so that every path that cancels or moves money (buttons, commands, Monobank webhooks,
-- refunds, undo) keeps the rule without remembering it.

CREATE TRIGGER referral_free_on_cancel AFTER UPDATE OF status ON orders
WHEN NEW.status = 'cancel' AND OLD.status != 'cancel'
BEGIN
    UPDATE referrals SET order_id = NULL WHERE order_id = NEW.id AND credited_at IS NULL;
    UPDATE referral_credits SET used_order_id = NULL WHERE used_order_id = NEW.id;
END;

CREATE TRIGGER referral_credit_withdrawn AFTER UPDATE OF prepaid_kop, price_kop ON orders
WHEN NEW.prepaid_kop < NEW.price_kop AND OLD.prepaid_kop >= OLD.price_kop
BEGIN
    DELETE FROM referral_credits WHERE used_order_id IS NULL
        AND referred_id IN (SELECT referred_id FROM referrals WHERE order_id = NEW.id AND credited_at IS NOT NULL);
    UPDATE referrals
        SET credited_at = NULL,
            order_id = CASE WHEN NEW.status = 'cancel' THEN NULL ELSE order_id END
        WHERE order_id = NEW.id AND credited_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM referral_credits c WHERE c.referred_id = referrals.referred_id);
END;
