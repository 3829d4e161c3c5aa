-- Reports and matches. SMEs name the languages their people work in (ISO 639-1 codes, a JSON
-- list like `target_markets`), which matches compare with the languages of offers.
ALTER TABLE smes ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
