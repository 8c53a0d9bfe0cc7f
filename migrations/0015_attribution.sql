-- Issue 16 (attribution and referrals): where each lead came from, stored once on her card (first
-- touch), followed to her bookings, orders and payments by the client id; the Marketing report's
-- per-source and per-campaign figures kept by triggers in 0011's style; each client's personal
-- referral code, the referrals made with it and the credits they earn.

-- `source` (0001) stays the channel or `utm_source` (`telegram`, `web`, `instagram`, `owner`,
-- `import`, `referral`, or what a link said); these say which campaign and medium, and when the
-- first touch was recorded. Values are cleaned before they get here (`core::attribution`).
ALTER TABLE clients ADD COLUMN campaign TEXT;
ALTER TABLE clients ADD COLUMN medium TEXT;
-- Her own referral code (≥ 64 bits from the OS's random source, never derived from her id),
-- made the first time the owner asks for it.
ALTER TABLE clients ADD COLUMN referral_code TEXT;
CREATE UNIQUE INDEX clients_by_referral_code ON clients (referral_code) WHERE referral_code IS NOT NULL;

-- One referral per new client (the primary key is the "one use" guard). No foreign keys: a
-- merge or a forget of either card must not fail on them; a referrer who is gone gets nothing.
CREATE TABLE referrals (
    referred_id  INTEGER PRIMARY KEY,
    referrer_id  INTEGER NOT NULL,
    discount_kop INTEGER NOT NULL CHECK (discount_kop >= 0),
    order_id     INTEGER UNIQUE,        -- her first order, when the discount was given on it
    credited_at  TEXT,                  -- when that order was paid and the referrer's credit given
    created_at   TEXT NOT NULL
);
CREATE INDEX referrals_by_referrer ON referrals (referrer_id);

-- What a referrer earned: taken off her next order (`used_order_id`).
CREATE TABLE referral_credits (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL,
    referred_id   INTEGER NOT NULL UNIQUE,
    amount_kop    INTEGER NOT NULL CHECK (amount_kop >= 0),
    used_order_id INTEGER,
    created_at    TEXT NOT NULL
);
CREATE INDEX referral_credits_open ON referral_credits (client_id) WHERE used_order_id IS NULL;

-- A discount taken off an order's price when it was made (`price_kop` is what she pays), and why.
ALTER TABLE orders ADD COLUMN discount_kop INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN discount_reason TEXT;

-- Leads (cards made), bookings made, orders taken (not cancelled) and their revenue per UTC hour,
-- source and campaign, each counted at its own creation hour under the client's attribution. A
-- month reads a few thousand rows however many orders there are.
CREATE TABLE attribution_hours (
    hour        TEXT NOT NULL,
    source      TEXT NOT NULL,
    campaign    TEXT NOT NULL,
    leads       INTEGER NOT NULL DEFAULT 0,
    bookings    INTEGER NOT NULL DEFAULT 0,
    orders      INTEGER NOT NULL DEFAULT 0,
    revenue_kop INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, source, campaign)
) WITHOUT ROWID;

INSERT INTO attribution_hours (hour, source, campaign, leads)
    SELECT substr(created_at, 1, 13), COALESCE(source, ''), COALESCE(campaign, ''), COUNT(*) FROM clients WHERE true
    GROUP BY 1, 2, 3;
INSERT INTO attribution_hours (hour, source, campaign, bookings)
    SELECT substr(b.created_at, 1, 13), COALESCE(c.source, ''), COALESCE(c.campaign, ''), COUNT(*)
    FROM bookings b JOIN clients c ON c.id = b.client_id WHERE true GROUP BY 1, 2, 3
    ON CONFLICT (hour, source, campaign) DO UPDATE SET bookings = bookings + excluded.bookings;
INSERT INTO attribution_hours (hour, source, campaign, orders, revenue_kop)
    SELECT substr(o.created_at, 1, 13), COALESCE(c.source, ''), COALESCE(c.campaign, ''), COUNT(*), SUM(o.price_kop)
    FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.status != 'cancel' GROUP BY 1, 2, 3
    ON CONFLICT (hour, source, campaign) DO UPDATE SET
        orders = orders + excluded.orders, revenue_kop = revenue_kop + excluded.revenue_kop;

