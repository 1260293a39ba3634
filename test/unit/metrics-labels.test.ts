import { BoundedLabel, operationLabel } from '../../src/common/metrics';

describe('metric label bounds', () => {
  it('keeps the first values up to the cap and counts any further new value as the overflow label', () => {
    const label = new BoundedLabel(2, 'other');
    expect([label.of('A'), label.of('B'), label.of('C'), label.of('A'), label.of('B'), label.of('D')]).toEqual(['A', 'B', 'other', 'A', 'B', 'other']);
  });

  it('always keeps known values, without spending the cap on them', () => {
    const label = new BoundedLabel(1, 'other', () => new Set(['Known']));
    expect([label.of('Known'), label.of('First'), label.of('Known'), label.of('Second')]).toEqual(['Known', 'First', 'Known', 'other']);
  });

  it('labels an operation by its name, "anonymous" without one, and keeps the example operations however many names came first', () => {
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel(null)).toBe('anonymous');
    const invented = Array.from({ length: 150 }, (_, i) => operationLabel(`Invented${i}`));
    expect(invented.slice(0, 100).every((name, i) => name === `Invented${i}`)).toBe(true);
    expect(new Set(invented.slice(100))).toEqual(new Set(['other']));
    // A name from schema/operations/*.graphql keeps its own label past the cap.
    expect(operationLabel('RunMatching')).toBe('RunMatching');
  });
});
