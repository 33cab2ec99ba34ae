-- The cache tables' JSONB lists are rewritten whole at every load (hundreds of MB at the
-- reference size); lz4 compresses them several times faster than the default pglz.
ALTER TABLE "offline_user_recommendations" ALTER COLUMN "recommendations" SET COMPRESSION lz4;
ALTER TABLE "offline_similar_items" ALTER COLUMN "similar_products" SET COMPRESSION lz4;
ALTER TABLE "offline_item_affinity" ALTER COLUMN "item_affinities" SET COMPRESSION lz4;
ALTER TABLE "offline_popular_items" ALTER COLUMN "items" SET COMPRESSION lz4;
ALTER TABLE "offline_item_segments" ALTER COLUMN "users" SET COMPRESSION lz4;
