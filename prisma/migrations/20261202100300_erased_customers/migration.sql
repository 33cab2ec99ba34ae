-- Customers erased on request (Shopify's customers/redact and shop/redact, or an admin): only a
-- SHA-256 of the id is kept, so the id itself is gone while data that arrives later for it (a
-- sync, a late webhook) can still be recognised and refused.
CREATE TABLE "erased_customers" (
    "id_hash" CHAR(64) NOT NULL,
    "reason" VARCHAR(100) NOT NULL,
    "erased_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "erased_customers_pkey" PRIMARY KEY ("id_hash")
);
