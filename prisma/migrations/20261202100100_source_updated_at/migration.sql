-- The store's own updated_at of the catalogue data we hold (products/update, customers/update):
-- an update older than it arrived late and is ignored. NULL: not known (imports, line copies).
ALTER TABLE "products" ADD COLUMN "source_updated_at" TIMESTAMPTZ(6);
ALTER TABLE "customers" ADD COLUMN "source_updated_at" TIMESTAMPTZ(6);
