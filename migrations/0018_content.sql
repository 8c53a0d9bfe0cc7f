-- Instagram posts the owner drafts with /post and plans with /plan (issue 16, Content). The
-- publish-day reminder is a job keyed `content:<id>:<date>`, written in the same transaction as
-- the schedule; the state says what the owner did, the date is a business date (YYYY-MM-DD).
CREATE TABLE content_posts (
    id           INTEGER PRIMARY KEY,
    topic        TEXT NOT NULL,
    caption      TEXT NOT NULL,
    hashtags     TEXT NOT NULL,
    image_idea   TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'draft'
                 CHECK (state IN ('draft', 'approved', 'scheduled', 'published', 'discarded')),
    publish_date TEXT,
    campaign     TEXT NOT NULL,
    source       TEXT NOT NULL DEFAULT 'offline' CHECK (source IN ('offline', 'llm')),
    variant      INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX content_posts_by_date ON content_posts (publish_date) WHERE publish_date IS NOT NULL;
