// 3xxx: flattening, visibility and overlap.
import type { CatalogEntry } from './index.js';

export const flattenCodes: CatalogEntry[] = [];
