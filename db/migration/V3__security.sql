-- Admin sign-ins as server-side sessions: the cookie holds a random token, the table its SHA-256, so a copied cookie
-- stops working the moment the session is revoked (sign-out, password change) or expires.
CREATE TABLE admin_session (
    token_hash   TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES admin_user (username) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX admin_session_user ON admin_session (username);

-- Resuming a participation needs the first device's secret (a cookie; its SHA-256 is kept here) or the platform's
-- session id. Sessions whose platform ids break the study's rules are flagged (reasons, comma-separated) and excluded.
ALTER TABLE participant_session ADD COLUMN resume_secret_hash TEXT;
ALTER TABLE participant_session ADD COLUMN flags TEXT;

-- The response time the exclusion rules read: measured by the server (answer stored minus question first served),
-- or, for simulated sessions only, the pace the simulation declares.
ALTER TABLE answer ADD COLUMN response_ms INTEGER;