-- Leads.
CREATE TRIGGER attribution_lead_on_insert AFTER INSERT ON clients BEGIN
    INSERT INTO attribution_hours (hour, source, campaign, leads)
    VALUES (substr(NEW.created_at, 1, 13), COALESCE(NEW.source, ''), COALESCE(NEW.campaign, ''), 1)
    ON CONFLICT (hour, source, campaign) DO UPDATE SET leads = leads + 1;
END;

CREATE TRIGGER attribution_lead_on_delete AFTER DELETE ON clients BEGIN
    UPDATE attribution_hours SET leads = leads - 1
    WHERE hour = substr(OLD.created_at, 1, 13) AND source = COALESCE(OLD.source, '') AND campaign = COALESCE(OLD.campaign, '');
END;

CREATE TRIGGER attribution_lead_on_update AFTER UPDATE OF source, campaign, created_at ON clients
WHEN COALESCE(OLD.source, '') != COALESCE(NEW.source, '') OR COALESCE(OLD.campaign, '') != COALESCE(NEW.campaign, '')
    OR substr(OLD.created_at, 1, 13) != substr(NEW.created_at, 1, 13)
BEGIN
    UPDATE attribution_hours SET leads = leads - 1
    WHERE hour = substr(OLD.created_at, 1, 13) AND source = COALESCE(OLD.source, '') AND campaign = COALESCE(OLD.campaign, '');
    INSERT INTO attribution_hours (hour, source, campaign, leads)
    VALUES (substr(NEW.created_at, 1, 13), COALESCE(NEW.source, ''), COALESCE(NEW.campaign, ''), 1)
    ON CONFLICT (hour, source, campaign) DO UPDATE SET leads = leads + 1;
END;

-- A card's attribution set after its bookings and orders (a first touch recorded late, a forget):
-- they follow it.
CREATE TRIGGER attribution_client_moves AFTER UPDATE OF source, campaign ON clients
WHEN COALESCE(OLD.source, '') != COALESCE(NEW.source, '') OR COALESCE(OLD.campaign, '') != COALESCE(NEW.campaign, '')
BEGIN
    UPDATE attribution_hours SET bookings = bookings - (
        SELECT COUNT(*) FROM bookings b WHERE b.client_id = OLD.id AND substr(b.created_at, 1, 13) = attribution_hours.hour)
    WHERE source = COALESCE(OLD.source, '') AND campaign = COALESCE(OLD.campaign, '')
      AND hour IN (SELECT substr(created_at, 1, 13) FROM bookings WHERE client_id = OLD.id);
    INSERT INTO attribution_hours (hour, source, campaign, bookings)
        SELECT substr(created_at, 1, 13), COALESCE(NEW.source, ''), COALESCE(NEW.campaign, ''), COUNT(*)
        FROM bookings WHERE client_id = NEW.id GROUP BY 1
    ON CONFLICT (hour, source, campaign) DO UPDATE SET bookings = bookings + excluded.bookings;
    UPDATE attribution_hours SET
        orders = orders - (SELECT COUNT(*) FROM orders o WHERE o.client_id = OLD.id AND o.status != 'cancel'
            AND substr(o.created_at, 1, 13) = attribution_hours.hour),
        revenue_kop = revenue_kop - (SELECT COALESCE(SUM(price_kop), 0) FROM orders o WHERE o.client_id = OLD.id
            AND o.status != 'cancel' AND substr(o.created_at, 1, 13) = attribution_hours.hour)
    WHERE source = COALESCE(OLD.source, '') AND campaign = COALESCE(OLD.campaign, '')
      AND hour IN (SELECT substr(created_at, 1, 13) FROM orders WHERE client_id = OLD.id AND status != 'cancel');
    INSERT INTO attribution_hours (hour, source, campaign, orders, revenue_kop)
        SELECT substr(created_at, 1, 13), COALESCE(NEW.source, ''), COALESCE(NEW.campaign, ''), COUNT(*), SUM(price_kop)
        FROM orders WHERE client_id = NEW.id AND status != 'cancel' GROUP BY 1
    ON CONFLICT (hour, source, campaign) DO UPDATE SET
        orders = orders + excluded.orders, revenue_kop = revenue_kop + excluded.revenue_kop;
