// The cache, for other modules: one import for the interface, keys, TTLs and helpers.
export { createMemoryCache, createRedisCache, globToRegExp, type Cache, type CacheStats } from './cache.js';
export { CACHE_TTL_SECONDS, cacheKeys, invalidateAfterImport, invalidateAfterTraining, invalidatePredictionAnswers, invalidationPatterns, PREDICTION_ANSWERS_PATTERN, TRAINING_INVALIDATION_PATTERNS, variantOf, type DataChange } from './keys.js';
export { cachedRead, type CachedValue } from './read.js';
