// 1xxx: lexical and syntax errors.
import type { CatalogEntry } from './index.js';

export const syntaxCodes: CatalogEntry[] = [];
