// 2xxx: names, references and structure.
import type { CatalogEntry } from './index.js';

export const structureCodes: CatalogEntry[] = [];
