-- Issue 15 (reports): what the six reports read cheaply over a million orders and three million
-- messages, the owner's monthly goals, and the service's own heartbeat (its uptime).

-- Orders per UTC hour and status, kept by the triggers below in the same transaction as each
-- change: a month of sales reads ~720 rows per status, the forecast's whole history a few
-- thousand, however many orders there are. Hours (not days) so that any business-time-zone day
-- with a whole-hour offset (Kyiv) is summed exactly.
CREATE TABLE order_hours (
    hour        TEXT NOT NULL,      -- substr(created_at, 1, 13): 'YYYY-MM-DDTHH'
    status      TEXT NOT NULL,
    orders      INTEGER NOT NULL,
    revenue_kop INTEGER NOT NULL,
    PRIMARY KEY (hour, status)
) WITHOUT ROWID;

INSERT INTO order_hours (hour, status, orders, revenue_kop)
    SELECT substr(created_at, 1, 13), status, COUNT(*), SUM(price_kop) FROM orders
    GROUP BY substr(created_at, 1, 13), status;

CREATE TRIGGER order_hours_on_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_hours (hour, status, orders, revenue_kop)
    VALUES (substr(NEW.created_at, 1, 13), NEW.status, 1, NEW.price_kop)
    ON CONFLICT (hour, status) DO UPDATE SET
        orders = orders + 1, revenue_kop = revenue_kop + excluded.revenue_kop;
END;

CREATE TRIGGER order_hours_on_delete AFTER DELETE ON orders BEGIN
    UPDATE order_hours SET orders = orders - 1, revenue_kop = revenue_kop - OLD.price_kop
    WHERE hour = substr(OLD.created_at, 1, 13) AND status = OLD.status;
END;

CREATE TRIGGER order_hours_on_update AFTER UPDATE OF status, price_kop, created_at ON orders BEGIN
    UPDATE order_hours SET orders = orders - 1, revenue_kop = revenue_kop - OLD.price_kop
    WHERE hour = substr(OLD.created_at, 1, 13) AND status = OLD.status;
    INSERT INTO order_hours (hour, status, orders, revenue_kop)
    VALUES (substr(NEW.created_at, 1, 13), NEW.status, 1, NEW.price_kop)
    ON CONFLICT (hour, status) DO UPDATE SET
        orders = orders + 1, revenue_kop = revenue_kop + excluded.revenue_kop;
END;

-- The same per UTC month: the forecast's history reads a few hundred rows. (A month in Kyiv
-- starts 2–3 hours before the UTC one: immaterial to a forecast.)
CREATE TABLE order_months (
    month       TEXT NOT NULL,      -- substr(created_at, 1, 7)
    status      TEXT NOT NULL,
    orders      INTEGER NOT NULL,
    revenue_kop INTEGER NOT NULL,
    PRIMARY KEY (month, status)
) WITHOUT ROWID;

INSERT INTO order_months (month, status, orders, revenue_kop)
    SELECT substr(created_at, 1, 7), status, COUNT(*), SUM(price_kop) FROM orders
    GROUP BY substr(created_at, 1, 7), status;

CREATE TRIGGER order_months_on_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_months (month, status, orders, revenue_kop)
    VALUES (substr(NEW.created_at, 1, 7), NEW.status, 1, NEW.price_kop)
    ON CONFLICT (month, status) DO UPDATE SET
        orders = orders + 1, revenue_kop = revenue_kop + excluded.revenue_kop;
END;

CREATE TRIGGER order_months_on_delete AFTER DELETE ON orders BEGIN
    UPDATE order_months SET orders = orders - 1, revenue_kop = revenue_kop - OLD.price_kop
    WHERE month = substr(OLD.created_at, 1, 7) AND status = OLD.status;
END;

CREATE TRIGGER order_months_on_update AFTER UPDATE OF status, price_kop, created_at ON orders BEGIN
    UPDATE order_months SET orders = orders - 1, revenue_kop = revenue_kop - OLD.price_kop
    WHERE month = substr(OLD.created_at, 1, 7) AND status = OLD.status;
    INSERT INTO order_months (month, status, orders, revenue_kop)
    VALUES (substr(NEW.created_at, 1, 7), NEW.status, 1, NEW.price_kop)
    ON CONFLICT (month, status) DO UPDATE SET
        orders = orders + 1, revenue_kop = revenue_kop + excluded.revenue_kop;
END;

-- Each client's first and last order (any status): new or returning buyers, and insoles a year
-- old, without visiting every buyer's orders. Kept by triggers, recomputed for a client whose
-- orders move (a merge of two cards) or go.
CREATE TABLE client_orders (
    client_id INTEGER PRIMARY KEY,
    first_at  TEXT NOT NULL,
    last_at   TEXT NOT NULL
);
CREATE INDEX client_orders_by_first ON client_orders (first_at);
CREATE INDEX client_orders_by_last ON client_orders (last_at);

