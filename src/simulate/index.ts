/**
 * The demo store generator: a seeded, bilingual catalog, shoppers with hidden tastes and weeks of
 * their events. Pure and deterministic: the same seed and `now` always give the same store.
 */
export { Random, createRandom, hashString, seedToState, clamp, sigmoid, type Seed, type Weighted } from './random.ts';
export {
  generateCatalog,
  priceAt,
  productType,
  shopPrice,
  type CatalogAttributes,
  type CatalogItem,
  type CatalogOptions,
} from './catalog.ts';
export { generateShoppers, type Activity, type Shopper, type ShopperOptions, type ShopperTaste } from './shoppers.ts';
export { simulateEvents, utility, type AliasPair, type Simulation, type SimulationOptions } from './behaviour.ts';
export {
  demoShopperSummary,
  demoStats,
  generateDemo,
  tasteOf,
  type Demo,
  type DemoOptions,
  type DemoShopperSummary,
  type DemoStats,
} from './demo.ts';
export {
  CATEGORIES,
  CHANNELS,
  PRODUCT_TYPES,
  USES,
  type Category,
  type Channel,
  type Lang,
  type ProductType,
  type Use,
} from './vocabulary.ts';
