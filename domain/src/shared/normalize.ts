import { z } from 'zod';
import { Id, Tag } from './primitives.js';

/** Sets are stored sorted and without duplicates, so comparing two of them is comparing arrays. */
const uniqueSorted = (values: readonly string[]): string[] => [...new Set(values)].sort();

export const TagSet = z.array(Tag).max(64).transform(uniqueSorted);
export const IdSet = z.array(Id).max(1000).transform(uniqueSorted);
