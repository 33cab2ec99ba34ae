-- Publishable keys (role "publishable", safe to ship in storefront JavaScript) work only from the
-- browser origins listed here; other keys leave it empty. Nullable with a default, as Prisma
-- declares scalar lists; readers coalesce.
ALTER TABLE "api_keys" ADD COLUMN "allowed_origins" TEXT[] DEFAULT ARRAY[]::TEXT[];
