import { defaultAdminUrl, SHOPIFY_API_VERSION } from '../../src/connectors/shopify/admin-client';

describe('the pinned Shopify Admin API version', () => {
  it('is a stable quarterly release, named once and used in the default URL', () => {
    // Stable versions are released each quarter: YYYY-01, -04, -07, -10.
    expect(SHOPIFY_API_VERSION).toMatch(/^20\d\d-(01|04|07|10)$/);
    // 2025-01 was retired in January 2026; 2026-10 is supported until October 2027.
    expect(SHOPIFY_API_VERSION.localeCompare('2026-01')).toBeGreaterThanOrEqual(0);
    expect(defaultAdminUrl('test-shop.myshopify.com')).toBe(
      `https://test-shop.myshopify.com/admin/api/${SHOPIFY_API_VERSION}/graphql.json`,
    );
  });
});