END;

-- Bookings.
CREATE TRIGGER attribution_booking_on_insert AFTER INSERT ON bookings BEGIN
    INSERT INTO attribution_hours (hour, source, campaign, bookings)
        SELECT substr(NEW.created_at, 1, 13), COALESCE(source, ''), COALESCE(campaign, ''), 1 FROM clients WHERE id = NEW.client_id
    ON CONFLICT (hour, source, campaign) DO UPDATE SET bookings = bookings + 1;
END;

CREATE TRIGGER attribution_booking_on_delete AFTER DELETE ON bookings BEGIN
    UPDATE attribution_hours SET bookings = bookings - 1
    WHERE hour = substr(OLD.created_at, 1, 13)
      AND (source, campaign) = (SELECT COALESCE(source, ''), COALESCE(campaign, '') FROM clients WHERE id = OLD.client_id);
END;

CREATE TRIGGER attribution_booking_on_update AFTER UPDATE OF client_id, created_at ON bookings BEGIN
    UPDATE attribution_hours SET bookings = bookings - 1
    WHERE hour = substr(OLD.created_at, 1, 13)
      AND (source, campaign) = (SELECT COALESCE(source, ''), COALESCE(campaign, '') FROM clients WHERE id = OLD.client_id);
    INSERT INTO attribution_hours (hour, source, campaign, bookings)
        SELECT substr(NEW.created_at, 1, 13), COALESCE(source, ''), COALESCE(campaign, ''), 1 FROM clients WHERE id = NEW.client_id
    ON CONFLICT (hour, source, campaign) DO UPDATE SET bookings = bookings + 1;
END;

-- Orders (cancelled ones are not counted).
CREATE TRIGGER attribution_order_on_insert AFTER INSERT ON orders WHEN NEW.status != 'cancel' BEGIN
    INSERT INTO attribution_hours (hour, source, campaign, orders, revenue_kop)
        SELECT substr(NEW.created_at, 1, 13), COALESCE(source, ''), COALESCE(campaign, ''), 1, NEW.price_kop
        FROM clients WHERE id = NEW.client_id
    ON CONFLICT (hour, source, campaign) DO UPDATE SET
        orders = orders + 1, revenue_kop = revenue_kop + excluded.revenue_kop;
END;

CREATE TRIGGER attribution_order_on_delete AFTER DELETE ON orders WHEN OLD.status != 'cancel' BEGIN
    UPDATE attribution_hours SET orders = orders - 1, revenue_kop = revenue_kop - OLD.price_kop
    WHERE hour = substr(OLD.created_at, 1, 13)
      AND (source, campaign) = (SELECT COALESCE(source, ''), COALESCE(campaign, '') FROM clients WHERE id = OLD.client_id);
END;

CREATE TRIGGER attribution_order_on_update AFTER UPDATE OF status, price_kop, client_id, created_at ON orders BEGIN
    UPDATE attribution_hours SET orders = orders - 1, revenue_kop = revenue_kop - OLD.price_kop
    WHERE OLD.status != 'cancel' AND hour = substr(OLD.created_at, 1, 13)
      AND (source, campaign) = (SELECT COALESCE(source, ''), COALESCE(campaign, '') FROM clients WHERE id = OLD.client_id);
    INSERT INTO attribution_hours (hour, source, campaign, orders, revenue_kop)
        SELECT substr(NEW.created_at, 1, 13), COALESCE(source, ''), COALESCE(campaign, ''), 1, NEW.price_kop
        FROM clients WHERE id = NEW.client_id AND NEW.status != 'cancel'
    ON CONFLICT (hour, source, campaign) DO UPDATE SET
        orders = orders + 1, revenue_kop = revenue_kop + excluded.revenue_kop;
END;
