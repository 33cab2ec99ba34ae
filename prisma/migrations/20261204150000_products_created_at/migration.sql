-- Each gateway reads the products created since the batch every second (src/serving/new-products.ts):
-- an index keeps that read small however large the catalogue is.
CREATE INDEX "products_created_at_idx" ON "products"("created_at");
