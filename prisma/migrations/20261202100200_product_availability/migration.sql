-- Whether a product may be recommended now: Shopify's status (active, archived, draft; deleted
-- after products/delete) and whether any variant can be sold. Serving skips a product that is
-- not active or not in stock at once, whatever the current batch says.
ALTER TABLE "products" ADD COLUMN "status" VARCHAR(20) NOT NULL DEFAULT 'active';
ALTER TABLE "products" ADD COLUMN "in_stock" BOOLEAN NOT NULL DEFAULT true;
