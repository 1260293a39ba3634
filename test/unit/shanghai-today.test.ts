import { todayInShanghai } from '../../src/common/dates';

describe('todayInShanghai', () => {
  it('turns the day at midnight in Shanghai (16:00 UTC), also when the day before was just asked for', () => {
    expect(todayInShanghai(new Date('2026-11-27T15:59:59.999Z'))).toBe('2026-11-27');
    expect(todayInShanghai(new Date('2026-11-27T16:00:00.000Z'))).toBe('2026-11-28');
    expect(todayInShanghai(new Date('2026-11-27T15:59:59.999Z'))).toBe('2026-11-27');
    expect(todayInShanghai(new Date('2026-11-27T00:00:00.000Z'))).toBe('2026-11-27');
  });

  it('answers for any instant, in any order, as the calendar does', () => {
    const instants = ['2024-02-28T16:00:00Z', '2024-02-29T15:59:59Z', '2000-01-01T00:00:00Z', '2024-02-29T16:00:00Z', '1999-12-31T15:59:59Z'];
    expect(instants.map((iso) => todayInShanghai(new Date(iso)))).toEqual(['2024-02-29', '2024-02-29', '2000-01-01', '2024-03-01', '1999-12-31']);
  });
});
