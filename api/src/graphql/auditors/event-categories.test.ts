import { describe, expect, it } from 'vitest';
import { storeCategories } from './event-categories.js';

describe('event categories', () => {
  it('accepts the documented names and the store’s, and refuses unknown ones', () => {
    expect(storeCategories(['alert-rule', 'alertrule', 'device', 'observations'])).toEqual([
      'alertrule',
      'device',
      'observations',
    ]);
    expect(() => storeCategories(['devices'])).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