INSERT INTO client_orders (client_id, first_at, last_at)
    SELECT client_id, MIN(created_at), MAX(created_at) FROM orders GROUP BY client_id;

CREATE TRIGGER client_orders_on_insert AFTER INSERT ON orders BEGIN
    INSERT INTO client_orders (client_id, first_at, last_at) VALUES (NEW.client_id, NEW.created_at, NEW.created_at)
    ON CONFLICT (client_id) DO UPDATE SET
        first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at);
END;

CREATE TRIGGER client_orders_on_delete AFTER DELETE ON orders BEGIN
    DELETE FROM client_orders WHERE client_id = OLD.client_id;
    INSERT INTO client_orders (client_id, first_at, last_at)
        SELECT client_id, MIN(created_at), MAX(created_at) FROM orders WHERE client_id = OLD.client_id GROUP BY client_id;
END;

CREATE TRIGGER client_orders_on_update AFTER UPDATE OF client_id, created_at ON orders BEGIN
    DELETE FROM client_orders WHERE client_id IN (OLD.client_id, NEW.client_id);
    INSERT INTO client_orders (client_id, first_at, last_at)
        SELECT client_id, MIN(created_at), MAX(created_at) FROM orders
        WHERE client_id IN (OLD.client_id, NEW.client_id) GROUP BY client_id;
END;

-- Messages per UTC hour, channel, direction and kind: the assistant's report over millions of
-- messages reads a month's ~1,500 rows.
CREATE TABLE message_hours (
    hour      TEXT NOT NULL,
    channel   TEXT NOT NULL,
    direction TEXT NOT NULL,
    kind      TEXT NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (hour, channel, direction, kind)
) WITHOUT ROWID;

INSERT INTO message_hours (hour, channel, direction, kind, count)
    SELECT substr(created_at, 1, 13), channel, direction, kind, COUNT(*) FROM interactions
    GROUP BY substr(created_at, 1, 13), channel, direction, kind;

CREATE TRIGGER message_hours_on_insert AFTER INSERT ON interactions BEGIN
    INSERT INTO message_hours (hour, channel, direction, kind, count)
    VALUES (substr(NEW.created_at, 1, 13), NEW.channel, NEW.direction, NEW.kind, 1)
    ON CONFLICT (hour, channel, direction, kind) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER message_hours_on_delete AFTER DELETE ON interactions BEGIN
    UPDATE message_hours SET count = count - 1
    WHERE hour = substr(OLD.created_at, 1, 13) AND channel = OLD.channel AND direction = OLD.direction AND kind = OLD.kind;
END;

CREATE TRIGGER message_hours_on_update AFTER UPDATE OF created_at, channel, direction, kind ON interactions BEGIN
    UPDATE message_hours SET count = count - 1
    WHERE hour = substr(OLD.created_at, 1, 13) AND channel = OLD.channel AND direction = OLD.direction AND kind = OLD.kind;
    INSERT INTO message_hours (hour, channel, direction, kind, count)
    VALUES (substr(NEW.created_at, 1, 13), NEW.channel, NEW.direction, NEW.kind, 1)
    ON CONFLICT (hour, channel, direction, kind) DO UPDATE SET count = count + 1;
END;

-- A period's orders by product (covering: the table is not read).
CREATE INDEX orders_by_created ON orders (created_at, status, product, price_kop, client_id);
-- A period's cards, bookings, visits and drafts (covering).
CREATE INDEX clients_by_created ON clients (created_at, source);
CREATE INDEX clients_by_birth_month ON clients (substr(birth_date, 6, 2)) WHERE birth_date IS NOT NULL;
CREATE INDEX bookings_by_created ON bookings (created_at, channel, status, ref_code, utm);
CREATE INDEX bookings_by_start_status ON bookings (starts_at, status);
CREATE INDEX drafts_by_created ON drafts (created_at, channel);
CREATE INDEX drafts_by_status ON drafts (status);
CREATE INDEX order_history_by_status_at ON order_history (to_status, at, kind, order_id);

-- The owner's monthly targets (`/goal 20 orders`, `/goal 60000 грн`): one per month and metric.
CREATE TABLE goals (
    month      TEXT NOT NULL,          -- 'YYYY-MM' in the business time zone
    metric     TEXT NOT NULL CHECK (metric IN ('orders', 'revenue')),
    target     INTEGER NOT NULL CHECK (target > 0),  -- orders, or kopecks
    updated_at TEXT NOT NULL,
    PRIMARY KEY (month, metric)
) WITHOUT ROWID;

-- The scheduler's heartbeat: one row per five-minute slot the process was up (unix time / 300).
CREATE TABLE heartbeats (
    slot INTEGER PRIMARY KEY
);
