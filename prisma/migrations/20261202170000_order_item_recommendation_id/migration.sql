-- The recommendationId a Shopify order line carried (a line item property, else the cart's
-- attributes): attribution gives such a line to that list's experiment variant exactly, whatever
-- the last-touch window. Null for lines without one and for every other writer of order_items.
ALTER TABLE "order_items" ADD COLUMN "recommendation_id" VARCHAR(255);
CREATE INDEX "order_items_recommendation_id_idx" ON "order_items"("recommendation_id");
